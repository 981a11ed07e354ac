//! A live table of one kind in plain DOM: `kubectl get` columns, one row per object keyed by
//! namespace/name, each change touching only its row (cells updated in place).

use crate::actions;
use lookout_client::view::route::ObjectRoute;
use lookout_client::view::table::{columns, Cell, Column, Tabular};
use lookout_client::{ApiResource, ObjectKey, Store, WatchState};
use lookout_widget::dom::{element, text};
use lookout_widget::live::Update;
use lookout_widget::rows::{KeyedRows, RowOp};
use lookout_widget::sync::set_time;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use web_sys::Element;

/// Skeleton rows shown until the first list arrives.
const SKELETON_ROWS: usize = 5;

/// One rendered table.
pub struct Table {
    api: ApiResource,
    columns: &'static [Column],
    table: Element,
    tbody: Element,
    empty: Element,
    /// Adds a Delete button per row (pods).
    deletable: bool,
    rows: KeyedRows,
    elements: HashMap<ObjectKey, Element>,
}

impl Table {
    /// Renders an empty table of `api` (accessible name `label`) into `parent`.
    pub fn new(
        parent: &Element,
        api: ApiResource,
        label: &str,
        deletable: bool,
    ) -> Result<Table, JsValue> {
        let columns = columns(&api.group, &api.kind);
        let wrapper = element(parent, "div", &[("class", "lo-rtable")])?;
        let scroller = element(
            &wrapper,
            "div",
            &[("class", "lo-vscroll"), ("tabindex", "-1")],
        )?;
        let table = element(
            &scroller,
            "table",
            &[
                ("class", "lo-table lo-table--virtual"),
                ("aria-label", label),
                ("aria-rowcount", "1"),
            ],
        )?;
        let head = element(&element(&table, "thead", &[])?, "tr", &[])?;
        text(&head, "th", &[("scope", "col")], "Name")?;
        for c in columns {
            let th = text(&head, "th", &[("scope", "col")], c.title)?;
            numeric(&th, c.numeric)?;
        }
        if deletable {
            text(&head, "th", &[("scope", "col")], "Actions")?;
        }
        let tbody = element(&table, "tbody", &[])?;
        let span = (columns.len() + 1 + usize::from(deletable)).to_string();
        for _ in 0..SKELETON_ROWS {
            let row = element(
                &tbody,
                "tr",
                &[("class", "lo-skeleton"), ("aria-hidden", "true")],
            )?;
            element(&element(&row, "td", &[("colspan", &span)])?, "span", &[])?;
        }
        let plural = format!("{}s", api.kind.to_lowercase());
        let empty = text(
            &wrapper,
            "p",
            &[("class", "lo-empty"), ("hidden", "")],
            &format!("No {plural}."),
        )?;
        Ok(Table {
            api,
            columns,
            table,
            tbody,
            empty,
            deletable,
            rows: KeyedRows::default(),
            elements: HashMap::new(),
        })
    }

    /// The route of the row `target` (an element inside a row's name link) opens, if it is one.
    pub fn route_of(&self, target: &Element) -> Option<ObjectRoute> {
        let row = target.closest("a[data-open]").ok()??.closest("tr").ok()??;
        let namespace = row.get_attribute("data-namespace")?;
        let name = row.get_attribute("data-name")?;
        Some(ObjectRoute::of(&self.api, &namespace, &name))
    }

    /// The table element (click events of its rows bubble to it).
    pub fn element(&self) -> &Element {
        &self.table
    }

    /// Brings the rows up to date with a watch update.
    pub fn update<T: Tabular>(&mut self, update: &Update<'_, T>, now: i64) -> Result<(), JsValue> {
        let store = update.store;
        let ops = self.rows.apply(update.changes, |k| store.get(k).is_some());
        for op in ops {
            match op {
                RowOp::Insert { key, before } => {
                    let row = self.row(store, &key, now)?;
                    let next = before.and_then(|b| self.elements.get(&b));
                    self.tbody.insert_before(&row, next.map(|n| &**n))?;
                    self.elements.insert(key, row);
                }
                RowOp::Update(key) => {
                    if let (Some(row), Some(obj)) = (self.elements.get(&key), store.get(&key)) {
                        self.fill(row, obj, now)?;
                    }
                }
                RowOp::Remove(key) => {
                    if let Some(row) = self.elements.remove(&key) {
                        row.remove();
                    }
                }
            }
        }
        // Skeleton rows until the first list, or until it failed (its error panel says why).
        let failed = matches!(update.state, WatchState::Retrying { .. });
        if store.is_synced() || failed {
            let skeletons = self.tbody.query_selector_all("tr.lo-skeleton")?;
            for i in 0..skeletons.length() {
                if let Some(Ok(row)) = skeletons.item(i).map(|n| n.dyn_into::<Element>()) {
                    row.remove();
                }
            }
        }
        if store.is_synced() {
            self.empty
                .toggle_attribute_with_force("hidden", !self.rows.is_empty())?;
        }
        self.table
            .set_attribute("aria-rowcount", &(self.rows.len() + 1).to_string())?;
        Ok(())
    }

    /// A new row for the object of `key`.
    fn row<T: Tabular>(
        &self,
        store: &Store<T>,
        key: &ObjectKey,
        now: i64,
    ) -> Result<Element, JsValue> {
        let row = lookout_widget::document()?.create_element("tr")?;
        row.set_attribute("class", "lo-vrow")?;
        row.set_attribute("data-name", &key.name)?;
        row.set_attribute("data-namespace", &key.namespace)?;
        let name = element(&row, "th", &[("scope", "row"), ("class", "lo-name")])?;
        let href = ObjectRoute::of(&self.api, &key.namespace, &key.name).path();
        text(
            &name,
            "a",
            &[("href", &href), ("title", &key.name), ("data-open", "")],
            &key.name,
        )?;
        for c in self.columns {
            numeric(&element(&row, "td", &[])?, c.numeric)?;
        }
        if self.deletable {
            let cell = element(&row, "td", &[("class", "lo-actions")])?;
            actions::delete_button(&cell)?;
        }
        if let Some(obj) = store.get(key) {
            self.fill(&row, obj, now)?;
        }
        Ok(row)
    }

    /// Writes `obj`'s cells into its row's cells.
    fn fill<T: Tabular>(&self, row: &Element, obj: &T, now: i64) -> Result<(), JsValue> {
        let cells = row.children();
        let values = obj.cells(&self.api.group, &self.api.kind, now);
        for (i, value) in values.into_iter().enumerate() {
            // The name's header cell comes first.
            if let Some(td) = cells.item(i as u32 + 1) {
                render_cell(&td, value, now)?;
            }
        }
        if self.deletable {
            let terminating = obj.meta().deletion_timestamp.is_some();
            if let Some(cell) = cells.item(cells.length().saturating_sub(1)) {
                actions::set_deletable(&cell, !terminating)?;
            }
        }
        Ok(())
    }
}

/// Right-aligns a numeric column's cell.
fn numeric(cell: &Element, numeric: bool) -> Result<(), JsValue> {
    if numeric {
        cell.set_attribute("class", "lo-num")?;
    }
    Ok(())
}

/// One cell as `kubectl` would print it.
fn render_cell(td: &Element, cell: Cell, now: i64) -> Result<(), JsValue> {
    td.set_text_content(None);
    td.remove_attribute("title")?;
    match cell {
        Cell::Text(t) if t.is_empty() => td.set_text_content(Some("—")),
        Cell::Text(t) => {
            td.set_attribute("title", &t)?;
            td.set_text_content(Some(&t));
        }
        Cell::Number(n) => td.set_text_content(Some(&n.to_string())),
        Cell::Ratio(a, b) => td.set_text_content(Some(&format!("{a}/{b}"))),
        Cell::Age(None) => td.set_text_content(Some("—")),
        Cell::Age(Some(t)) => {
            let time = element(td, "time", &[])?;
            set_time(&time, Some(t), now, "")?;
        }
        Cell::Status {
            word,
            tone,
            message,
        } => {
            text(
                td,
                "span",
                &[
                    ("class", "lo-status"),
                    ("data-tone", tone.as_str()),
                    ("title", &message),
                ],
                &word,
            )?;
        }
    }
    Ok(())
}
