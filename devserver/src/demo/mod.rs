//! The living demo: a GitOps story on the simulated cluster, kept moving by small controllers that
//! behave like Flux's and Kubernetes' own (deterministic for a given `--seed`).
//!
//! - Flux objects: a new `reconcile.fluxcd.io/requestedAt` (or a new generation) makes the object go
//!   Reconciling, then Ready with a new time and `lastHandledReconcileAt`; suspended objects wait.
//! - The Git source gets a new revision every 45 s; Kustomizations on it reconcile and apply it.
//! - HelmRelease `podinfo/podinfo` fails an upgrade every 60 s, retries and recovers.
//! - A podinfo pod crash-loops and its restart count grows; Deployments roll out new ReplicaSets and
//!   pods when their template changes (e.g. `kubectl rollout restart`) or they are scaled.
//! - Events are recorded for all of it; pod logs keep coming (see `apiserver/logs.rs`).
//!
//! One file per controller; `step` runs them in order.

mod deployment;
mod flux;
mod git_source;
mod helm_release;
mod objects;
mod pod_lifecycle;
mod replicaset;
mod seed;

pub use objects::container_status;

use crate::cluster::Cluster;
use crate::resources::{by_kind, ResourceDef};
use lookout_client::model::time::format_rfc3339;
use objects::{condition, event, Note};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

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

fn list(cluster: &Cluster, def: &'static ResourceDef) -> Vec<Value> {
    list_in(cluster, def, None)
}

/// The objects of `def` in one namespace (or all): copies only those.
fn list_in(cluster: &Cluster, def: &'static ResourceDef, namespace: Option<&str>) -> Vec<Value> {
    cluster.list_values(def, namespace, |_| true)
}

/// Records an Event (events.k8s.io/v1 shows it too).
fn record(cluster: &Cluster, ns: &str, note: &Note, time: &str, n: u64) {
    if let Some(def) = by_kind("v1", "Event") {
        let _ = cluster.create(def, ns, event(ns, note, time, n));
    }
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

    /// Merge-patches `obj` (a controller's write; a refused one is retried on a later step).
    fn patch(&self, def: &'static ResourceDef, obj: &Value, patch: Value) {
        let _ = self
            .cluster
            .patch(def, meta(obj, "namespace"), meta(obj, "name"), &patch);
    }
}

#[cfg(test)]
mod tests;
