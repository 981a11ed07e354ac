//! An object's `status.conditions` as a table: type, status, reason, message, last change.

use crate::relative_time::RelativeTime;
use crate::status_badge::StatusBadge;
use crate::table_head::TableHead;
use leptos::prelude::*;
use lookout_client::status::condition_health;
use serde_json::Value;

/// The conditions of an object (JSON), in the object's order.
#[component]
pub fn ConditionsTable(
    /// The object (any kind); shows "No conditions." when it has none.
    #[prop(into)]
    object: Signal<Value>,
    /// Current time (epoch seconds), for "last change".
    #[prop(into)]
    now: Signal<i64>,
) -> impl IntoView {
    let rows = move || {
        object.with(|o| {
            o["status"]["conditions"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
    };
    let text = |c: &Value, k: &str| c[k].as_str().unwrap_or("").to_owned();
    view! {
        <Show when=move || !rows().is_empty() fallback=|| view! { <p class="lo-empty">"No conditions."</p> }>
            <table class="lo-table" aria-label="Conditions">
                <TableHead columns=&["Type", "Status", "Reason", "Message", "Last change"] />
                <tbody>
                    {move || rows().into_iter().map(|c| {
                        let (kind, status) = (text(&c, "type"), text(&c, "status"));
                        let t = condition_health(&kind, &status).tone();
                        let changed = c["lastTransitionTime"].as_str().map(str::to_owned);
                        let row_type = kind.clone();
                        view! {
                            <tr data-type=row_type>
                                <th scope="row" class="lo-wrap">{kind}</th>
                                <td><StatusBadge label=status tone=t /></td>
                                <td class="lo-wrap">{text(&c, "reason")}</td>
                                <td class="lo-message">{text(&c, "message")}</td>
                                <td><RelativeTime time=changed now=now /></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </Show>
    }
}

/// Stories: a healthy Kustomization, a failing HelmRelease, none, hostile.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    use serde_json::json;
    fn table(conditions: Value) -> AnyView {
        let object = json!({ "status": { "conditions": conditions } });
        view! { <ConditionsTable object=object now=1_795_585_091i64 /> }.into_any()
    }
    vec![
        Story {
            component: "conditions-table",
            state: "healthy",
            render: || {
                table(json!([
                    { "type": "Ready", "status": "True", "reason": "ReconciliationSucceeded", "message": "Applied revision: main@sha1:4f2a", "lastTransitionTime": "2026-11-25T05:30:00Z" },
                    { "type": "Healthy", "status": "True", "reason": "Succeeded", "message": "Health check passed", "lastTransitionTime": "2026-11-25T05:30:00Z" },
                ]))
            },
        },
        Story {
            component: "conditions-table",
            state: "failing",
            render: || {
                table(json!([
                    { "type": "Reconciling", "status": "True", "reason": "ProgressingWithRetry", "message": "Detecting drift", "lastTransitionTime": "2026-11-25T05:37:00Z" },
                    { "type": "Ready", "status": "False", "reason": "UpgradeFailed", "message": "Helm upgrade failed: context deadline exceeded", "lastTransitionTime": "2026-11-25T05:37:00Z" },
                    { "type": "Stalled", "status": "True", "reason": "RetriesExceeded", "message": "Failed to upgrade after 3 attempt(s)", "lastTransitionTime": "2026-11-25T05:38:00Z" },
                ]))
            },
        },
        Story {
            component: "conditions-table",
            state: "none",
            render: || table(json!([])),
        },
        Story {
            component: "conditions-table",
            state: "hostile",
            render: || {
                table(
                    json!([{ "type": HOSTILE, "status": "False", "reason": HOSTILE, "message": HOSTILE, "lastTransitionTime": "bad" }]),
                )
            },
        },
    ]
}
