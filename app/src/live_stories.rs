//! The live variant of each component's stories (`/stories/<component>/live`): the same
//! component fed by watches of the devserver's living demo instead of fixtures.

use crate::detail_page::GraphTab;
use leptos::prelude::*;
use lookout_client::model::flux::helm_history;
use lookout_client::model::Object;
use lookout_client::status::flux::flux_status;
use lookout_client::view::route::ObjectRoute;
use lookout_client::{model::kinds, ApiResource, Auth, Connection, Pod, Selector, TypedResource};
use lookout_components::story::Story;
use lookout_components::{
    use_collection, use_now, use_object, use_objects, use_objects_with_options,
    use_workload_counts, ConditionsTable, ConnectionStatus, ErrorPanel, EventsTable,
    FluxSyncStatus, FluxTable, HelmHistory, Labels, PodSummary, PodTable, RelativeTime,
    ResourceTable, StatusBadge, UseObjectsOptions, WorkloadSummary, YamlView,
};
use serde_json::Value;

/// One object of the demo, live, as JSON (`Null` until it arrives).
fn live_object(api: ApiResource, namespace: &'static str, name: &'static str) -> Signal<Value> {
    use_object(api, namespace, name).value
}

fn demo_pods() -> lookout_components::UseObjectsReturn<Pod> {
    use_collection::<Pod>(|| Selector {
        namespace: Some("demo".into()),
        ..Selector::default()
    })
}

fn story(component: &'static str, render: fn() -> AnyView) -> Story {
    Story {
        component,
        state: "live",
        render,
    }
}

/// Every live story.
pub fn all() -> Vec<Story> {
    vec![
        story("pod-table", || {
            let pods = demo_pods();
            view! { <PodTable pods=pods.rows now=use_now() /> }.into_any()
        }),
        story("resource-table", || {
            let live = use_objects::<Object>(kinds::DEPLOYMENT, Selector::default);
            view! { <ResourceTable api=kinds::DEPLOYMENT rows=live.rows now=use_now() show_namespace=true /> }.into_any()
        }),
        story("pod-summary", || {
            let pods = demo_pods();
            view! { <PodSummary pods=pods.rows selected=Signal::stored(None) on_select=Callback::new(|_| ()) /> }.into_any()
        }),
        story("workload-summary", || {
            let workloads = use_workload_counts(Signal::stored(Some("demo".to_owned())));
            view! { <WorkloadSummary workloads=workloads /> }.into_any()
        }),
        story("connection-status", || {
            let pods = demo_pods();
            view! { <ConnectionStatus state=pods.state /> }.into_any()
        }),
        story("status-badge", || {
            let v = live_object(kinds::HELM_RELEASE, "podinfo", "podinfo");
            let now = use_now();
            let s = Signal::derive(move || v.with(|v| flux_status(v, now.get())));
            view! { <StatusBadge label=Signal::derive(move || s.get().state.as_str().to_owned()) tone=Signal::derive(move || s.get().state.tone()) message=Signal::derive(move || s.get().message) /> }.into_any()
        }),
        story("flux-sync-status", || {
            let v = live_object(kinds::KUSTOMIZATION, "flux-system", "apps");
            view! { <FluxSyncStatus object=v now=use_now() /> }.into_any()
        }),
        story("flux-table", || {
            let sources = [kinds::KUSTOMIZATION, kinds::HELM_RELEASE]
                .into_iter()
                .map(|api| {
                    (
                        api.clone(),
                        use_objects::<Object>(api, Selector::default).items,
                    )
                })
                .collect();
            view! { <FluxTable sources=sources now=use_now() /> }.into_any()
        }),
        story("conditions-table", || {
            let v = live_object(kinds::HELM_RELEASE, "podinfo", "podinfo");
            view! { <ConditionsTable object=v now=use_now() /> }.into_any()
        }),
        story("helm-history", || {
            let v = live_object(kinds::HELM_RELEASE, "podinfo", "podinfo");
            view! { <HelmHistory history=Signal::derive(move || v.with(helm_history)) now=use_now() /> }.into_any()
        }),
        story("yaml-view", || {
            view! { <YamlView object=live_object(kinds::KUSTOMIZATION, "flux-system", "apps") /> }
                .into_any()
        }),
        story("labels", || {
            let pods = demo_pods();
            let labels = Signal::derive(move || {
                pods.rows.with(|p| {
                    p.first()
                        .map(|p| {
                            p.metadata
                                .labels
                                .iter()
                                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                                .collect()
                        })
                        .unwrap_or_default()
                })
            });
            view! { <Labels items=labels /> }.into_any()
        }),
        story("relative-time", || {
            let v = live_object(kinds::KUSTOMIZATION, "flux-system", "apps");
            let at = Signal::derive(move || {
                v.with(|v| {
                    v.pointer("/status/lastHandledReconcileAt")
                        .or(v.pointer("/metadata/creationTimestamp"))
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                })
            });
            view! { <RelativeTime time=at now=use_now() /> }.into_any()
        }),
        story("events-table", || {
            let live = use_objects::<Object>(kinds::EVENT, || Selector {
                namespace: Some("demo".into()),
                ..Selector::default()
            });
            view! { <EventsTable events=live.items now=use_now() warnings_only=false /> }.into_any()
        }),
        story("flux-graph", || {
            view! { <GraphTab object=ObjectRoute::of(&kinds::KUSTOMIZATION, "flux-system", "apps") /> }.into_any()
        }),
        story("error-panel", || {
            // An agent the proxy does not know: the devserver's KAS refuses it.
            let connection = Connection::new("/k8s-proxy", Auth::ProxyAgent { agent_id: 99 });
            let options = UseObjectsOptions::default().connection(connection);
            let pods = use_objects_with_options::<Pod>(Pod::API, Selector::default, options);
            view! { <ErrorPanel state=pods.state retry=pods.retry /> }.into_any()
        }),
    ]
}
