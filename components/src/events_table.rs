//! Kubernetes Events, newest first, with a warnings-only filter: what happened, to which object,
//! how often, how long ago.

use crate::relative_time::RelativeTime;
use crate::status_badge::StatusBadge;
use crate::table_head::TableHead;
use leptos::prelude::*;
use lookout_client::model::Object;
use lookout_client::status::Tone;
use serde_json::Value;

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

fn s(v: &Value) -> String {
    v.as_str().unwrap_or("").to_owned()
}

fn row(e: &Object) -> Row {
    let v = &e.value;
    let regarding = if v["involvedObject"].is_object() {
        &v["involvedObject"]
    } else {
        &v["regarding"]
    };
    let last = [
        &v["lastTimestamp"],
        &v["eventTime"],
        &v["series"]["lastObservedTime"],
        &v["metadata"]["creationTimestamp"],
    ]
    .into_iter()
    .find_map(|t| t.as_str().filter(|t| !t.is_empty()).map(str::to_owned));
    Row {
        key: (
            e.metadata.namespace.clone(),
            e.metadata.name.clone(),
            e.metadata.resource_version.clone(),
        ),
        warning: v["type"] == "Warning",
        reason: s(&v["reason"]),
        object: format!("{}/{}", s(&regarding["kind"]), s(&regarding["name"])),
        message: if v["message"].is_string() {
            s(&v["message"])
        } else {
            s(&v["note"])
        },
        count: v["count"]
            .as_u64()
            .or(v["series"]["count"].as_u64())
            .unwrap_or(1),
        last,
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
