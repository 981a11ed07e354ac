//! What `kubectl describe pod` tells, read from a full Pod object (the detail page fetches it on
//! demand; the slim [`super::Pod`] of the watch hot path stays small).

use crate::model::time::parse_rfc3339;
use serde_json::Value;

/// A pod as `kubectl describe` summarises it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodDetails {
    /// Node the pod runs on.
    pub node: Option<String>,
    /// The pod's IP.
    pub ip: Option<String>,
    /// `Guaranteed`, `Burstable` or `BestEffort`.
    pub qos_class: Option<String>,
    /// Init containers first, then containers, each in spec order.
    pub containers: Vec<ContainerDetails>,
}

/// One container of a pod.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerDetails {
    /// Name.
    pub name: String,
    /// An init container.
    pub init: bool,
    /// Image.
    pub image: String,
    /// Ports as `9898/TCP` (`http 9898/TCP` when named).
    pub ports: Vec<String>,
    /// Current state.
    pub state: State,
    /// Passing its readiness probe.
    pub ready: bool,
    /// Times it restarted.
    pub restarts: u64,
    /// How its previous run ended.
    pub last_termination: Option<Termination>,
}

/// A container's current state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum State {
    /// Running, since (epoch seconds).
    Running(Option<i64>),
    /// Waiting: reason and message (`CrashLoopBackOff`, `back-off 5m0s …`).
    Waiting(String, String),
    /// Terminated.
    Terminated(Termination),
    /// No status reported yet.
    #[default]
    Unknown,
}

/// How a container run ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Termination {
    /// `Error`, `OOMKilled`, `Completed`, …
    pub reason: String,
    /// The exit code.
    pub exit_code: i64,
    /// When it ended (epoch seconds).
    pub finished: Option<i64>,
}

fn text(v: &Value, pointer: &str) -> Option<String> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn time(v: &Value, pointer: &str) -> Option<i64> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .and_then(parse_rfc3339)
}

fn termination(t: &Value) -> Option<Termination> {
    t.is_object().then(|| Termination {
        reason: text(t, "/reason").unwrap_or_else(|| "Terminated".into()),
        exit_code: t.get("exitCode").and_then(Value::as_i64).unwrap_or(0),
        finished: time(t, "/finishedAt"),
    })
}

fn state(s: &Value) -> State {
    if s.get("running").is_some_and(Value::is_object) {
        State::Running(time(s, "/running/startedAt"))
    } else if s.get("waiting").is_some_and(Value::is_object) {
        State::Waiting(
            text(s, "/waiting/reason").unwrap_or_else(|| "Waiting".into()),
            text(s, "/waiting/message").unwrap_or_default(),
        )
    } else {
        s.get("terminated")
            .and_then(termination)
            .map_or(State::Unknown, State::Terminated)
    }
}

fn ports(c: &Value) -> Vec<String> {
    c.get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let port = p.get("containerPort")?.as_i64()?;
            let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
            Some(match p.get("name").and_then(Value::as_str) {
                Some(name) => format!("{name} {port}/{proto}"),
                None => format!("{port}/{proto}"),
            })
        })
        .collect()
}

fn containers(pod: &Value, init: bool) -> impl Iterator<Item = ContainerDetails> + '_ {
    let (spec, status) = if init {
        ("/spec/initContainers", "/status/initContainerStatuses")
    } else {
        ("/spec/containers", "/status/containerStatuses")
    };
    let statuses = pod.pointer(status).and_then(Value::as_array);
    pod.pointer(spec)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(move |c| {
            let name = text(c, "/name").unwrap_or_default();
            let st = statuses
                .into_iter()
                .flatten()
                .find(|s| s.get("name").and_then(Value::as_str) == Some(&name));
            let null = Value::Null;
            let st = st.unwrap_or(&null);
            ContainerDetails {
                init,
                image: text(c, "/image").unwrap_or_default(),
                ports: ports(c),
                state: st.get("state").map_or(State::Unknown, state),
                ready: st.get("ready").and_then(Value::as_bool) == Some(true),
                restarts: st.get("restartCount").and_then(Value::as_u64).unwrap_or(0),
                last_termination: st.pointer("/lastState/terminated").and_then(termination),
                name,
            }
        })
}

impl PodDetails {
    /// Reads a full Pod object; missing or malformed fields are left out.
    pub fn of(pod: &Value) -> PodDetails {
        PodDetails {
            node: text(pod, "/spec/nodeName"),
            ip: text(pod, "/status/podIP"),
            qos_class: text(pod, "/status/qosClass"),
            containers: containers(pod, true)
                .chain(containers(pod, false))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn describes_a_crash_looping_pod() {
        let pod = json!({
            "spec": {"nodeName": "node-2",
                "initContainers": [{"name": "init", "image": "busybox"}],
                "containers": [{"name": "app", "image": "podinfo:6.5.4",
                    "ports": [{"name": "http", "containerPort": 9898, "protocol": "TCP"}, {"containerPort": 53, "protocol": "UDP"}]}]},
            "status": {"podIP": "10.244.1.7", "qosClass": "Burstable",
                "initContainerStatuses": [{"name": "init", "ready": true, "restartCount": 0,
                    "state": {"terminated": {"reason": "Completed", "exitCode": 0, "finishedAt": "2026-11-25T08:00:00Z"}}}],
                "containerStatuses": [{"name": "app", "ready": false, "restartCount": 4,
                    "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s"}},
                    "lastState": {"terminated": {"reason": "Error", "exitCode": 1, "finishedAt": "2026-11-25T08:00:10Z"}}}]}
        });
        let d = PodDetails::of(&pod);
        assert_eq!(d.node.as_deref(), Some("node-2"));
        assert_eq!(d.ip.as_deref(), Some("10.244.1.7"));
        assert_eq!(d.qos_class.as_deref(), Some("Burstable"));
        let [init, app] = d.containers.as_slice() else {
            panic!("two containers expected: {:?}", d.containers)
        };
        assert!(init.init && !app.init);
        assert_eq!(
            init.state,
            State::Terminated(Termination {
                reason: "Completed".into(),
                exit_code: 0,
                finished: Some(1_795_593_600)
            })
        );
        assert_eq!(
            app.state,
            State::Waiting("CrashLoopBackOff".into(), "back-off 5m0s".into())
        );
        assert_eq!(app.restarts, 4);
        assert_eq!(app.ports, ["http 9898/TCP", "53/UDP"]);
        let last = app.last_termination.as_ref().unwrap();
        assert_eq!((last.reason.as_str(), last.exit_code), ("Error", 1));
    }

    #[test]
    fn a_pod_without_status_has_containers_in_unknown_state() {
        let d = PodDetails::of(&json!({"spec": {"containers": [{"name": "app"}]}, "status": null}));
        assert_eq!(d.containers.len(), 1);
        assert_eq!(d.containers[0].state, State::Unknown);
        assert_eq!((d.node, d.ip, d.qos_class), (None, None, None));
    }
}
