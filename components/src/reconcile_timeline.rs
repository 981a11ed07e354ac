//! A Flux object's reconciliation timeline (built by `lookout_client::view::timeline`): events and
//! condition transitions, newest first, each with its age (exact time on hover), reason, message
//! and tone.

use crate::relative_time::RelativeTime;
use crate::status_badge::StatusBadge;
use leptos::prelude::*;
use lookout_client::view::timeline::{Entry, Source};

/// The timeline, newest first.
#[component]
pub fn ReconcileTimeline(
    /// The entries, newest first.
    #[prop(into)]
    entries: Signal<Vec<Entry>>,
    /// Current time (epoch seconds).
    #[prop(into)]
    now: Signal<i64>,
) -> impl IntoView {
    move || {
        let list = entries.get();
        if list.is_empty() {
            return view! { <p class="lo-empty">"No events or condition changes recorded."</p> }
                .into_any();
        }
        let items = list
            .into_iter()
            .map(|e| {
                let what = match &e.source {
                    Source::Event { count } if *count > 1 => format!("Event ×{count}"),
                    Source::Event { .. } => "Event".to_owned(),
                    Source::Condition { kind, status } => format!("{kind}={status}"),
                };
                let source = match e.source {
                    Source::Event { .. } => "event",
                    Source::Condition { .. } => "condition",
                };
                view! {
                    <li class="lo-timeline__entry" data-source=source data-reason=e.reason.clone()>
                        <span class="lo-timeline__when"><RelativeTime time=Some(e.time.clone()) now=now /></span>
                        <StatusBadge label=e.reason.clone() tone=e.tone />
                        <span class="lo-timeline__what">{what}</span>
                        <span class="lo-timeline__message">{e.message.clone()}</span>
                    </li>
                }
            })
            .collect_view();
        view! { <ol class="lo-timeline" aria-label="Reconciliation timeline">{items}</ol> }
            .into_any()
    }
}

/// Stories: a failing then recovered Kustomization, waiting on a dependency, empty.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    use lookout_client::status::Tone;
    fn entry(time: &str, source: Source, reason: &str, message: &str, tone: Tone) -> Entry {
        Entry {
            time: time.into(),
            at: lookout_client::model::time::parse_rfc3339(time).unwrap_or(0),
            source,
            reason: reason.into(),
            message: message.into(),
            tone,
        }
    }
    fn ready(status: &str) -> Source {
        Source::Condition {
            kind: "Ready".into(),
            status: status.into(),
        }
    }
    fn show(entries: Vec<Entry>) -> AnyView {
        view! { <ReconcileTimeline entries=entries now=1_795_585_091i64 /> }.into_any()
    }
    vec![
        Story {
            component: "reconcile-timeline",
            state: "recovered",
            render: || {
                show(vec![
                    entry("2026-11-25T05:37:00Z", ready("True"), "ReconciliationSucceeded", "Applied revision: main@sha1:4f2a9c1e", Tone::Ok),
                    entry("2026-11-25T05:36:58Z", Source::Event { count: 1 }, "ReconciliationSucceeded", "Reconciliation finished in 1.2s, next run in 10m0s", Tone::Ok),
                    entry("2026-11-25T05:20:00Z", Source::Event { count: 4 }, "HealthCheckFailed", &format!("timeout waiting for: [Deployment/demo/worker status: 'InProgress'] {HOSTILE}"), Tone::Error),
                    entry("2026-11-25T05:10:00Z", Source::Condition { kind: "Reconciling".into(), status: "True".into() }, "Progressing", "Reconciliation in progress", Tone::Progress),
                ])
            },
        },
        Story {
            component: "reconcile-timeline",
            state: "waiting",
            render: || {
                show(vec![
                    entry(
                        "2026-11-25T05:30:00Z",
                        ready("False"),
                        "DependencyNotReady",
                        "dependency 'flux-system/infrastructure' is not ready",
                        Tone::Error,
                    ),
                    entry(
                        "2026-11-25T05:29:00Z",
                        Source::Event { count: 2 },
                        "DependencyNotReady",
                        "dependency 'flux-system/infrastructure' is not ready",
                        Tone::Ok,
                    ),
                ])
            },
        },
        Story {
            component: "reconcile-timeline",
            state: "empty",
            render: || show(vec![]),
        },
    ]
}
