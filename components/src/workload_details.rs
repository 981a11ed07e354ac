//! A workload as `kubectl describe` tells it: replicas, selector, strategy, images.

use leptos::prelude::*;
use lookout_client::model::WorkloadDetails;

/// A workload's `kubectl describe` facts.
#[component]
pub fn WorkloadDetailsView(
    /// What the full object says ([`WorkloadDetails::of`]).
    #[prop(into)]
    details: Signal<WorkloadDetails>,
) -> impl IntoView {
    let or_dash = |s: String| if s.is_empty() { "—".to_owned() } else { s };
    view! {
        <dl class="lo-facts" aria-label="Workload">
            <dt>"Replicas"</dt><dd data-fact="replicas">{move || or_dash(details.with(|d| d.replicas.clone()))}</dd>
            <dt>"Selector"</dt><dd data-fact="selector" class="lo-mono lo-wrap">{move || or_dash(details.with(|d| d.selector.clone()))}</dd>
            <dt>"Strategy"</dt><dd data-fact="strategy">{move || or_dash(details.with(|d| d.strategy.clone()))}</dd>
            <dt>"Images"</dt>
            <dd data-fact="images" class="lo-mono lo-wrap">
                {move || details.with(|d| d.images.iter().map(|i| view! { <div>{i.clone()}</div> }).collect_view())}
            </dd>
        </dl>
    }
}

/// Stories: a Deployment with an unavailable replica, a hostile object.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    use serde_json::json;
    vec![
        Story {
            component: "workload-details",
            state: "deployment",
            render: || {
                let d = WorkloadDetails::of(
                    "Deployment",
                    &json!({
                    "spec": { "replicas": 2, "strategy": { "type": "RollingUpdate" }, "selector": { "matchLabels": { "app": "podinfo" } },
                        "template": { "spec": { "containers": [{ "name": "podinfo", "image": "ghcr.io/stefanprodan/podinfo:6.5.4" }] } } },
                    "status": { "replicas": 2, "updatedReplicas": 2, "availableReplicas": 1, "unavailableReplicas": 1 } }),
                );
                view! { <WorkloadDetailsView details=d /> }.into_any()
            },
        },
        Story {
            component: "workload-details",
            state: "hostile",
            render: || {
                let d = WorkloadDetails::of(
                    "StatefulSet",
                    &json!({
                    "spec": { "selector": { "matchLabels": { HOSTILE: HOSTILE } }, "updateStrategy": { "type": HOSTILE },
                        "template": { "spec": { "containers": [{ "name": HOSTILE, "image": HOSTILE.repeat(6) }] } } } }),
                );
                view! { <WorkloadDetailsView details=d /> }.into_any()
            },
        },
    ]
}
