//! Kubernetes Events, newest first, with a warnings-only filter: what happened, to which object,
//! how often, how long ago.

use crate::relative_time::RelativeTime;
use crate::status_badge::StatusBadge;
use crate::table_head::TableHead;
use leptos::prelude::*;
use lookout_client::model::event::facts;
use lookout_client::model::Object;
use lookout_client::status::Tone;

/// The fields of one Event row (core/v1 or events.k8s.io/v1 shapes).
#[derive(Clone, PartialEq)]
struct Row {
    key: (String, String, String),
    warning: bool,
    reason: String,
    object: String,
    message: String,
    count: u64,
    last: Option<String>,
}

fn row(e: &Object) -> Row {
    let facts = facts(&e.value);
    let (kind, name) = facts.regarding;
    Row {
        key: (
            e.metadata.namespace.to_string(),
            e.metadata.name.to_string(),
            e.metadata.resource_version.to_string(),
        ),
        warning: facts.warning,
        reason: facts.reason,
        object: format!("{kind}/{name}"),
        message: facts.message,
        count: facts.count,
        last: facts.last,
    }
}

/// A table of Events, newest first.
#[component]
pub fn EventsTable(
    /// The Events (either API version).
    #[prop(into)]
    events: Signal<Vec<Object>>,
    /// Current time (epoch seconds).
    #[prop(into)]
    now: Signal<i64>,
    /// Show only `Warning` events.
    #[prop(into)]
    warnings_only: Signal<bool>,
) -> impl IntoView {
    let rows = Memo::new(move |_| {
        let only = warnings_only.get();
        let mut rows: Vec<Row> =
            events.with(|es| es.iter().map(row).filter(|r| !only || r.warning).collect());
        // RFC 3339 UTC timestamps sort as text; newest first.
        rows.sort_by(|a, b| b.last.cmp(&a.last).then_with(|| a.key.cmp(&b.key)));
        rows
    });
    view! {
        <table class="lo-table" aria-label="Events">
            <TableHead columns=&["Type", "Reason", "Object", "Message", "Count", "Last seen"] numeric=&["Count"] />
            <tbody>
                <For
                    each=move || rows.get()
                    key=|r| r.key.clone()
                    children=move |r| {
                        let label = if r.warning { "Warning" } else { "Normal" };
                        let tone = Tone::of_event(r.warning);
                        view! {
                            <tr data-reason=r.reason.clone() data-type=label>
                                <td><StatusBadge label=label.to_owned() tone=tone /></td>
                                <td class="lo-wrap">{r.reason.clone()}</td>
                                <td class="lo-wrap">{r.object.clone()}</td>
                                <td class="lo-message">{r.message.clone()}</td>
                                <td class="lo-num">{r.count}</td>
                                <td><RelativeTime time=r.last.clone() now=now /></td>
                            </tr>
                        }
                    }
                />
            </tbody>
        </table>
        <Show when=move || rows.with(Vec::is_empty)>
            <p class="lo-empty">"No events."</p>
        </Show>
    }
}
