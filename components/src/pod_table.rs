//! The pods table: the resource table with `kubectl get pods` columns, plus logs and delete.

use crate::action_button::ActionButton;
use crate::live::{use_action, ListProgress};
use crate::resource_table::ResourceTable;
use leptos::prelude::*;
use lookout_client::api::actions::Action;
use lookout_client::api::query::encode;
use lookout_client::view::route::ObjectRoute;
use lookout_client::view::table::TableQuery;
use lookout_client::{ObjectKey, Pod, TypedResource};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The logs page of a pod.
pub fn logs_href(pod: &Pod) -> String {
    format!(
        "/logs?namespace={}&pod={}",
        encode(&pod.metadata.namespace),
        encode(&pod.metadata.name)
    )
}

/// The actions of one pod row: its logs, and delete.
fn pod_actions(pod: &Pod) -> AnyView {
    view! {
        <a class="lo-button" href=logs_href(pod)>"Logs"</a>
        {delete_action(pod)}
    }
    .into_any()
}

/// Delete (asks first; disabled while terminating).
fn delete_action(pod: &Pod) -> AnyView {
    view! {
        <ActionButton
            action=use_action(Pod::API, pod.metadata.namespace.to_string(), pod.metadata.name.to_string(), Action::Delete)
            label="Delete"
            disabled=pod.metadata.deletion_timestamp.is_some()
            confirm=true
        />
    }
    .into_any()
}

/// A virtualized, filterable table of pods (name, ready, status, restarts, age, node; namespace
/// when the pods span several namespaces) with logs and delete per row.
#[component]
pub fn PodTable(
    /// The pods, in namespace/name order.
    #[prop(into)]
    pods: Signal<Vec<Arc<Pod>>>,
    /// Current time (epoch seconds), for the age column.
    #[prop(into)]
    now: Signal<i64>,
    /// Adds a namespace column.
    #[prop(into, optional)]
    show_namespace: Signal<bool>,
    /// Filter and sort (e.g. held in the URL); local when absent.
    #[prop(optional)]
    query: Option<RwSignal<TableQuery>>,
    /// Enables row selection.
    #[prop(optional)]
    selection: Option<RwSignal<BTreeSet<ObjectKey>>>,
    /// Skeleton rows until the first list arrives.
    #[prop(into, optional)]
    loading: Signal<bool>,
    /// While the first list arrives in pages: how many of all pods are in, of how many.
    #[prop(into, optional)]
    progress: Signal<Option<ListProgress>>,
    /// Opens a pod in place (e.g. a widget's drawer) instead of linking to the app's pages; the logs link is then left out (the drawer has the log).
    #[prop(optional)]
    on_open: Option<Callback<ObjectRoute>>,
) -> impl IntoView {
    let query = query.unwrap_or_else(|| RwSignal::new(TableQuery::default()));
    let actions: fn(&Pod) -> AnyView = if on_open.is_some() {
        delete_action
    } else {
        pod_actions
    };
    match (selection, on_open) {
        (Some(selection), _) => view! {
            <ResourceTable api=Pod::API rows=pods now=now show_namespace=show_namespace query=query
                selection=selection actions=actions loading=loading progress=progress label="Pods" />
        }
        .into_any(),
        (None, Some(on_open)) => view! {
            <ResourceTable api=Pod::API rows=pods now=now show_namespace=show_namespace query=query
                actions=actions loading=loading progress=progress label="Pods" on_open=on_open />
        }
        .into_any(),
        (None, None) => view! {
            <ResourceTable api=Pod::API rows=pods now=now show_namespace=show_namespace query=query
                actions=actions loading=loading progress=progress label="Pods" />
        }
        .into_any(),
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

/// Stories: empty, loading, healthy, every problem state, all namespaces, hostile strings, and
/// 10,000 rows.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    fn table(pods: Vec<Pod>, all_namespaces: bool) -> AnyView {
        let now = 1_795_585_091i64;
        let pods: Vec<Arc<Pod>> = pods.into_iter().map(Arc::new).collect();
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
            state: "loading",
            render: || {
                let now = 1_795_585_091i64;
                let pods: Vec<Arc<Pod>> = Vec::new();
                view! { <PodTable pods=pods now=now loading=true /> }.into_any()
            },
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
                    (0..10_000)
                        .map(|i| {
                            fixture_pod(
                                &format!("pod-{i:05}"),
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
