//! A card for one Flux object (Kustomization, HelmRelease or source): its state, what it reads
//! from, the revision it applied (and the one it last tried when that failed), what it waits for,
//! and when it last reconciled — each reference a link to that object.

use crate::relative_time::RelativeTime;
use crate::status_badge::StatusBadge;
use leptos::prelude::*;
use lookout_client::model::flux::{depends_on, last_reconcile, revisions, source_ref, ObjectRef};
use lookout_client::status::flux::{flux_status, FluxState};
use lookout_client::view::catalogue::flux_kind;
use lookout_client::view::route::ObjectRoute;
use lookout_client::ApiResource;
use serde_json::Value;

/// A link to a referenced Flux object (plain text when its kind is not a Flux kind).
fn reference(r: ObjectRef) -> AnyView {
    let label = format!("{} {}/{}", r.kind, r.namespace, r.name);
    match flux_kind(&r.kind) {
        Some(api) => {
            let href = ObjectRoute::of(api, &r.namespace, &r.name).path();
            view! { <a href=href>{label}</a> }.into_any()
        }
        None => view! { <span>{label}</span> }.into_any(),
    }
}

/// The card.
#[component]
pub fn FluxCard(
    /// The object's kind.
    api: ApiResource,
    /// The object (JSON, live).
    #[prop(into)]
    object: Signal<Value>,
    /// Current time (epoch seconds).
    #[prop(into)]
    now: Signal<i64>,
) -> impl IntoView {
    let status = Memo::new(move |_| object.with(|v| flux_status(v, now.get())));
    let name = move || {
        object.with(|v| {
            v.pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        })
    };
    let namespace = move || {
        object.with(|v| {
            v.pointer("/metadata/namespace")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        })
    };
    let link_api = api.clone();
    let href = move || ObjectRoute::of(&link_api, &namespace(), &name()).path();
    let revs = Memo::new(move |_| object.with(revisions));
    let source = move || object.with(source_ref).map(reference);
    let deps = move || {
        let list = object.with(depends_on);
        (!list.is_empty()).then(|| {
            list.into_iter()
                .map(|r| view! { <li>{reference(r)}</li> })
                .collect_view()
        })
    };
    let reconciled = Signal::derive(move || object.with(|v| last_reconcile(v).map(str::to_owned)));
    let kind = api.kind.to_string();
    let data_kind = kind.clone();
    view! {
        <article class="lo-card lo-flux-card" data-kind=data_kind data-name=name data-state=move || status.get().state.as_str()>
            <header class="lo-flux-card__head">
                <span class="lo-card__title"><a href=href>{move || format!("{kind} {}/{}", namespace(), name())}</a></span>
                <StatusBadge label=Signal::derive(move || status.get().state.as_str().to_owned())
                    tone=Signal::derive(move || status.get().state.tone()) message=Signal::derive(move || status.get().message) />
            </header>
            <dl class="lo-facts">
                {move || source().map(|s| view! { <dt>"Source"</dt><dd>{s}</dd> })}
                <dt>"Revision"</dt>
                <dd class="lo-mono">{move || revs.get().applied.unwrap_or_else(|| "—".into())}</dd>
                {move || {
                    // The revision it failed to apply, when that is why it fails.
                    let failing = matches!(status.get().state, FluxState::Failing | FluxState::Failed);
                    let r = revs.get();
                    let applied = r.applied.unwrap_or_default();
                    r.attempted
                        .filter(|a| failing && !applied.ends_with(a.as_str()))
                        .map(|a| view! { <dt>"Failed revision"</dt><dd class="lo-mono lo-flux-card__attempted">{a}</dd> })
                }}
                {move || deps().map(|d| view! { <dt>"Depends on"</dt><dd><ul class="lo-links">{d}</ul></dd> })}
                <dt>"Reconciled"</dt>
                <dd><RelativeTime time=reconciled now=now /></dd>
            </dl>
            <p class="lo-message">{move || status.get().message}</p>
        </article>
    }
}

/// Stories: a Kustomization with dependencies, a HelmRelease failing an upgrade, a source,
/// a suspended one, one waiting on a dependency, a stale one (not yet observed), hostile strings.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    use lookout_client::model::kinds;
    fn card(api: ApiResource, v: Value) -> AnyView {
        view! { <FluxCard api=api object=v now=1_795_585_091i64 /> }.into_any()
    }
    fn ready(message: &str, status: &str) -> Value {
        serde_json::json!([{ "type": "Ready", "status": status, "reason": "X", "message": message, "lastTransitionTime": "2026-11-25T05:30:00Z" }])
    }
    vec![
        Story {
            component: "flux-card",
            state: "kustomization",
            render: || {
                card(
                    kinds::KUSTOMIZATION,
                    serde_json::json!({
            "kind": "Kustomization", "metadata": { "name": "apps", "namespace": "flux-system", "generation": 2 },
            "spec": { "sourceRef": { "kind": "GitRepository", "name": "fleet" }, "dependsOn": [{ "name": "infrastructure" }, { "name": "crds" }] },
            "status": { "observedGeneration": 2, "lastAppliedRevision": "main@sha1:4f2a9c1e0b3d", "conditions": ready("Applied revision: main@sha1:4f2a9c1e0b3d", "True") } }),
                )
            },
        },
        Story {
            component: "flux-card",
            state: "helmrelease-failing",
            render: || {
                card(
                    kinds::HELM_RELEASE,
                    serde_json::json!({
            "kind": "HelmRelease", "metadata": { "name": "podinfo", "namespace": "podinfo", "generation": 3 },
            "spec": { "chart": { "spec": { "chart": "podinfo", "sourceRef": { "kind": "HelmRepository", "name": "podinfo", "namespace": "flux-system" } } } },
            "status": { "observedGeneration": 3, "lastAppliedRevision": "6.5.4", "lastAttemptedRevision": "6.5.5",
                "conditions": ready("Helm upgrade failed for release podinfo/podinfo: timed out waiting for the condition", "False") } }),
                )
            },
        },
        Story {
            component: "flux-card",
            state: "source",
            render: || {
                card(
                    kinds::GIT_REPOSITORY,
                    serde_json::json!({
            "kind": "GitRepository", "metadata": { "name": "fleet", "namespace": "flux-system", "generation": 1 },
            "spec": { "url": "https://gitlab.com/acme/fleet.git" },
            "status": { "observedGeneration": 1, "artifact": { "revision": "main@sha1:4f2a9c1e0b3d" }, "conditions": ready("stored artifact for revision 'main@sha1:4f2a9c1e0b3d'", "True") } }),
                )
            },
        },
        Story {
            component: "flux-card",
            state: "suspended",
            render: || {
                card(
                    kinds::KUSTOMIZATION,
                    serde_json::json!({
            "kind": "Kustomization", "metadata": { "name": "legacy", "namespace": "flux-system", "generation": 1 },
            "spec": { "suspend": true, "sourceRef": { "kind": "GitRepository", "name": "fleet" } },
            "status": { "observedGeneration": 1, "conditions": ready("Applied", "True") } }),
                )
            },
        },
        Story {
            component: "flux-card",
            state: "waiting",
            render: || {
                card(
                    kinds::KUSTOMIZATION,
                    serde_json::json!({
            "kind": "Kustomization", "metadata": { "name": "apps", "namespace": "flux-system", "generation": 2 },
            "spec": { "sourceRef": { "kind": "GitRepository", "name": "fleet" }, "dependsOn": [{ "name": "infrastructure" }] },
            "status": { "observedGeneration": 1, "conditions": [{ "type": "Ready", "status": "False", "reason": "DependencyNotReady", "observedGeneration": 2,
                "message": "dependency 'flux-system/infrastructure' is not ready", "lastTransitionTime": "2026-11-25T05:30:00Z" }] } }),
                )
            },
        },
        Story {
            component: "flux-card",
            state: "stale",
            render: || {
                card(
                    kinds::KUSTOMIZATION,
                    serde_json::json!({
            "kind": "Kustomization", "metadata": { "name": "apps", "namespace": "flux-system", "generation": 3 },
            "spec": { "sourceRef": { "kind": "GitRepository", "name": "fleet" } },
            "status": { "observedGeneration": 2, "lastAppliedRevision": "main@sha1:4f2a9c1e0b3d", "conditions": ready("Applied revision: main@sha1:4f2a9c1e0b3d", "True") } }),
                )
            },
        },
        Story {
            component: "flux-card",
            state: "hostile",
            render: || {
                card(
                    kinds::KUSTOMIZATION,
                    serde_json::json!({
            "kind": "Kustomization", "metadata": { "name": "evil", "namespace": "flux-system" },
            "spec": { "sourceRef": { "kind": "GitRepository", "name": HOSTILE } },
            "status": { "lastAppliedRevision": HOSTILE, "conditions": ready(HOSTILE, "False") } }),
                )
            },
        },
    ]
}
