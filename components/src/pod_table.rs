//! The pods table: the columns of `kubectl get pods`, one keyed row per pod, updating live.

use crate::action_button::ActionButton;
use leptos::prelude::*;
use lookout_client::actions::Action;
use lookout_client::query::encode;
use lookout_client::time::{format_age, format_rfc3339, parse_rfc3339};
use lookout_client::{Pod, TypedResource};

/// How a pod's status word should be coloured.
fn tone(status: &str) -> &'static str {
    match status {
        "Running" | "Succeeded" | "Completed" => "ok",
        "Pending" | "ContainerCreating" | "PodInitializing" | "Terminating" => "progress",
        "Unknown" => "unknown",
        _ => "error",
    }
}

/// A table of pods with name, ready, status, restarts, age and node (and namespace when the
/// pods span several namespaces). Rows are keyed by uid and resourceVersion, so a change
/// re-renders only the changed pod's row.
///
/// Props:
/// - `pods`: the pods to show, in display order.
/// - `now`: current time (epoch seconds), for the age column.
/// - `show_namespace`: adds a namespace column.
#[component]
pub fn PodTable(
    #[prop(into)] pods: Signal<Vec<Pod>>,
    #[prop(into)] now: Signal<i64>,
    #[prop(into, optional)] show_namespace: Signal<bool>,
) -> impl IntoView {
    view! {
        <table class="lo-table" aria-label="Pods">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <Show when=move || show_namespace.get()>
                        <th scope="col">"Namespace"</th>
                    </Show>
                    <th scope="col">"Ready"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col" class="lo-num">"Restarts"</th>
                    <th scope="col">"Age"</th>
                    <th scope="col">"Node"</th>
                    <th scope="col">"Actions"</th>
                </tr>
            </thead>
            <tbody>
                <For
                    each=move || pods.get()
                    key=|p| (p.metadata.uid.clone(), p.metadata.resource_version.clone())
                    children=move |pod| pod_row(pod, now, show_namespace)
                />
            </tbody>
        </table>
        <Show when=move || pods.with(Vec::is_empty)>
            <p class="lo-empty">"No pods."</p>
        </Show>
    }
}

fn pod_row(pod: Pod, now: Signal<i64>, show_namespace: Signal<bool>) -> impl IntoView {
    let status = pod.display_status().to_owned();
    let tone = tone(&status);
    let (ready, total) = pod.ready();
    let created = pod
        .metadata
        .creation_timestamp
        .as_deref()
        .and_then(parse_rfc3339);
    let age = move || {
        created
            .map(|c| format_age(now.get() - c))
            .unwrap_or_else(|| "—".into())
    };
    let exact = created.map(format_rfc3339).unwrap_or_default();
    let namespace = pod.metadata.namespace.clone();
    let terminating = pod.metadata.deletion_timestamp.is_some();
    let logs_href = format!(
        "?page=logs&namespace={}&pod={}",
        encode(&pod.metadata.namespace),
        encode(&pod.metadata.name)
    );
    view! {
        <tr data-name=pod.metadata.name.clone()>
            <th scope="row" class="lo-name">
                <a href=logs_href title="Logs">{pod.metadata.name.clone()}</a>
            </th>
            <Show when=move || show_namespace.get()>
                <td>{namespace.clone()}</td>
            </Show>
            <td>{format!("{ready}/{total}")}</td>
            <td>
                <span class="lo-status" data-tone=tone>{status}</span>
            </td>
            <td class="lo-num">{pod.restarts()}</td>
            <td><time datetime=exact.clone() title=exact>{age}</time></td>
            <td>{pod.spec.node_name.clone().unwrap_or_default()}</td>
            <td class="lo-actions">
                <ActionButton
                    api=Pod::API
                    namespace=pod.metadata.namespace.clone()
                    name=pod.metadata.name.clone()
                    action=Action::Delete
                    label="Delete"
                    disabled=terminating
                    confirm=true
                />
            </td>
        </tr>
    }
}

/// A pod from a compact description, for stories and tests.
fn fixture_pod(
    name: &str,
    namespace: &str,
    phase: &str,
    ready: bool,
    restarts: u32,
    waiting: Option<&str>,
    deleting: bool,
) -> Pod {
    let state = match waiting {
        Some(reason) => serde_json::json!({ "waiting": { "reason": reason } }),
        None => serde_json::json!({ "running": {} }),
    };
    let mut meta = serde_json::json!({ "name": name, "namespace": namespace, "uid": format!("uid-{name}"), "resourceVersion": "1", "creationTimestamp": "2026-11-25T08:00:00Z" });
    if deleting {
        meta["deletionTimestamp"] = serde_json::json!("2026-11-25T09:00:00Z");
    }
    let pod = serde_json::json!({ "metadata": meta, "spec": { "nodeName": "node-1", "containers": [{ "name": "main" }] },
        "status": { "phase": phase, "containerStatuses": [{ "name": "main", "ready": ready, "restartCount": restarts, "state": state }] } });
    serde_json::from_value(pod).unwrap_or_default()
}

/// Stories: empty, healthy, every problem state, all namespaces, hostile strings, and 1,000 rows.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    fn table(pods: Vec<Pod>, all_namespaces: bool) -> AnyView {
        let now = 1_795_585_091i64;
        view! { <PodTable pods=pods now=now show_namespace=all_namespaces /> }.into_any()
    }
    vec![
        Story {
            component: "pod-table",
            state: "empty",
            render: || table(vec![], false),
        },
        Story {
            component: "pod-table",
            state: "healthy",
            render: || {
                table(
                    (0..3)
                        .map(|i| {
                            fixture_pod(
                                &format!("web-7d9f8c6b5-{i}"),
                                "app",
                                "Running",
                                true,
                                0,
                                None,
                                false,
                            )
                        })
                        .collect(),
                    false,
                )
            },
        },
        Story {
            component: "pod-table",
            state: "problems",
            render: || {
                table(
                    vec![
                        fixture_pod(
                            "worker-1",
                            "app",
                            "Running",
                            false,
                            12,
                            Some("CrashLoopBackOff"),
                            false,
                        ),
                        fixture_pod(
                            "api-2",
                            "app",
                            "Pending",
                            false,
                            0,
                            Some("ImagePullBackOff"),
                            false,
                        ),
                        fixture_pod(
                            "cache-0",
                            "app",
                            "Pending",
                            false,
                            0,
                            Some("ContainerCreating"),
                            false,
                        ),
                        fixture_pod("web-3", "app", "Running", true, 0, None, true),
                        fixture_pod("job-4", "app", "Failed", false, 0, None, false),
                    ],
                    false,
                )
            },
        },
        Story {
            component: "pod-table",
            state: "all-namespaces",
            render: || {
                table(
                    vec![
                        fixture_pod("coredns-1", "kube-system", "Running", true, 0, None, false),
                        fixture_pod("web-1", "app", "Running", true, 1, None, false),
                    ],
                    true,
                )
            },
        },
        Story {
            component: "pod-table",
            state: "hostile",
            render: || {
                table(
                    vec![fixture_pod(
                        "evil",
                        HOSTILE,
                        "Pending",
                        false,
                        0,
                        Some(HOSTILE),
                        false,
                    )],
                    true,
                )
            },
        },
        Story {
            component: "pod-table",
            state: "huge",
            render: || {
                table(
                    (0..1000)
                        .map(|i| {
                            fixture_pod(
                                &format!("pod-{i:04}"),
                                "scale",
                                "Running",
                                i % 7 != 0,
                                i % 5,
                                None,
                                false,
                            )
                        })
                        .collect(),
                    false,
                )
            },
        },
    ]
}
