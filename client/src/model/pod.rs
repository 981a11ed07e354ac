//! The slim Pod: what a pod table row and the status badge need.

use super::{interned, interned_opt, null_as_default, Str};
use crate::api::resource::{ApiResource, ObjectMeta, Resource, TypedResource};
use serde::Deserialize;

/// A pod, reduced to what views show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Pod {
    /// Metadata.
    pub metadata: ObjectMeta,
    /// The parts of `spec` shown.
    #[serde(deserialize_with = "null_as_default")]
    pub spec: PodSpec,
    /// The parts of `status` shown.
    #[serde(deserialize_with = "null_as_default")]
    pub status: PodStatus,
}

/// `spec` fields of a pod that views use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodSpec {
    /// Node the pod is scheduled to.
    #[serde(deserialize_with = "interned_opt")]
    pub node_name: Option<Str>,
    /// Containers (names only).
    #[serde(deserialize_with = "shrunk")]
    pub containers: Vec<ContainerName>,
}

/// A container, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ContainerName {
    /// Container name.
    #[serde(deserialize_with = "interned")]
    pub name: Str,
}

/// A list (`null` as empty) without spare capacity: stored pods keep it for their lifetime.
fn shrunk<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut v: Vec<T> = null_as_default(d)?;
    v.shrink_to_fit();
    Ok(v)
}

/// `status` fields of a pod that views use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodStatus {
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    #[serde(deserialize_with = "interned")]
    pub phase: Str,
    /// Pod-level reason (`Evicted`, `NodeLost`, …).
    #[serde(deserialize_with = "interned_opt")]
    pub reason: Option<Str>,
    /// Pod-level message (why it was evicted, …).
    pub message: Option<Str>,
    /// Per-container state.
    #[serde(deserialize_with = "shrunk")]
    pub container_statuses: Vec<ContainerStatus>,
}

/// One container's readiness, restarts and current state reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerStatus {
    /// Container name.
    #[serde(deserialize_with = "interned")]
    pub name: Str,
    /// Passing its readiness probe.
    pub ready: bool,
    /// Times the container restarted.
    pub restart_count: u32,
    /// Current state.
    pub state: ContainerState,
}

/// A container's state, reduced to the reason of waiting/terminated states.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ContainerState {
    /// Set while waiting (`CrashLoopBackOff`, `ImagePullBackOff`, `ContainerCreating`).
    pub waiting: Option<StateReason>,
    /// Set once terminated (`Completed`, `Error`, `OOMKilled`).
    pub terminated: Option<StateReason>,
}

/// The reason of a container state and its message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct StateReason {
    /// Reason, if any.
    #[serde(deserialize_with = "interned_opt")]
    pub reason: Option<Str>,
    /// Message, if any (`back-off 5m0s restarting failed container`).
    pub message: Option<Str>,
}

impl TypedResource for Pod {
    const API: ApiResource = crate::model::kinds::POD;
}

impl Resource for Pod {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
}

/// The bucket a pod counts in on summaries (as GitLab's environment page groups pods, plus
/// crash-looping pods, which are "Running" by phase but need attention).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PodGroup {
    /// Running, no container crash-looping.
    Running,
    /// Pending (scheduling, pulling images, creating containers).
    Pending,
    /// Completed successfully.
    Succeeded,
    /// Completed unsuccessfully, or lost.
    Failed,
    /// A container is in `CrashLoopBackOff`.
    CrashLooping,
}

impl PodGroup {
    /// Every group, in display order.
    pub const ALL: [PodGroup; 5] = [
        PodGroup::Running,
        PodGroup::Pending,
        PodGroup::Succeeded,
        PodGroup::Failed,
        PodGroup::CrashLooping,
    ];

    /// Display label.
    pub fn label(self) -> &'static str {
        match self {
            PodGroup::Running => "Running",
            PodGroup::Pending => "Pending",
            PodGroup::Succeeded => "Succeeded",
            PodGroup::Failed => "Failed",
            PodGroup::CrashLooping => "Crash-looping",
        }
    }
}

impl Pod {
    /// The summary group of this pod.
    pub fn group(&self) -> PodGroup {
        let crash_looping = self.status.container_statuses.iter().any(|c| {
            c.state.waiting.as_ref().and_then(|w| w.reason.as_deref()) == Some("CrashLoopBackOff")
        });
        match self.status.phase.as_str() {
            _ if crash_looping => PodGroup::CrashLooping,
            "Running" => PodGroup::Running,
            "Succeeded" => PodGroup::Succeeded,
            "Failed" | "Unknown" => PodGroup::Failed,
            _ => PodGroup::Pending,
        }
    }

    /// Total restarts over all containers (at most `u32::MAX`: the counts are the server's).
    pub fn restarts(&self) -> u32 {
        self.status
            .container_statuses
            .iter()
            .fold(0, |sum, c| sum.saturating_add(c.restart_count))
    }

    /// Ready containers and all containers, as in `kubectl get pods` (`1/2`).
    pub fn ready(&self) -> (usize, usize) {
        let ready = self
            .status
            .container_statuses
            .iter()
            .filter(|c| c.ready)
            .count();
        let total = self
            .spec
            .containers
            .len()
            .max(self.status.container_statuses.len());
        (ready, total)
    }

    /// The first container state that names a reason (waiting, else terminated), which the
    /// status word shows.
    pub fn container_reason(&self) -> Option<&StateReason> {
        self.status.container_statuses.iter().find_map(|c| {
            let s = &c.state;
            s.waiting
                .as_ref()
                .or(s.terminated.as_ref())
                .filter(|r| r.reason.is_some())
        })
    }

    /// The status word `kubectl get pods` shows: `Terminating`, a container's waiting or
    /// terminated reason (`CrashLoopBackOff`), the pod's reason, or the phase.
    pub fn display_status(&self) -> &str {
        if self.metadata.deletion_timestamp.is_some() {
            return "Terminating";
        }
        self.container_reason()
            .and_then(|s| s.reason.as_deref())
            .or(self.status.reason.as_deref())
            .filter(|r| !r.is_empty())
            .unwrap_or(if self.status.phase.is_empty() {
                "Unknown"
            } else {
                &self.status.phase
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_real_pod_list_item_and_derives_columns() {
        let json = r#"{"metadata":{"name":"web-1","namespace":"app","uid":"u1","resourceVersion":"42",
            "creationTimestamp":"2026-11-25T10:00:00Z","labels":{"app":"web"}},
            "spec":{"nodeName":"node-1","containers":[{"name":"web","image":"nginx"},{"name":"sidecar"}]},
            "status":{"phase":"Running","containerStatuses":[
              {"name":"web","ready":true,"restartCount":3,"state":{"running":{}}},
              {"name":"sidecar","ready":false,"restartCount":2,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}"#;
        let pod: Pod = serde_json::from_str(json).unwrap();
        assert_eq!(pod.restarts(), 5);
        assert_eq!(pod.ready(), (1, 2));
        assert_eq!(pod.display_status(), "CrashLoopBackOff");
        assert_eq!(pod.group(), PodGroup::CrashLooping);
        assert_eq!(pod.spec.node_name.as_deref(), Some("node-1"));
    }

    #[test]
    fn pods_share_the_strings_they_repeat_and_own_their_names() {
        let pod = |name: &str| -> Pod {
            serde_json::from_str(&format!(
                r#"{{"metadata":{{"name":"{name}","namespace":"shop","uid":"u-{name}",
                "creationTimestamp":"2026-11-25T10:00:00Z","labels":{{"app":"web","tier":"front"}},
                "managedFields":[{{"manager":"kubelet","fieldsV1":{{"f:status":{{}}}}}}]}},
                "spec":{{"nodeName":"node-1","containers":[{{"name":"web","env":[{{"name":"A","value":"\u00e9"}}]}}],
                  "volumes":[{{"name":"v","projected":{{"sources":[]}}}}]}},
                "status":{{"phase":"Running","containerStatuses":[{{"name":"web","ready":true,
                  "state":{{"waiting":{{"reason":"CrashLoopBackOff","message":"back-off {name}"}}}}}}]}}}}"#
            ))
            .unwrap()
        };
        let (a, b) = (pod("web-1"), pod("web-2"));
        let (ma, mb) = (&a.metadata, &b.metadata);
        // Shared with the interner (the app's build).
        if cfg!(feature = "intern") {
            assert!(ma.namespace.shares(&mb.namespace));
            let ts = |m: &ObjectMeta| m.creation_timestamp.clone().unwrap();
            assert!(ts(ma).shares(&ts(mb)));
            assert!(a
                .spec
                .node_name
                .as_ref()
                .unwrap()
                .shares(b.spec.node_name.as_ref().unwrap()));
            assert!(a.spec.containers[0].name.shares(&b.spec.containers[0].name));
            assert!(a.status.phase.shares(&b.status.phase));
            let reason = |p: &Pod| p.container_reason().unwrap().reason.clone().unwrap();
            assert!(reason(&a).shares(&reason(&b)));
        }
        assert_eq!(a.metadata.labels.get("tier"), Some("front"));
        assert_eq!(
            a.container_reason().unwrap().message.as_deref(),
            Some("back-off web-1")
        );
        assert_eq!((ma.name.as_str(), mb.uid.as_str()), ("web-1", "u-web-2"));
        assert_eq!(a.status.container_statuses.capacity(), 1);
    }

    #[test]
    fn bookmark_shaped_pod_with_nulls_decodes() {
        let json = r#"{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"464","creationTimestamp":null},"spec":{"containers":null},"status":{}}"#;
        let pod: Pod = serde_json::from_str(json).unwrap();
        assert_eq!(pod.metadata.resource_version, "464");
        assert_eq!(pod.display_status(), "Unknown");
    }

    #[test]
    fn terminating_wins() {
        let json = r#"{"metadata":{"name":"p","deletionTimestamp":"2026-11-25T10:00:00Z"},"status":{"phase":"Running"}}"#;
        let pod: Pod = serde_json::from_str(json).unwrap();
        assert_eq!(pod.display_status(), "Terminating");
    }
}
