//! A live table of one kind in plain DOM: `kubectl get` columns, one row per object keyed by
//! namespace/name, each change touching only its row (cells updated in place); the text filter,
//! status chips and sortable columns of the Leptos `ResourceTable` (the client's
//! `view::table` rules), which hide and reorder rows without rebuilding them.

use crate::actions;
use lookout_client::status::Tone;
use lookout_client::view::route::ObjectRoute;
use lookout_client::view::table::{columns, Cell, Column, SortKey, TableQuery, TableRows, Tabular};
use lookout_client::{ApiResource, ObjectKey, Store, WatchState};
use lookout_widget::dom::{element, listen, report, text};
use lookout_widget::live::Update;
use lookout_widget::rows::{KeyedRows, RowOp};
use lookout_widget::sync::{now, set_time};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use web_sys::Element;

/// Skeleton rows shown until the first list arrives.
const SKELETON_ROWS: usize = 5;

/// One rendered table of objects `T`.
pub struct Table<T> {
    api: ApiResource,
    columns: &'static [Column],
    table: Element,
    tbody: Element,
    empty: Element,
    /// Adds a Delete button per row (pods).
    deletable: bool,
    rows: KeyedRows,
    elements: HashMap<ObjectKey, Element>,
    /// The objects in namespace/name order, shared with the store.
    objects: Vec<Arc<T>>,
    synced: bool,
    /// The filter and sort, and what they last showed (keys in order).
    query: TableQuery,
    /// The objects with what the query compares, derived once per version of each.
    index: TableRows<T>,
    shown: Vec<ObjectKey>,
    /// Whether the rows stand in another order than name order.
    sorted: bool,
    tools: Tools,
    /// The sort buttons' headers, in column order (name first).
    headers: Vec<Element>,
    listeners: Vec<Closure<dyn Fn(web_sys::Event)>>,
    /// A refresh (query, order, counts: O(rows)) waits for the next animation frame, so a burst
    /// of watch events costs one, not one per event.
    refresh_due: bool,
}

/// The filter bar: text field, one chip per tone with its count, how many rows show.
struct Tools {
    search: web_sys::HtmlInputElement,
    chips: Vec<(Tone, Element, Element)>,
    count: Element,
}

/// A sortable column header: `title` in a button that sorts by `key`.
fn sort_header(row: &Element, title: &str, numeric: bool) -> Result<Element, JsValue> {
    let th = element(row, "th", &[("scope", "col")])?;
    numeric_cell(&th, numeric)?;
    let button = text(
        &th,
        "button",
        &[("class", "lo-sort"), ("type", "button")],
        title,
    )?;
    element(
        &button,
        "span",
        &[("class", "lo-sort__arrow"), ("aria-hidden", "true")],
    )?;
    Ok(th)
}

impl<T: Tabular> Table<T> {
    /// Renders an empty table of `api` (accessible name `label`) into `parent`.
    pub fn new(
        parent: &Element,
        api: ApiResource,
        label: &str,
        deletable: bool,
    ) -> Result<Rc<RefCell<Table<T>>>, JsValue> {
        let columns = columns(&api.group, &api.kind);
        let wrapper = element(parent, "div", &[("class", "lo-rtable")])?;
        let plural = format!("{}s", api.kind.to_ascii_lowercase());
        let tools = Tools::new(&wrapper, &plural)?;
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
        let mut headers = vec![sort_header(&head, "Name", false)?];
        for c in columns {
            headers.push(sort_header(&head, c.title, c.numeric)?);
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
        let empty = element(&wrapper, "p", &[("class", "lo-empty"), ("hidden", "")])?;
        let index = TableRows::new(&api.group, &api.kind);
        let this = Rc::new(RefCell::new(Table {
            api,
            columns,
            table,
            tbody,
            empty,
            deletable,
            rows: KeyedRows::default(),
            elements: HashMap::new(),
            objects: Vec::new(),
            synced: false,
            query: TableQuery::default(),
            index,
            shown: Vec::new(),
            sorted: false,
            tools,
            headers,
            listeners: Vec::new(),
            refresh_due: false,
        }));
        Self::listen(&this, &wrapper)?;
        Ok(this)
    }

    /// Filters, sorts and clears on the user's input (one listener for the whole table).
    fn listen(this: &Rc<RefCell<Self>>, wrapper: &Element) -> Result<(), JsValue> {
        let weak: Weak<RefCell<Self>> = Rc::downgrade(this);
        let change = move |ev: web_sys::Event| {
            let Some(table) = weak.upgrade() else {
                return;
            };
            let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                return;
            };
            let mut t = table.borrow_mut();
            let changed = t.edit_query(&ev.type_(), &target);
            if changed {
                report(t.refresh(now()));
            }
        };
        let change = Rc::new(change);
        let (on_input, on_click) = (change.clone(), change);
        let input = listen(wrapper, "input", move |ev| on_input(ev))?;
        let click = listen(wrapper, "click", move |ev| on_click(ev))?;
        this.borrow_mut().listeners.extend([input, click]);
        Ok(())
    }

    /// Applies the user's `event` on `target` to the query; whether it changed.
    fn edit_query(&mut self, event: &str, target: &Element) -> bool {
        if event == "input" {
            self.query.text = self.tools.search.value();
            return true;
        }
        if let Ok(Some(chip)) = target.closest("button.lo-chip") {
            let tone = self
                .tools
                .chips
                .iter()
                .find(|(_, c, _)| *c == chip)
                .map(|(t, _, _)| *t);
            if let Some(tone) = tone {
                match self.query.tones.iter().position(|t| *t == tone) {
                    Some(i) => {
                        self.query.tones.remove(i);
                    }
                    None => self.query.tones.push(tone),
                }
                return true;
            }
        }
        if let Ok(Some(th)) = target.closest("th") {
            if let Some(i) = self.headers.iter().position(|h| *h == th) {
                let key = if i == 0 {
                    SortKey::Name
                } else {
                    SortKey::Column(i - 1)
                };
                self.query.toggle_sort(key);
                return true;
            }
        }
        if target
            .closest("button[data-clear]")
            .ok()
            .flatten()
            .is_some()
        {
            self.query.text.clear();
            self.query.tones.clear();
            self.tools.search.set_value("");
            return true;
        }
        false
    }

    /// Shows the rows the query keeps, in its order, with the chips' counts, the sort state and
    /// what is shown.
    fn refresh(&mut self, now: i64) -> Result<(), JsValue> {
        self.index.update(&self.objects, now);
        let shown: Vec<ObjectKey> = self
            .index
            .query(&self.query, now)
            .iter()
            .map(|o| ObjectKey::of(&**o))
            .collect();
        if shown != self.shown {
            let keep: std::collections::HashSet<&ObjectKey> = shown.iter().collect();
            for (key, row) in &self.elements {
                row.toggle_attribute_with_force("hidden", !keep.contains(key))?;
            }
            // Rows are placed in name order: moved (not rebuilt) only while another order
            // holds, and once more to go back to name order.
            let sorted = self.query.sort != SortKey::Name || self.query.descending;
            if sorted || self.sorted {
                for key in &shown {
                    if let Some(row) = self.elements.get(key) {
                        self.tbody.append_child(row)?;
                    }
                }
            }
            self.sorted = sorted;
            self.shown = shown;
        }
        let counts = self.index.counts();
        for ((tone, chip, count), n) in self.tools.chips.iter().zip(counts) {
            let pressed = self.query.tones.contains(tone);
            chip.set_attribute("aria-pressed", if pressed { "true" } else { "false" })?;
            chip.toggle_attribute_with_force("hidden", n == 0 && !pressed)?;
            count.set_text_content(Some(&n.to_string()));
        }
        let (shown, total) = (self.shown.len(), self.objects.len());
        let words = match total - shown {
            0 => shown.to_string(),
            hidden => format!("{shown} of {total} ({hidden} hidden by the filter)"),
        };
        self.tools.count.set_text_content(Some(&words));
        for (i, th) in self.headers.iter().enumerate() {
            let key = if i == 0 {
                SortKey::Name
            } else {
                SortKey::Column(i - 1)
            };
            let (aria, arrow) = match (self.query.sort == key, self.query.descending) {
                (false, _) => (None, ""),
                (true, false) => (Some("ascending"), "▲"),
                (true, true) => (Some("descending"), "▼"),
            };
            match aria {
                Some(a) => th.set_attribute("aria-sort", a)?,
                None => th.remove_attribute("aria-sort")?,
            }
            if let Some(span) = th.query_selector(".lo-sort__arrow")? {
                span.set_text_content(Some(arrow));
            }
        }
        self.table
            .set_attribute("aria-rowcount", &(self.shown.len() + 1).to_string())?;
        self.show_empty()
    }

    /// "No pods." once listed and empty; "No pods match the filter." with a way out when the
    /// filter hides every row.
    fn show_empty(&self) -> Result<(), JsValue> {
        let plural = format!("{}s", self.api.kind.to_ascii_lowercase());
        let none = self.synced && self.shown.is_empty();
        self.empty.toggle_attribute_with_force("hidden", !none)?;
        self.empty.set_text_content(None);
        if self.objects.is_empty() {
            self.empty.set_text_content(Some(&format!("No {plural}.")));
        } else if none {
            self.empty
                .set_text_content(Some(&format!("No {plural} match the filter. ")));
            text(
                &self.empty,
                "button",
                &[
                    ("type", "button"),
                    ("class", "lo-button"),
                    ("data-clear", ""),
                ],
                "Clear filter",
            )?;
        }
        Ok(())
    }

    /// The table element (click events of its rows bubble to it).
    pub fn element(&self) -> &Element {
        &self.table
    }

    /// Brings the rows up to date with a watch update at once (each changed row only); the
    /// query, order and counts follow at the next animation frame, once for all the updates
    /// before it.
    pub fn update(this: &Rc<RefCell<Self>>, update: &Update<'_, T>) -> Result<(), JsValue> {
        let mut table = this.borrow_mut();
        table.apply(update, now())?;
        if table.refresh_due {
            return Ok(());
        }
        let Some(window) = web_sys::window() else {
            return table.refresh(now());
        };
        table.refresh_due = true;
        let weak = Rc::downgrade(this);
        let frame = Closure::once_into_js(move || {
            if let Some(table) = weak.upgrade() {
                let mut table = table.borrow_mut();
                table.refresh_due = false;
                report(table.refresh(now()));
            }
        });
        window.request_animation_frame(frame.unchecked_ref())?;
        Ok(())
    }

    /// Applies a watch update to the rows (inserted, filled or removed one by one).
    fn apply(&mut self, update: &Update<'_, T>, now: i64) -> Result<(), JsValue> {
        let store = update.store;
        store.update_sorted(&mut self.objects, update.changes);
        self.synced = store.is_synced();
        let ops = self.rows.apply(update.changes, |k| store.get(k).is_some());
        let mut inserted = false;
        for op in ops {
            match op {
                RowOp::Insert { key, before } => {
                    inserted = true;
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
        if inserted {
            // New rows were placed in name order and shown: the query decides again.
            self.shown.clear();
        }
        Ok(())
    }

    /// A new row for the object of `key`.
    fn row(&self, store: &Store<T>, key: &ObjectKey, now: i64) -> Result<Element, JsValue> {
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
            numeric_cell(&element(&row, "td", &[])?, c.numeric)?;
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
    fn fill(&self, row: &Element, obj: &T, now: i64) -> Result<(), JsValue> {
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

/// The route of the row of `api` whose name link `target` is in (or is), if it is one.
pub fn route_of(api: &ApiResource, target: &Element) -> Option<ObjectRoute> {
    let row = target.closest("a[data-open]").ok()??.closest("tr").ok()??;
    let namespace = row.get_attribute("data-namespace")?;
    let name = row.get_attribute("data-name")?;
    Some(ObjectRoute::of(api, &namespace, &name))
}

impl Tools {
    /// The filter bar of a table of `plural` (e.g. "pods"), in `parent`.
    fn new(parent: &Element, plural: &str) -> Result<Tools, JsValue> {
        let bar = element(
            parent,
            "div",
            &[("class", "lo-rtable__tools"), ("role", "search")],
        )?;
        let search = element(
            &bar,
            "input",
            &[
                ("class", "lo-input"),
                ("type", "search"),
                ("aria-label", &format!("Filter {plural}")),
                (
                    "placeholder",
                    "Filter by name, namespace, status or label (key=value)",
                ),
            ],
        )?
        .dyn_into::<web_sys::HtmlInputElement>()?;
        let group = element(
            &bar,
            "div",
            &[
                ("class", "lo-chips"),
                ("role", "group"),
                ("aria-label", "Status filter"),
            ],
        )?;
        let chips = Tone::ALL
            .into_iter()
            .map(|tone| {
                let chip = element(
                    &group,
                    "button",
                    &[
                        ("type", "button"),
                        ("class", "lo-chip"),
                        ("data-tone", tone.as_str()),
                        ("aria-pressed", "false"),
                        ("hidden", ""),
                    ],
                )?;
                chip.append_with_str_1(&format!("{} ", tone.label()))?;
                let count = text(&chip, "span", &[("class", "lo-chip__count")], "0")?;
                Ok((tone, chip, count))
            })
            .collect::<Result<Vec<_>, JsValue>>()?;
        let count = element(
            &bar,
            "span",
            &[("class", "lo-count"), ("aria-live", "polite")],
        )?;
        Ok(Tools {
            search,
            chips,
            count,
        })
    }
}

/// Right-aligns a numeric column's cell.
fn numeric_cell(cell: &Element, numeric: bool) -> Result<(), JsValue> {
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
