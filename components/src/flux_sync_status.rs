//! The Flux sync status of an environment, as GitLab's environment page shows it — and more: the
//! applied revision (a link to the commit when the source's URL is known), the message, when it
//! last reconciled, and whether it is suspended.

use crate::relative_time::RelativeTime;
use crate::status_badge::StatusBadge;
use leptos::prelude::*;
use lookout_client::model::flux::{commit_url, last_reconcile, revisions};
use lookout_client::status::flux::sync_status;
use serde_json::Value;

/// The sync badge with revision, message, last reconcile time and suspension. The badge's state
/// is announced to screen readers when it changes.
#[component]
pub fn FluxSyncStatus(
    /// The Kustomization or HelmRelease (JSON; `Null` while loading or when missing).
    #[prop(into)]
    object: Signal<Value>,
    /// The Git URL of its source, when known (makes the revision a commit link).
    #[prop(into, optional)]
    source_url: Signal<Option<String>>,
    /// Current time (epoch seconds).
    #[prop(into)]
    now: Signal<i64>,
    /// Only the badge and the revision (for `<lookout-flux-status>`).
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let status = Memo::new(move |_| object.with(sync_status));
    let revision = Memo::new(move |_| object.with(revisions).applied);
    let link = move || {
        let rev = revision.get()?;
        commit_url(&source_url.get()?, &rev)
    };
    let short = move || {
        revision.get().map(|r| match r.rsplit_once(':') {
            Some((branch, sha)) => format!("{branch}:{}", sha.get(..8).unwrap_or(sha)),
            None => r,
        })
    };
    let when = Signal::derive(move || object.with(|v| last_reconcile(v).map(str::to_owned)));
    view! {
        <div class="lo-sync" data-state=move || status.get().0.as_str() role="group" aria-label="Flux sync status">
            <StatusBadge label=Signal::derive(move || status.get().0.badge().to_owned())
                tone=Signal::derive(move || status.get().0.tone()) message=Signal::derive(move || status.get().1) announce=true />
            {move || short().map(|text| match link() {
                Some(href) => view! { <a class="lo-mono lo-sync__rev" href=href target="_blank" rel="noopener noreferrer">{text}</a> }.into_any(),
                None => view! { <span class="lo-mono lo-sync__rev">{text}</span> }.into_any(),
            })}
            {(!compact).then(|| view! {
                <span class="lo-message lo-sync__message">{move || status.get().1}</span>
                <Show when=move || when.with(Option::is_some)>
                    <span class="lo-sync__when">"reconciled "<RelativeTime time=when now=now /></span>
                </Show>
            })}
        </div>
    }
}

/// Stories: reconciled with a commit link, failing, suspended, unavailable, hostile message.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    fn story(status: &str, reason: &str, message: &str, suspend: bool) -> AnyView {
        let v = serde_json::json!({ "kind": "Kustomization", "metadata": { "name": "apps", "generation": 1 },
            "spec": { "suspend": suspend },
            "status": { "observedGeneration": 1, "lastAppliedRevision": "main@sha1:4f2a9c1e0b3d5f6a7b8c9d0e1f2a3b4c5d6e7f80",
                "conditions": [{ "type": "Ready", "status": status, "reason": reason, "message": message, "lastTransitionTime": "2026-11-25T05:30:00Z" }] } });
        let now = 1_795_585_091i64;
        view! { <FluxSyncStatus object=v source_url=Some("https://gitlab.com/acme/platform.git".to_owned()) now=now /> }.into_any()
    }
    vec![
        Story {
            component: "flux-sync-status",
            state: "reconciled",
            render: || {
                story(
                    "True",
                    "ReconciliationSucceeded",
                    "Applied revision: main@sha1:4f2a9c1e",
                    false,
                )
            },
        },
        Story {
            component: "flux-sync-status",
            state: "failed",
            render: || {
                story(
                    "False",
                    "BuildFailed",
                    "kustomize build failed: accumulating resources",
                    false,
                )
            },
        },
        Story {
            component: "flux-sync-status",
            state: "suspended",
            render: || story("True", "ReconciliationSucceeded", "Applied", true),
        },
        Story {
            component: "flux-sync-status",
            state: "unavailable",
            render: || {
                let now = 1_795_585_091i64;
                view! { <FluxSyncStatus object=Value::Null now=now /> }.into_any()
            },
        },
        Story {
            component: "flux-sync-status",
            state: "hostile",
            render: || story("False", "X", HOSTILE, false),
        },
    ]
}
