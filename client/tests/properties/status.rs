//! The status rules (kstatus, Flux readiness and sync), the Flux model and graph, over objects
//! with any value in any field.

use crate::json::{replaced, tricky_string, value};
use lookout_client::model::flux::{self, FluxResourceRef, InventoryEntry};
use lookout_client::model::time::{format_age, format_rfc3339, parse_rfc3339};
use lookout_client::status::flux::{flux_status, sync_status};
use lookout_client::status::kstatus::compute;
use lookout_client::status::Tone;
use lookout_client::status::{condition_health, conditions};
use lookout_client::view::flux_graph;
use proptest::prelude::*;
use serde_json::{json, Value};

/// Every table a kind has its own columns and status rule in.
pub const KINDS: [(&str, &str); 10] = [
    ("", "Pod"),
    ("apps", "Deployment"),
    ("apps", "DaemonSet"),
    ("apps", "ReplicaSet"),
    ("apps", "StatefulSet"),
    ("batch", "Job"),
    ("batch", "CronJob"),
    ("", "Service"),
    ("kustomize.toolkit.fluxcd.io", "Kustomization"),
    ("example.com", "Widget"),
];

/// One well-formed object of each kind the rules read, with the fields they read.
pub fn samples() -> Vec<Value> {
    let meta = |kind: &str| {
        json!({ "name": format!("{kind}-1").to_lowercase(), "namespace": "app", "uid": "u",
                "resourceVersion": "9", "generation": 2, "creationTimestamp": "2026-11-25T05:38:11Z",
                "labels": { "app": "web" }, "annotations": { "reconcile.fluxcd.io/requestedAt": "r1" } })
    };
    let conditions = json!([
        { "type": "Ready", "status": "True", "reason": "Succeeded", "message": "ok",
          "lastTransitionTime": "2026-11-25T05:38:11Z", "observedGeneration": 2 },
        { "type": "Reconciling", "status": "False", "reason": "Done" }
    ]);
    vec![
        json!({ "apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("Deployment"),
                "spec": { "replicas": 3, "paused": false, "progressDeadlineSeconds": 600,
                          "selector": { "matchLabels": { "app": "web" } } },
                "status": { "observedGeneration": 2, "replicas": 3, "updatedReplicas": 3,
                            "readyReplicas": 3, "availableReplicas": 3, "conditions": conditions } }),
        json!({ "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": meta("StatefulSet"),
                "spec": { "replicas": 2, "updateStrategy": { "type": "RollingUpdate",
                          "rollingUpdate": { "partition": 1 } } },
                "status": { "observedGeneration": 2, "replicas": 2, "readyReplicas": 1,
                            "currentReplicas": 1, "updatedReplicas": 1, "currentRevision": "a",
                            "updateRevision": "b" } }),
        json!({ "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta("DaemonSet"),
                "status": { "observedGeneration": 2, "desiredNumberScheduled": 3,
                            "currentNumberScheduled": 3, "numberReady": 2,
                            "updatedNumberScheduled": 3, "numberAvailable": 2 } }),
        json!({ "apiVersion": "batch/v1", "kind": "Job", "metadata": meta("Job"),
                "spec": { "parallelism": 1, "completions": 1 },
                "status": { "startTime": "2026-11-25T05:38:11Z", "active": 1, "succeeded": 0,
                            "failed": 1, "conditions": [{ "type": "Failed", "status": "True" }] } }),
        json!({ "apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta("CronJob"),
                "spec": { "schedule": "*/5 * * * *", "suspend": false },
                "status": { "active": [{ "name": "j" }], "lastScheduleTime": "2026-11-25T05:38:11Z" } }),
        json!({ "apiVersion": "v1", "kind": "Service", "metadata": meta("Service"),
                "spec": { "type": "LoadBalancer", "clusterIP": "10.0.0.1",
                          "ports": [{ "port": 80, "protocol": "TCP", "nodePort": 30080 }] },
                "status": { "loadBalancer": { "ingress": [{ "ip": "1.2.3.4" }] } } }),
        json!({ "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta("Pvc"),
                "status": { "phase": "Bound" } }),
        json!({ "apiVersion": "v1", "kind": "Pod", "metadata": meta("Pod"),
                "spec": { "nodeName": "n1", "containers": [{ "name": "web" }] },
                "status": { "phase": "Running", "conditions": [{ "type": "Ready", "status": "False" }],
                            "containerStatuses": [{ "name": "web", "ready": false, "restartCount": 3,
                              "state": { "waiting": { "reason": "CrashLoopBackOff" } } }] } }),
        json!({ "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
                "metadata": meta("Kustomization"),
                "spec": { "interval": "5m", "path": "./apps", "prune": true, "suspend": false,
                          "sourceRef": { "kind": "GitRepository", "name": "repo" },
                          "dependsOn": [{ "name": "infra", "namespace": "flux-system" }] },
                "status": { "observedGeneration": 2, "lastAppliedRevision": "main@sha1:abc",
                            "lastAttemptedRevision": "main@sha1:abd", "lastHandledReconcileAt": "r0",
                            "conditions": conditions,
                            "inventory": { "entries": [{ "id": "app_web_apps_Deployment", "v": "v1" },
                                                       { "id": "_app__Namespace", "v": "v1" }] } } }),
        json!({ "apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
                "metadata": meta("HelmRelease"),
                "spec": { "interval": "5m", "chart": { "spec": { "chart": "web",
                          "sourceRef": { "kind": "HelmRepository", "name": "charts" } } } },
                "status": { "observedGeneration": 2, "conditions": conditions,
                            "history": [{ "chartName": "web", "chartVersion": "1.0.0", "version": 3,
                                          "status": "deployed", "digest": "sha256:x" }] } }),
        json!({ "apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
                "metadata": meta("GitRepository"),
                "spec": { "url": "https://gitlab.com/g/p.git", "ref": { "branch": "main" } },
                "status": { "artifact": { "revision": "main@sha1:abc" }, "conditions": conditions } }),
    ]
}

/// A sample with one field, anywhere, replaced by any value.
fn mangled() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(samples()),
        any::<prop::sample::Index>(),
        value(),
    )
        .prop_map(|(obj, at, with)| replaced(&obj, at, with))
}

/// Any object the rules may be handed: a mangled sample or arbitrary JSON.
fn object() -> impl Strategy<Value = Value> {
    prop_oneof![3 => mangled(), 1 => value()]
}

proptest! {
    #[test]
    fn status_rules_answer_for_any_object(obj in object(), now in any::<i64>()) {
        if let Err(e) = compute(&obj, now) {
            // A malformed object is described by the field at fault.
            prop_assert!(!e.is_empty() && e.len() < 400, "{}", e);
        }
        let _ = flux_status(&obj, now);
        let (sync, message) = sync_status(&obj);
        let _ = (sync.as_str(), sync.badge(), message);
        if let Ok(conds) = conditions(&obj) {
            for c in conds {
                let _ = condition_health(c.kind, c.status);
            }
        }
    }

    #[test]
    fn flux_model_and_graph_read_any_object(objs in prop::collection::vec(object(), 0..6)) {
        for obj in &objs {
            let _ = flux::inventory(obj);
            let _ = (flux::source_ref(obj), flux::depends_on(obj), flux::revisions(obj));
            let _ = (flux::last_handled_reconcile_at(obj), flux::helm_history(obj));
            let _ = flux::managed_objects_selector(obj);
        }
        let nodes: Vec<(&str, &Value, Tone)> = objs
            .iter()
            .map(|o| (o["kind"].as_str().unwrap_or("Kustomization"), o, Tone::Ok))
            .collect();
        let graph = flux_graph::build(&nodes);
        for (from, to, _) in &graph.edges {
            prop_assert!(*from < graph.nodes.len() && *to < graph.nodes.len());
        }
        let _ = graph.size();
    }

    #[test]
    fn flux_references_parse_or_name_the_expected_shape(
        id in tricky_string(), version in tricky_string(), path in tricky_string(),
        url in tricky_string(), revision in tricky_string(),
    ) {
        if let Err(e) = InventoryEntry::parse(&id, &version) {
            prop_assert!(!e.is_empty());
        }
        if let Err(e) = FluxResourceRef::parse(&path) {
            prop_assert!(e.starts_with("flux-resource "), "{}", e);
        }
        if let Some(link) = flux::commit_url(&url, &revision) {
            prop_assert!(link.starts_with("https://"), "{}", link);
        }
    }
}

/// Timestamps as the API writes them, with any ending.
fn timestamp() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            3 => "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-6][0-9](\\.[0-9]{0,9})?",
            1 => "[0-9+-]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9+]{2}(\\.[0-9]{0,9})?",
        ],
        prop_oneof!["Z|z|[+-][0-9]{2}:[0-9]{2}", "[+-]?[0-9:é€]{0,6}", ".{0,7}"],
    )
        .prop_map(|(time, end)| time + &end)
}

proptest! {
    #[test]
    fn timestamps_parse_or_are_absent(s in prop_oneof![timestamp(), tricky_string()]) {
        let _ = parse_rfc3339(&s);
    }

    /// Every second from year 0 to 9999 prints as RFC 3339 and parses back to itself.
    #[test]
    fn printed_times_parse_back(t in -62_167_219_200i64..253_402_300_800, age in any::<i64>()) {
        prop_assert_eq!(parse_rfc3339(&format_rfc3339(t)), Some(t));
        prop_assert!(!format_age(age).is_empty());
    }
}

#[test]
fn an_offset_of_other_characters_is_no_timestamp() {
    for s in [
        "2026-11-25T10:00:00é:000",
        "2026-11-25T10:00:00+a€:0",
        "2026-11-25T10:00:00+0€:0",
    ] {
        assert_eq!(parse_rfc3339(s), None, "{s}");
    }
    let utc = parse_rfc3339("2026-11-25T10:00:00Z").map(|t| t - 5400);
    assert_eq!(parse_rfc3339("2026-11-25T10:00:00+01:30"), utc);
}
