//! The ReplicaSet controller: a ReplicaSet keeps its pod count; new pods start
//! (ContainerCreating) and run two steps later.

use super::{list, list_in, meta, mix, now, objects, Demo, Note};
use crate::resources::by_kind;
use serde_json::{json, Value};

/// The most pods a ReplicaSet gets in one tick (the real controller's `burstReplicas`): a huge
/// replica count fills up over time instead of stalling the demo.
pub(super) const BURST_REPLICAS: u64 = 500;

/// A new pod of the ReplicaSet `rs` (a stored object) on `node`, its containers being created.
pub(super) fn new_pod(rs: &Value, name: &str, node: &str) -> Value {
    let template = &rs["spec"]["template"];
    let containers = template["spec"]["containers"].clone();
    let waiting = || json!({ "waiting": { "reason": "ContainerCreating" } });
    let statuses = container_statuses(&containers, false, waiting);
    json!({
        "metadata": { "name": name, "namespace": rs["metadata"]["namespace"], "labels": template["metadata"]["labels"],
                      "ownerReferences": [objects::owner_ref(rs)] },
        "spec": { "nodeName": node, "containers": containers },
        "status": { "phase": "Pending", "containerStatuses": statuses },
    })
}

/// The status patch of a pod whose containers all started.
pub(super) fn running_status(pod: &Value) -> Value {
    let running = || json!({ "running": { "startedAt": now() } });
    let statuses = container_statuses(&pod["spec"]["containers"], true, running);
    json!({ "status": { "phase": "Running", "containerStatuses": statuses } })
}

/// One status per container of `containers`, each `ready` or not, in `state()`.
fn container_statuses(containers: &Value, ready: bool, state: impl Fn() -> Value) -> Vec<Value> {
    containers
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let (name, image) = (c["name"].as_str(), c["image"].as_str());
            objects::container_status(name.unwrap_or(""), image.unwrap_or(""), ready, 0, state())
        })
        .collect()
}

impl Demo {
    /// ReplicaSets keep their pod count: a deleted pod is replaced by a new one, which starts
    /// (ContainerCreating) and runs two steps later.
    pub(super) fn replace_missing_pods(&self, tick: u64) {
        let (Some(sets), Some(pods)) = (by_kind("apps/v1", "ReplicaSet"), by_kind("v1", "Pod"))
        else {
            return;
        };
        let sets = list(&self.cluster, sets);
        // Only the namespaces that have ReplicaSets (never every pod of a --scale cluster).
        let mut namespaces: Vec<&str> = sets.iter().map(|rs| meta(rs, "namespace")).collect();
        namespaces.sort_unstable();
        namespaces.dedup();
        let all_pods: Vec<Value> = namespaces
            .iter()
            .flat_map(|ns| list_in(&self.cluster, pods, Some(ns)))
            .collect();
        let due: Vec<(String, String)> = self
            .starting
            .lock()
            .map(|mut s| {
                let ready: Vec<_> = s
                    .iter()
                    .filter(|(_, t)| **t <= tick)
                    .map(|(k, _)| k.clone())
                    .collect();
                for k in &ready {
                    s.remove(k);
                }
                ready
            })
            .unwrap_or_default();
        for (ns, name) in due {
            if let Some(p) = all_pods
                .iter()
                .find(|p| meta(p, "namespace") == ns && meta(p, "name") == name)
            {
                self.patch(pods, p, running_status(p));
            }
        }
        for rs in &sets {
            let (ns, name) = (meta(rs, "namespace"), meta(rs, "name"));
            let want = rs["spec"]["replicas"].as_u64().unwrap_or(0);
            let have = all_pods
                .iter()
                .filter(|p| {
                    meta(p, "namespace") == ns
                        && p["metadata"]["ownerReferences"][0]["name"] == name
                        && p["metadata"]["deletionTimestamp"].is_null()
                })
                .count() as u64;
            let in_rollout = self
                .rollouts
                .lock()
                .map(|r| r.values().any(|(_, hash)| name.ends_with(hash.as_str())))
                .unwrap_or(false);
            if in_rollout {
                continue;
            }
            // At most a burst of pods a tick, as the ReplicaSet controller's `burstReplicas`.
            for i in have..want.min(have + BURST_REPLICAS) {
                let pod_name = format!(
                    "{name}-{:05x}",
                    mix(self.seed ^ tick ^ (i << 32) ^ name.len() as u64) % 0xfffff
                );
                let pod = new_pod(rs, &pod_name, "node-1");
                if self.cluster.create(pods, ns, pod).is_ok() {
                    let _ = self
                        .starting
                        .lock()
                        .map(|mut s| s.insert((ns.to_owned(), pod_name.clone()), tick + 2));
                    self.record_event(
                        ns,
                        Note {
                            kind: "ReplicaSet",
                            name,
                            severity: "Normal",
                            reason: "SuccessfulCreate",
                            message: &format!("Created pod: {pod_name}"),
                            component: "replicaset-controller",
                        },
                    );
                }
            }
        }
    }
}
