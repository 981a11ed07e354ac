//! A pod as `kubectl describe` tells it: node, IP, QoS class, and per container (init containers
//! first) its state with reason or exit code, readiness, restarts, last termination, image and
//! ports. A crash-looping container shows `CrashLoopBackOff`, its restarts and why it last ended.

use crate::status_badge::StatusBadge;
use leptos::prelude::*;
use lookout_client::model::time::{format_age, format_rfc3339};
use lookout_client::model::{
    ContainerDetails, ContainerStateDetails as State, PodDetails, Termination,
};
use lookout_client::status::Tone;

/// "3m ago" for an epoch time, exact on hover; "—" when unknown.
fn ago(time: Option<i64>, now: Signal<i64>) -> impl IntoView {
    let exact = time.map(format_rfc3339).unwrap_or_default();
    let text = move || {
        time.map_or_else(
            || "—".to_owned(),
            |t| format!("{} ago", format_age(now.get() - t)),
        )
    };
    view! { <time class="lo-time" datetime=exact.clone() title=exact>{text}</time> }
}

/// `Error (exit code 1), 5m ago`.
fn ended(t: &Termination, now: Signal<i64>) -> impl IntoView {
    view! { {format!("{} (exit code {}), ", t.reason, t.exit_code)}{ago(t.finished, now)} }
}

/// The state badge (word and tone) and what follows it.
fn state(s: &State, now: Signal<i64>) -> AnyView {
    match s {
        State::Running(since) => {
            view! { <StatusBadge label="Running".to_owned() tone=Tone::Ok />" since "{ago(*since, now)} }.into_any()
        }
        State::Waiting(reason, message) => {
            let tone = Tone::of_pod_word(reason);
            view! {
                <StatusBadge label=reason.clone() tone=tone message=message.clone() />
                " "<span class="lo-message">{message.clone()}</span>
            }
            .into_any()
        }
        State::Terminated(t) => {
            let tone = Tone::of_exit_code(t.exit_code);
            view! { <StatusBadge label="Terminated".to_owned() tone=tone />" "{ended(t, now)} }.into_any()
        }
        State::Unknown => view! { <StatusBadge label="Unknown".to_owned() tone=Tone::Unknown /> }.into_any(),
    }
}

fn container(c: ContainerDetails, now: Signal<i64>) -> impl IntoView {
    let heading = if c.init {
        format!("{} (init container)", c.name)
    } else {
        c.name.clone()
    };
    let last = match &c.last_termination {
        Some(t) => ended(t, now).into_any(),
        None => view! { "—" }.into_any(),
    };
    let ports = if c.ports.is_empty() {
        "—".to_owned()
    } else {
        c.ports.join(", ")
    };
    let image = c.image.clone();
    view! {
        <li class="lo-container" data-container=c.name.clone() data-init=c.init.to_string()>
            <h4 class="lo-clip" tabindex="0" title=heading.clone()>{heading.clone()}</h4>
            <dl class="lo-facts">
                <dt>"State"</dt><dd data-fact="state">{state(&c.state, now)}</dd>
                <dt>"Ready"</dt><dd data-fact="ready">{if c.ready { "True" } else { "False" }}</dd>
                <dt>"Restart count"</dt><dd data-fact="restarts">{c.restarts}</dd>
                <dt>"Last termination"</dt><dd data-fact="last-termination">{last}</dd>
                <dt>"Image"</dt><dd data-fact="image" class="lo-mono lo-wrap">{image}</dd>
                <dt>"Ports"</dt><dd data-fact="ports">{ports}</dd>
            </dl>
        </li>
    }
}

/// A pod's `kubectl describe` summary.
#[component]
pub fn PodDetailsView(
    /// What the full Pod object says ([`PodDetails::of`]).
    #[prop(into)]
    details: Signal<PodDetails>,
    /// Current time (epoch seconds), for "since" and "ago".
    #[prop(into)]
    now: Signal<i64>,
) -> impl IntoView {
    let fact = move |f: fn(&PodDetails) -> Option<String>| {
        move || details.with(f).unwrap_or_else(|| "—".into())
    };
    view! {
        <dl class="lo-facts" aria-label="Pod">
            <dt>"Node"</dt><dd data-fact="node">{fact(|d| d.node.clone())}</dd>
            <dt>"IP"</dt><dd data-fact="ip" class="lo-mono">{fact(|d| d.ip.clone())}</dd>
            <dt>"QoS class"</dt><dd data-fact="qos">{fact(|d| d.qos_class.clone())}</dd>
        </dl>
        <h3>"Containers"</h3>
        <ul class="lo-containers" aria-label="Containers">
            {move || details.with(|d| d.containers.clone()).into_iter().map(|c| container(c, now)).collect_view()}
        </ul>
    }
}

/// Stories: crash-looping with an init container, running, waiting for its image, hostile.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    use serde_json::{json, Value};
    fn pod(status: Value, spec: Value) -> AnyView {
        let details = PodDetails::of(&json!({ "spec": spec, "status": status }));
        view! { <PodDetailsView details=details now=1_795_600_000i64 /> }.into_any()
    }
    fn app() -> Value {
        json!({ "nodeName": "node-2", "containers": [{ "name": "podinfo", "image": "ghcr.io/stefanprodan/podinfo:6.5.4",
            "ports": [{ "name": "http", "containerPort": 9898, "protocol": "TCP" }] }] })
    }
    vec![
        Story {
            component: "pod-details",
            state: "crash-looping",
            render: || {
                let mut spec = app();
                spec["initContainers"] =
                    json!([{ "name": "migrate", "image": "registry.example.com/migrate:1.4.2" }]);
                pod(
                    json!({ "phase": "Running", "podIP": "10.244.2.7", "qosClass": "Burstable",
                    "initContainerStatuses": [{ "name": "migrate", "ready": true, "restartCount": 0,
                        "state": { "terminated": { "reason": "Completed", "exitCode": 0, "finishedAt": "2026-11-25T08:00:00Z" } } }],
                    "containerStatuses": [{ "name": "podinfo", "ready": false, "restartCount": 4,
                        "state": { "waiting": { "reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container=podinfo" } },
                        "lastState": { "terminated": { "reason": "Error", "exitCode": 1, "finishedAt": "2026-11-25T12:10:00Z" } } }] }),
                    spec,
                )
            },
        },
        Story {
            component: "pod-details",
            state: "running",
            render: || {
                pod(
                    json!({ "phase": "Running", "podIP": "10.244.1.4", "qosClass": "Guaranteed",
                    "containerStatuses": [{ "name": "podinfo", "ready": true, "restartCount": 0,
                        "state": { "running": { "startedAt": "2026-11-25T08:00:00Z" } } }] }),
                    app(),
                )
            },
        },
        Story {
            component: "pod-details",
            state: "image-pull",
            render: || {
                pod(
                    json!({ "phase": "Pending", "qosClass": "BestEffort",
                    "containerStatuses": [{ "name": "podinfo", "ready": false, "restartCount": 0,
                        "state": { "waiting": { "reason": "ImagePullBackOff", "message": "Back-off pulling image \"ghcr.io/stefanprodan/podinfo:6.5.4\"" } } }] }),
                    app(),
                )
            },
        },
        Story {
            component: "pod-details",
            state: "hostile",
            render: || {
                pod(
                    json!({ "podIP": HOSTILE, "qosClass": HOSTILE,
                    "containerStatuses": [{ "name": HOSTILE, "restartCount": 1,
                        "state": { "waiting": { "reason": HOSTILE, "message": HOSTILE.repeat(8) } },
                        "lastState": { "terminated": { "reason": HOSTILE, "exitCode": 137 } } }] }),
                    json!({ "nodeName": HOSTILE, "containers": [{ "name": HOSTILE, "image": HOSTILE.repeat(6), "ports": [{ "containerPort": 1, "name": HOSTILE }] }] }),
                )
            },
        },
    ]
}
