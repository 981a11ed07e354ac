//! What needs attention (`lookout_client::view::attention`): each failing or waiting object with
//! its status, a link to its page, the reason and the message.

use crate::status_badge::StatusBadge;
use leptos::prelude::*;
use lookout_client::view::attention::Problem;

/// The problems, failing first, keyed so that a change redraws its own row only.
#[component]
pub fn AttentionList(
    /// The problems to list, in order.
    #[prop(into)]
    problems: Signal<Vec<Problem>>,
    /// The id of the heading that names the list.
    labelled_by: &'static str,
) -> impl IntoView {
    view! {
        <ul class="lo-attention" aria-labelledby=labelled_by aria-live="polite">
            <For each=move || problems.get() key=|p| (p.href.clone(), p.word.clone(), p.reason.clone(), p.message.clone())
                children=move |p| {
                    let label = p.label();
                    view! {
                        <li class="lo-attention__item" data-kind=p.kind.clone() data-name=p.name.clone()>
                            <StatusBadge label=p.word.clone() tone=p.tone message=p.message.clone() />
                            <a class="lo-attention__object" href=p.href.clone()>{label}</a>
                            <span class="lo-attention__reason">{p.reason.clone()}</span>
                            <span class="lo-message">{p.message.clone()}</span>
                        </li>
                    }
                } />
        </ul>
    }
}

/// Stories: a failing HelmRelease, a crash-looping pod, a waiting Kustomization and a hostile
/// message; nothing to list.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    use lookout_client::status::Tone;
    fn problem(
        kind: &str,
        namespace: &str,
        name: &str,
        word: &str,
        tone: Tone,
        reason: &str,
        message: &str,
    ) -> Problem {
        Problem {
            kind: kind.into(),
            namespace: namespace.into(),
            name: name.into(),
            word: word.into(),
            tone,
            reason: reason.into(),
            message: message.into(),
            href: format!("/stories/attention-list/{name}"),
        }
    }
    fn list(problems: Vec<Problem>) -> AnyView {
        view! {
            <section class="lo-overview">
                <h3 id="story-attention">"Needs attention"</h3>
                <AttentionList problems=problems labelled_by="story-attention" />
            </section>
        }
        .into_any()
    }
    vec![
        Story {
            component: "attention-list",
            state: "failing",
            render: || {
                list(vec![
                    problem("HelmRelease", "podinfo", "podinfo", "failing", Tone::Error, "UpgradeFailed",
                        "Helm upgrade failed for release podinfo/podinfo with chart podinfo@6.5.4: context deadline exceeded"),
                    problem("Pod", "demo", "worker-6b7c8d9e0-pqrst", "CrashLoopBackOff", Tone::Error, "container worker, 7 restarts",
                        "back-off 5m0s restarting failed container=worker pod=worker-6b7c8d9e0-pqrst_demo"),
                    problem("Pod", "demo", "web-7d9f8c6b5-x1", "ImagePullBackOff", Tone::Error, "container web",
                        "Back-off pulling image \"registry.example.com/web:9.9.9\""),
                    problem("Kustomization", "flux-system", "apps", "waiting", Tone::Progress, "DependencyNotReady",
                        "dependency 'flux-system/infrastructure' is not ready"),
                    problem("Deployment", "demo", HOSTILE, HOSTILE, Tone::Error, HOSTILE, &HOSTILE.repeat(4)),
                ])
            },
        },
        Story {
            component: "attention-list",
            state: "empty",
            render: || list(vec![]),
        },
    ]
}
