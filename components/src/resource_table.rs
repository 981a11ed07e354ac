//! The resource table: any kind, `kubectl get` columns, text and status filters, sorting, row
//! selection, and virtual scrolling — only the rows in view exist in the DOM, keyed by object and
//! resourceVersion, so a change to one object re-renders that one row.

use crate::live::ListProgress;
use crate::status_badge::StatusBadge;
use crate::table_tools::TableTools;
use leptos::prelude::*;
use lookout_client::model::time::{format_age, format_rfc3339};
use lookout_client::view::route::ObjectRoute;
use lookout_client::view::table::{
    columns, visible_window, Cell, SortKey, TableQuery, TableRows, Tabular,
};
use lookout_client::{ApiResource, ObjectKey};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Height of one row in CSS pixels (`--lo-row-height` in the styles must match).
pub const ROW_HEIGHT: f64 = 33.0;
/// Rows rendered above and below the viewport, so keyboard focus and fast scrolls find rows.
const OVERSCAN: usize = 8;
/// Viewport height assumed where the window has none (tests, detached documents).
const DEFAULT_VIEWPORT: f64 = 640.0;

/// The browser window's height in CSS pixels.
fn window_height() -> f64 {
    window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .filter(|h| *h > 0.0)
        .unwrap_or(DEFAULT_VIEWPORT)
}

/// A live table of objects of one kind.
#[component]
pub fn ResourceTable<T>(
    /// The kind (chooses the columns; links go to its detail route).
    api: ApiResource,
    /// The objects, in namespace/name order (a live collection's `rows`).
    #[prop(into)]
    rows: Signal<Vec<Arc<T>>>,
    /// Current time (epoch seconds), for ages and time-dependent status rules.
    #[prop(into)]
    now: Signal<i64>,
    /// Adds a namespace column (all-namespaces views).
    #[prop(into, optional)]
    show_namespace: Signal<bool>,
    /// Filter and sort; pass one to keep it in the URL (default: local).
    #[prop(optional)]
    query: Option<RwSignal<TableQuery>>,
    /// Enables row checkboxes; holds the selected objects' keys.
    #[prop(optional)]
    selection: Option<RwSignal<BTreeSet<ObjectKey>>>,
    /// Renders an actions cell for a row.
    #[prop(optional)]
    actions: Option<fn(&T) -> AnyView>,
    /// Shows skeleton rows while the first list is on its way.
    #[prop(into, optional)]
    loading: Signal<bool>,
    /// While the first list arrives in pages: how much of it is in ("loading N of M"), counted
    /// over the whole collection (a page may show part of it).
    #[prop(into, optional)]
    progress: Signal<Option<ListProgress>>,
    /// Accessible name of the table (default: the kind).
    #[prop(into, optional)]
    label: Option<String>,
    /// Called instead of following a name link (e.g. to open a drawer in a widget).
    #[prop(optional)]
    on_open: Option<Callback<ObjectRoute>>,
) -> impl IntoView
where
    T: Tabular + Send + Sync,
{
    let query = query.unwrap_or_else(|| RwSignal::new(TableQuery::default()));
    let cols = columns(&api.group, &api.kind);
    let group: Arc<str> = Arc::from(api.group.as_ref());
    let kind: Arc<str> = Arc::from(api.kind.as_ref());
    let label = label.unwrap_or_else(|| format!("{} list", api.kind));

    // The rows with each object's tone and search text, derived once per version of it (its
    // cells once a sort needs them): a frame of watch events costs pointer comparisons and the
    // changed rows, not the status rules of every row.
    let index = StoredValue::new(TableRows::<T>::new(&api.group, &api.kind));
    let indexed = Memo::new_with_compare(
        move |_| {
            let now = now.get_untracked();
            rows.with(|r| index.update_value(|i| i.update(r, now)));
        },
        |_, _| true,
    );
    // A new Vec every time rows or the query change; comparing 10,000 objects would cost more
    // than it saves.
    let shown = Memo::new_with_compare(
        move |_| {
            indexed.get(); // runs the update (track() alone would not)
            let q = query.get();
            let now = now.get_untracked();
            index
                .try_update_value(|i| i.query(&q, now))
                .unwrap_or_default()
        },
        |_, _| true,
    );
    let tone_counts = Memo::new(move |_| {
        indexed.get();
        index.with_value(TableRows::counts)
    });

    let scroll_top = RwSignal::new(0.0f64);
    // The container's height follows its content (up to a maximum), so it cannot tell how many
    // rows would fit: the window's height bounds it, and a few rows too many cost little.
    let viewport = RwSignal::new(window_height());
    let scroller = NodeRef::<leptos::html::Div>::new();
    let resize = window_event_listener(leptos::ev::resize, move |_| viewport.set(window_height()));
    on_cleanup(move || resize.remove());
    let window = Memo::new(move |_| {
        visible_window(
            scroll_top.get(),
            viewport.get(),
            ROW_HEIGHT,
            shown.with(Vec::len),
            OVERSCAN,
        )
    });
    let visible = move || {
        let range = window.get();
        shown.with(|s| s.get(range).map(<[_]>::to_vec).unwrap_or_default())
    };
    // Whole pixels, formatted as integers (float formatting costs every bundle kilobytes).
    let pixels = |rows: usize| format!("{}px", (rows as f64 * ROW_HEIGHT) as u64);
    let top_pad = move || pixels(window.get().start);
    let bottom_pad = move || pixels(shown.with(Vec::len).saturating_sub(window.get().end));
    let span = cols.len() + 2 + usize::from(selection.is_some()) + usize::from(actions.is_some());

    let sort_header = move |key: SortKey, title: &'static str, numeric: bool| {
        let aria = move || {
            query.with(|q| {
                (q.sort == key).then_some(if q.descending {
                    "descending"
                } else {
                    "ascending"
                })
            })
        };
        view! {
            <th scope="col" class=numeric.then_some("lo-num") aria-sort=aria>
                <button class="lo-sort" type="button" on:click=move |_| query.update(|q| q.toggle_sort(key))>
                    {title}
                    <span class="lo-sort__arrow" aria-hidden="true">
                        {move || match aria() { Some("ascending") => "▲", Some(_) => "▼", None => "" }}
                    </span>
                </button>
            </th>
        }
    };

    let select_all = move |checked: bool| {
        if let Some(sel) = selection {
            let keys: Vec<ObjectKey> =
                shown.with(|s| s.iter().map(|o| ObjectKey::of(&**o)).collect());
            sel.update(|set| {
                for k in keys {
                    if checked {
                        set.insert(k);
                    } else {
                        set.remove(&k);
                    }
                }
            });
        }
    };
    let all_selected = move || {
        selection.is_some_and(|sel| {
            sel.with(|set| {
                !set.is_empty()
                    && shown.with(|s| s.iter().all(|o| set.contains(&ObjectKey::of(&**o))))
            })
        })
    };

    let row_api = api.clone();
    let (rg, rk) = (group.clone(), kind.clone());
    let row = move |obj: Arc<T>| {
        let meta = obj.meta();
        let key = ObjectKey::of(&*obj);
        let route = ObjectRoute::of(&row_api, &meta.namespace, &meta.name);
        let href = route.path();
        let open = move |ev: leptos::ev::MouseEvent| {
            if let Some(cb) = on_open {
                ev.prevent_default();
                cb.run(route.clone());
            }
        };
        let namespace = meta.namespace.to_string();
        let name = meta.name.to_string();
        let cells = obj.cells(&rg, &rk, now.get_untracked());
        let check = selection.map(|sel| {
            let (k1, k2) = (key.clone(), key.clone());
            let aria = format!("Select {name}");
            view! {
                <td class="lo-select">
                    <input type="checkbox" aria-label=aria
                        prop:checked=move || sel.with(|s| s.contains(&k1))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            sel.update(|s| { if on { s.insert(k2.clone()); } else { s.remove(&k2); } });
                        } />
                </td>
            }
        });
        let cells = cells
            .into_iter()
            .zip(cols)
            .map(|(cell, col)| render_cell(cell, col.numeric, now))
            .collect_view();
        let actions = actions.map(|render| view! { <td class="lo-actions">{render(&obj)}</td> });
        let (data_name, data_namespace, title) = (name.clone(), namespace.clone(), name.clone());
        view! {
            <tr class="lo-vrow" data-name=data_name data-namespace=data_namespace>
                {check}
                <th scope="row" class="lo-name"><a href=href on:click=open title=title>{name}</a></th>
                <Show when=move || show_namespace.get()>
                    <td>{namespace.clone()}</td>
                </Show>
                {cells}
                {actions}
            </tr>
        }
    };

    let on_scroll = move |ev: leptos::ev::Event| {
        let el = event_target::<web_sys::HtmlElement>(&ev);
        scroll_top.set(f64::from(el.scroll_top()));
    };

    let plural = format!("{}s", api.kind.to_ascii_lowercase());
    let plural2 = plural.clone();
    view! {
        <div class="lo-rtable">
            <TableTools query=query counts=tone_counts shown=Signal::derive(move || shown.with(Vec::len))
                total=Signal::derive(move || rows.with(Vec::len)) progress=progress noun=plural.clone()>
                {selection.map(|sel| view! {
                    <span class="lo-selected" aria-live="polite">{move || match sel.with(BTreeSet::len) { 0 => String::new(), n => format!("{n} selected") }}</span>
                })}
            </TableTools>
            <div class="lo-vscroll" node_ref=scroller on:scroll=on_scroll tabindex="-1">
                <table class="lo-table lo-table--virtual" aria-label=label
                    aria-rowcount=move || shown.with(Vec::len) + 1>
                    <thead>
                        <tr>
                            {selection.map(|_| view! {
                                <th scope="col" class="lo-select">
                                    <input type="checkbox" aria-label="Select all shown"
                                        prop:checked=all_selected
                                        on:change=move |ev| select_all(event_target_checked(&ev)) />
                                </th>
                            })}
                            {sort_header(SortKey::Name, "Name", false)}
                            <Show when=move || show_namespace.get()>
                                <th scope="col">"Namespace"</th>
                            </Show>
                            {cols.iter().enumerate().map(|(i, c)| sort_header(SortKey::Column(i), c.title, c.numeric)).collect_view()}
                            {actions.map(|_| view! { <th scope="col">"Actions"</th> })}
                        </tr>
                    </thead>
                    <tbody on:keydown=move_focus>
                        <tr class="lo-spacer" aria-hidden="true" style:height=top_pad></tr>
                        <For
                            each=visible
                            key=|o| { let m = o.meta(); (m.namespace.clone(), m.name.clone(), m.uid.clone(), m.resource_version.clone()) }
                            children=row
                        />
                        <tr class="lo-spacer" aria-hidden="true" style:height=bottom_pad></tr>
                        <Show when=move || loading.get() && rows.with(Vec::is_empty)>
                            {(0..5).map(|_| view! { <tr class="lo-skeleton" aria-hidden="true"><td colspan=span><span></span></td></tr> }).collect_view()}
                        </Show>
                    </tbody>
                </table>
            </div>
            <Show when=move || !loading.get() && shown.with(Vec::is_empty)>
                {
                    let plural = plural2.clone();
                    move || if rows.with(Vec::is_empty) {
                        view! { <p class="lo-empty">{format!("No {plural}.")}</p> }.into_any()
                    } else {
                        view! {
                            <p class="lo-empty">{format!("No {plural} match the filter.")}" "
                                <button type="button" class="lo-button" on:click=move |_| query.update(|q| { q.text.clear(); q.tones.clear(); })>"Clear filter"</button>
                            </p>
                        }.into_any()
                    }
                }
            </Show>
            <span class="lo-sr-only">{move || if loading.get() { format!("Loading {plural}") } else { String::new() }}</span>
        </div>
    }
}

/// Arrow keys move focus to the same cell of the previous or next row (to its link, button or
/// checkbox); the container scrolls along, and the overscan guarantees the neighbouring row exists.
fn move_focus(ev: leptos::ev::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let (Ok(Some(row)), Ok(Some(cell))) = (target.closest("tr.lo-vrow"), target.closest("td, th"))
    else {
        return;
    };
    let next = match ev.key().as_str() {
        "ArrowDown" => row.next_element_sibling(),
        "ArrowUp" => row.previous_element_sibling(),
        _ => return,
    };
    let Some(next) = next.filter(|n| n.class_list().contains("lo-vrow")) else {
        return;
    };
    let column = (0..row.child_element_count())
        .find(|&i| row.children().item(i).as_ref() == Some(&cell))
        .unwrap_or(0);
    let Some(next_cell) = next.children().item(column) else {
        return;
    };
    ev.prevent_default();
    let focus = next_cell
        .query_selector("a, button, input")
        .ok()
        .flatten()
        .unwrap_or(next_cell);
    if let Some(el) = focus.dyn_ref::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// One cell as `kubectl` would print it.
fn render_cell(cell: Cell, numeric: bool, now: Signal<i64>) -> AnyView {
    let class = numeric.then_some("lo-num");
    match cell {
        Cell::Text(t) if t.is_empty() => view! { <td class=class>"—"</td> }.into_any(),
        Cell::Text(t) => {
            let title = t.clone();
            view! { <td class=class title=title>{t}</td> }.into_any()
        }
        Cell::Number(n) => view! { <td class=class>{n}</td> }.into_any(),
        Cell::Ratio(a, b) => view! { <td class=class>{format!("{a}/{b}")}</td> }.into_any(),
        Cell::Age(None) => view! { <td>"—"</td> }.into_any(),
        Cell::Age(Some(t)) => {
            let exact = format_rfc3339(t);
            view! { <td><time datetime=exact.clone() title=exact>{move || format_age(now.get() - t)}</time></td> }
                .into_any()
        }
        Cell::Status {
            word,
            tone,
            message,
        } => view! {
            <td><StatusBadge label=word tone=tone message=message /></td>
        }
        .into_any(),
    }
}
