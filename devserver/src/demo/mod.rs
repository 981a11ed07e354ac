//! The living demo: a GitOps story on the simulated cluster, kept moving by small controllers that
//! behave like Flux's and Kubernetes' own (deterministic for a given `--seed`).
//!
//! - Flux objects: a new `reconcile.fluxcd.io/requestedAt` (or a new generation) makes the object go
//!   Reconciling, then Ready with a new time and `lastHandledReconcileAt`; suspended objects wait.
//! - The Git source gets a new revision every 45 s; Kustomizations on it reconcile and apply it.
//! - HelmRelease `podinfo/podinfo` fails an upgrade every 60 s, retries and recovers.
//! - A podinfo pod crash-loops and its restart count grows; Deployments roll out new ReplicaSets and
//!   pods when their template changes (e.g. `kubectl rollout restart`) or they are scaled.
//! - Events are recorded for all of it; pod logs keep coming (see `logs.rs`).

mod objects;
mod seed;

pub use objects::container_status;

use crate::cluster::resources::{by_kind, ResourceDef, RESOURCES};
use crate::cluster::Cluster;
use lookout_client::time::format_rfc3339;
use objects::{condition, event, Note};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The most pods a ReplicaSet gets in one tick (the real controller's `burstReplicas`): a huge
/// replica count fills up over time instead of stalling the demo.
const BURST_REPLICAS: u64 = 500;

/// The demo cluster and its controllers' state.
pub struct Demo {
    cluster: Arc<Cluster>,
    seed: u64,
    events: AtomicU64,
    /// Reconciles in flight: (kind, namespace, name) → tick they finish at.
    reconciling: std::sync::Mutex<HashMap<(String, String, String), u64>>,
    /// Rollouts in flight: (namespace, deployment) → (tick to finish, new ReplicaSet hash).
    rollouts: std::sync::Mutex<HashMap<(String, String), (u64, String)>>,
    /// Pods a ReplicaSet just created: (namespace, name) → tick they are running at.
    starting: std::sync::Mutex<HashMap<(String, String), u64>>,
    /// Whether the story clock is paused (`/_dev/clock`).
    paused: std::sync::atomic::AtomicBool,
    /// Steps taken so far.
    ticks: AtomicU64,
}

fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    format_rfc3339(secs)
}

/// splitmix64: a deterministic stream of numbers from the seed.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn flux_defs() -> impl Iterator<Item = &'static ResourceDef> {
    RESOURCES
        .iter()
        .filter(|r| r.group.ends_with(".toolkit.fluxcd.io"))
}

fn list(cluster: &Cluster, def: &'static ResourceDef) -> Vec<Value> {
    list_in(cluster, def, None)
}

/// The objects of `def` in one namespace (or all): copies only those.
fn list_in(cluster: &Cluster, def: &'static ResourceDef, namespace: Option<&str>) -> Vec<Value> {
    cluster
        .list(def, namespace, |_| true, 0, None)
        .map(|p| p.items)
        .unwrap_or_default()
}

/// Records an Event (events.k8s.io/v1 shows it too).
fn record(cluster: &Cluster, ns: &str, note: &Note, time: &str, n: u64) {
    if let Some(def) = by_kind("v1", "Event") {
        let _ = cluster.create(def, ns, event(ns, note, time, n));
    }
}

/// A new pod of the ReplicaSet `rs` (a stored object) on `node`, its containers being created.
fn new_pod(rs: &Value, name: &str, node: &str) -> Value {
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
fn running_status(pod: &Value) -> Value {
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

fn meta<'a>(obj: &'a Value, field: &str) -> &'a str {
    obj["metadata"][field].as_str().unwrap_or("")
}

impl Demo {
    /// A demo over `cluster`; `seed` drives revisions and names.
    pub fn new(cluster: Arc<Cluster>, seed: u64) -> Arc<Self> {
        Arc::new(Demo {
            cluster,
            seed,
            events: AtomicU64::new(100),
            reconciling: Default::default(),
            rollouts: Default::default(),
            starting: Default::default(),
            paused: Default::default(),
            ticks: AtomicU64::new(0),
        })
    }

    /// Seeds the GitOps story and starts the controllers (one step per second).
    pub fn start(self: &Arc<Self>) {
        seed::seed(self, &now());
        let demo = self.clone();
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(std::time::Duration::from_secs(1));
            loop {
                interval.tick().await;
                if !demo.paused.load(Ordering::SeqCst) {
                    demo.advance(1);
                }
            }
        });
    }

    /// The Git revision after `n` commits.
    fn git_revision(&self, n: u64) -> String {
        let a = mix(self.seed ^ n);
        format!("main@sha1:{a:016x}{:016x}{:08x}", mix(a), mix(a ^ 1) as u32)
    }

    fn record_event(&self, ns: &str, note: Note) {
        let n = self.events.fetch_add(1, Ordering::Relaxed);
        record(&self.cluster, ns, &note, &now(), n);
    }

    /// Pauses or resumes the story clock.
    pub fn set_paused(&self, paused: bool) {
        self.paused.store(paused, Ordering::SeqCst);
    }

    /// Runs `steps` controller steps now (one step is one second of story); returns the story time.
    pub fn advance(&self, steps: u64) -> u64 {
        for _ in 0..steps {
            let tick = self.ticks.fetch_add(1, Ordering::SeqCst) + 1;
            self.step(tick);
        }
        self.ticks.load(Ordering::SeqCst)
    }

    /// One controller step; `tick` counts seconds since start.
    pub fn step(&self, tick: u64) {
        if tick.is_multiple_of(45) {
            self.new_commit(tick);
        }
        self.podinfo_release(tick);
        if tick.is_multiple_of(15) {
            self.crash_loop();
        }
        self.reconcile_flux(tick);
        self.roll_out(tick);
        self.replace_missing_pods(tick);
    }

    /// ReplicaSets keep their pod count: a deleted pod is replaced by a new one, which starts
    /// (ContainerCreating) and runs two steps later.
    fn replace_missing_pods(&self, tick: u64) {
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

    fn patch(&self, def: &'static ResourceDef, obj: &Value, patch: Value) {
        let _ = self
            .cluster
            .patch(def, meta(obj, "namespace"), meta(obj, "name"), &patch);
    }

    /// Flux: reconcile requests and new generations → Reconciling → Ready.
    fn reconcile_flux(&self, tick: u64) {
        let time = now();
        for def in flux_defs() {
            for obj in list(&self.cluster, def) {
                if obj["status"]["conditions"].is_null() {
                    continue; // not reconciled by a controller in this story (notification kinds)
                }
                let key = (
                    def.kind.to_owned(),
                    meta(&obj, "namespace").to_owned(),
                    meta(&obj, "name").to_owned(),
                );
                let due = self
                    .reconciling
                    .lock()
                    .map(|r| r.get(&key).copied())
                    .unwrap_or(None);
                if let Some(due) = due {
                    if tick >= due {
                        self.finish_reconcile(def, &obj, &time);
                        let _ = self.reconciling.lock().map(|mut r| r.remove(&key));
                    }
                    continue;
                }
                let requested =
                    obj["metadata"]["annotations"]["reconcile.fluxcd.io/requestedAt"].as_str();
                let handled = obj["status"]["lastHandledReconcileAt"].as_str();
                let new_generation =
                    obj["metadata"]["generation"] != obj["status"]["observedGeneration"];
                let suspended = obj["spec"]["suspend"].as_bool() == Some(true);
                if suspended || !(new_generation || (requested.is_some() && requested != handled)) {
                    continue;
                }
                self.start_reconcile(def, &obj, tick, requested);
            }
        }
    }

    /// Marks a Flux object Reconciling; it becomes Ready two steps later.
    fn start_reconcile(
        &self,
        def: &'static ResourceDef,
        obj: &Value,
        tick: u64,
        requested: Option<&str>,
    ) {
        let time = now();
        let mut status = json!({ "conditions": [
            condition("Reconciling", "True", "Progressing", "Reconciliation in progress", &time),
            condition("Ready", "Unknown", "Progressing", "Reconciliation in progress", &time),
        ] });
        if let Some(r) = requested {
            status["lastHandledReconcileAt"] = json!(r);
        }
        self.patch(def, obj, json!({ "status": status }));
        let key = (
            def.kind.to_owned(),
            meta(obj, "namespace").to_owned(),
            meta(obj, "name").to_owned(),
        );
        let _ = self.reconciling.lock().map(|mut r| r.insert(key, tick + 2));
    }

    fn finish_reconcile(&self, def: &'static ResourceDef, obj: &Value, time: &str) {
        let (ns, name) = (meta(obj, "namespace"), meta(obj, "name"));
        let mut status = json!({ "observedGeneration": obj["metadata"]["generation"] });
        let message = match def.kind {
            "Kustomization" => {
                let source = obj["spec"]["sourceRef"]["name"].as_str().unwrap_or("");
                let kind = obj["spec"]["sourceRef"]["kind"]
                    .as_str()
                    .unwrap_or("GitRepository");
                let rev = by_kind("source.toolkit.fluxcd.io/v1", kind)
                    .and_then(|d| self.cluster.get(d, ns, source).ok())
                    .and_then(|s| {
                        s["status"]["artifact"]["revision"]
                            .as_str()
                            .map(str::to_owned)
                    })
                    .unwrap_or_default();
                status["lastAppliedRevision"] = json!(rev);
                status["lastAttemptedRevision"] = json!(rev);
                format!("Applied revision: {rev}")
            }
            "HelmRelease" => format!("Helm upgrade succeeded for release {ns}/{name} (no changes)"),
            _ => obj["status"]["conditions"]
                .as_array()
                .and_then(|c| c.iter().find(|c| c["type"] == "Ready"))
                .and_then(|c| c["message"].as_str())
                .filter(|m| *m != "Reconciliation in progress")
                .unwrap_or("stored artifact")
                .to_owned(),
        };
        let reason = if def.kind == "Kustomization" {
            "ReconciliationSucceeded"
        } else {
            "Succeeded"
        };
        status["conditions"] = json!([condition("Ready", "True", reason, &message, time)]);
        self.patch(def, obj, json!({ "status": status }));
        let component = if def.group.starts_with("kustomize") {
            "kustomize-controller"
        } else if def.group.starts_with("helm") {
            "helm-controller"
        } else {
            "source-controller"
        };
        self.record_event(
            ns,
            Note {
                kind: def.kind,
                name,
                severity: "Normal",
                reason: "ReconciliationSucceeded",
                message: &message,
                component,
            },
        );
    }

    /// A new commit on the Git source; Kustomizations on it start reconciling.
    fn new_commit(&self, tick: u64) {
        let n = tick / 45;
        let (Some(git), Some(ks)) = (
            by_kind("source.toolkit.fluxcd.io/v1", "GitRepository"),
            by_kind("kustomize.toolkit.fluxcd.io/v1", "Kustomization"),
        ) else {
            return;
        };
        let (rev, time) = (self.git_revision(n), now());
        let Ok(repo) = self.cluster.get(git, "flux-system", "flux-system") else {
            return;
        };
        let message = format!("stored artifact for revision '{rev}'");
        self.patch(
            git,
            &repo,
            json!({ "status": { "artifact": { "revision": rev, "lastUpdateTime": time },
            "conditions": [condition("Ready", "True", "Succeeded", &message, &time)] } }),
        );
        self.record_event(
            "flux-system",
            Note {
                kind: "GitRepository",
                name: "flux-system",
                severity: "Normal",
                reason: "NewArtifact",
                message: &message,
                component: "source-controller",
            },
        );
        for k in list(&self.cluster, ks).iter().filter(|k| {
            k["spec"]["sourceRef"]["name"] == "flux-system" && k["spec"]["suspend"] != json!(true)
        }) {
            self.start_reconcile(ks, k, tick, None);
        }
    }

    /// HelmRelease podinfo: an upgrade that fails, retries and recovers, once a minute.
    fn podinfo_release(&self, tick: u64) {
        let Some(def) = by_kind("helm.toolkit.fluxcd.io/v2", "HelmRelease") else {
            return;
        };
        let Ok(hr) = self.cluster.get(def, "podinfo", "podinfo") else {
            return;
        };
        if hr["spec"]["suspend"] == json!(true) {
            return;
        }
        let time = now();
        let history: Vec<Value> = hr["status"]["history"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let version = history
            .first()
            .and_then(|h| h["version"].as_i64())
            .unwrap_or(1)
            + 1;
        let chart = format!("6.5.{}", 4 + (tick / 60) % 3);
        let entry = |status: &str| {
            json!({ "version": version, "chartName": "podinfo", "chartVersion": chart, "appVersion": chart,
            "status": status, "firstDeployed": time, "lastDeployed": time, "digest": format!("sha256:{:08x}", mix(self.seed ^ version as u64) as u32) })
        };
        let with = |e: Value| {
            std::iter::once(e)
                .chain(history.iter().cloned())
                .take(5)
                .collect::<Vec<_>>()
        };
        match tick % 60 {
            20 => {
                let msg = "Running 'upgrade' action with timeout of 5m0s";
                self.patch(def, &hr, json!({ "status": { "lastAttemptedRevision": chart, "conditions": [
                    condition("Reconciling", "True", "Progressing", msg, &time), condition("Ready", "Unknown", "Progressing", msg, &time)] } }));
            }
            23 => {
                let msg = format!("Helm upgrade failed for release podinfo/podinfo with chart podinfo@{chart}: context deadline exceeded");
                self.patch(def, &hr, json!({ "status": { "history": with(entry("failed")), "conditions": [
                    condition("Reconciling", "True", "ProgressingWithRetry", "Detecting drift for revision with a timeout of 5m0s", &time),
                    condition("Ready", "False", "UpgradeFailed", &msg, &time), condition("Released", "False", "UpgradeFailed", &msg, &time)] } }));
                self.record_event(
                    "podinfo",
                    Note {
                        kind: "HelmRelease",
                        name: "podinfo",
                        severity: "Warning",
                        reason: "UpgradeFailed",
                        message: &msg,
                        component: "helm-controller",
                    },
                );
            }
            35 => {
                let msg = format!("Helm upgrade succeeded for release podinfo/podinfo.v{version} with chart podinfo@{chart}");
                self.patch(def, &hr, json!({ "status": { "history": with(entry("deployed")), "conditions": [
                    condition("Ready", "True", "UpgradeSucceeded", &msg, &time), condition("Released", "True", "UpgradeSucceeded", &msg, &time)] } }));
                self.record_event(
                    "podinfo",
                    Note {
                        kind: "HelmRelease",
                        name: "podinfo",
                        severity: "Normal",
                        reason: "UpgradeSucceeded",
                        message: &msg,
                        component: "helm-controller",
                    },
                );
            }
            _ => {}
        }
    }

    /// The crash-looping podinfo pod restarts again.
    fn crash_loop(&self) {
        let Some(pods) = by_kind("v1", "Pod") else {
            return;
        };
        let name = "podinfo-5d8f9c7b6-cd34e";
        let Ok(pod) = self.cluster.get(pods, "podinfo", name) else {
            return;
        };
        let restarts = pod["status"]["containerStatuses"][0]["restartCount"]
            .as_u64()
            .unwrap_or(0)
            + 1;
        let mut statuses = pod["status"]["containerStatuses"].clone();
        statuses[0]["restartCount"] = json!(restarts);
        // The run that just ended, as the kubelet records it.
        let ended = now();
        statuses[0]["lastState"] = json!({ "terminated": { "reason": "Error", "exitCode": 1,
            "startedAt": pod["status"]["containerStatuses"][0]["lastState"]["terminated"]["finishedAt"], "finishedAt": ended } });
        self.patch(
            pods,
            &pod,
            json!({ "status": { "containerStatuses": statuses } }),
        );
        self.record_event(
            "podinfo",
            Note {
                kind: "Pod",
                name,
                severity: "Warning",
                reason: "BackOff",
                message:
                    "Back-off restarting failed container podinfo in pod podinfo-5d8f9c7b6-cd34e",
                component: "kubelet",
            },
        );
    }

    /// Deployments whose generation moved (template change, scale): new ReplicaSet and pods, which
    /// start, become ready, and replace the old ones.
    fn roll_out(&self, tick: u64) {
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

#[cfg(test)]
mod tests;
