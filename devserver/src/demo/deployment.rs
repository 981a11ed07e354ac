//! The Deployment controller: a Deployment whose generation moved (template change, scale) rolls
//! out a new ReplicaSet whose pods start, become ready and replace the old ones.

use super::replicaset::{new_pod, running_status, BURST_REPLICAS};
use super::{list, list_in, meta, mix, objects, Demo, Note};
use crate::resources::by_kind;
use serde_json::json;

impl Demo {
    /// Deployments whose generation moved (template change, scale): new ReplicaSet and pods, which
    /// start, become ready, and replace the old ones.
    pub(super) fn roll_out(&self, tick: u64) {
        let (Some(deploys), Some(sets), Some(pods)) = (
            by_kind("apps/v1", "Deployment"),
            by_kind("apps/v1", "ReplicaSet"),
            by_kind("v1", "Pod"),
        ) else {
            return;
        };
        for d in list(&self.cluster, deploys) {
            let (ns, name) = (
                meta(&d, "namespace").to_owned(),
                meta(&d, "name").to_owned(),
            );
            let key = (ns.clone(), name.clone());
            let generation = d["metadata"]["generation"].as_u64().unwrap_or(1);
            let replicas = d["spec"]["replicas"].as_u64().unwrap_or(1);
            let in_flight = self.rollouts.lock().ok().and_then(|r| r.get(&key).cloned());
            let old_pods = || {
                list_in(&self.cluster, pods, Some(&ns))
                    .into_iter()
                    .filter(|p| p["metadata"]["labels"]["app"] == json!(name))
            };
            match in_flight {
                None if d["status"]["observedGeneration"].as_u64() != Some(generation) => {
                    let hash = format!(
                        "{:09x}",
                        mix(self.seed ^ generation ^ name.len() as u64) % 0xf_ffff_ffff
                    );
                    let count = u32::try_from(replicas).unwrap_or(u32::MAX);
                    let rs = objects::replicaset(&d, &hash, count, 0);
                    if let Ok(rs) = self.cluster.create(sets, &ns, rs) {
                        // The rest come from the ReplicaSet's loop, a burst a tick.
                        for i in 0..replicas.min(BURST_REPLICAS) {
                            let pod_name = format!("{name}-{hash}-{:05x}", mix(tick ^ i) % 0xfffff);
                            let node = if i % 2 == 0 { "node-1" } else { "node-2" };
                            let _ = self
                                .cluster
                                .create(pods, &ns, new_pod(&rs, &pod_name, node));
                        }
                    }
                    self.patch(deploys, &d, json!({ "status": { "observedGeneration": generation, "updatedReplicas": 0, "readyReplicas": 0, "availableReplicas": 0, "replicas": replicas } }));
                    self.record_event(
                        &ns,
                        Note {
                            kind: "Deployment",
                            name: &name,
                            severity: "Normal",
                            reason: "ScalingReplicaSet",
                            message: &format!("Scaled up replica set {name}-{hash} to {replicas}"),
                            component: "deployment-controller",
                        },
                    );
                    let _ = self
                        .rollouts
                        .lock()
                        .map(|mut r| r.insert(key, (tick + 2, hash)));
                }
                Some((due, hash)) if tick >= due => {
                    for p in old_pods() {
                        let pod_name = meta(&p, "name").to_owned();
                        if p["metadata"]["labels"]["pod-template-hash"] == json!(hash) {
                            self.patch(pods, &p, running_status(&p));
                        } else {
                            let _ = self.cluster.delete(pods, &ns, &pod_name, Some(1));
                        }
                    }
                    for rs in list(&self.cluster, sets).iter().filter(|rs| {
                        meta(rs, "namespace") == ns
                            && rs["metadata"]["labels"]["app"] == json!(name)
                    }) {
                        let current = rs["metadata"]["labels"]["pod-template-hash"] == json!(hash);
                        let n = if current { replicas } else { 0 };
                        self.patch(sets, rs, json!({ "spec": { "replicas": n }, "status": { "replicas": n, "readyReplicas": n, "availableReplicas": n, "fullyLabeledReplicas": n, "observedGeneration": rs["metadata"]["generation"] } }));
                    }
                    self.patch(deploys, &d, json!({ "status": { "updatedReplicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas, "replicas": replicas } }));
                    let _ = self.rollouts.lock().map(|mut r| r.remove(&key));
                }
                _ => {}
            }
        }
    }
}
