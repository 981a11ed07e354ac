//! Cases written from the kstatus rules (status-rules.md §2–3), exact messages included.

use super::*;
use serde_json::json;

const NOW: i64 = 1_795_585_091; // 2026-11-25T05:38:11Z

fn check(obj: Value, status: Status, message: &str) {
    let got = compute(&obj, NOW).unwrap_or_else(|e| panic!("{obj}: {e}"));
    assert_eq!(
        (got.status, got.message.as_str()),
        (status, message),
        "{obj}"
    );
}

#[test]
fn generic_rules_in_order() {
    use Status::*;
    let deleting = json!({"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"deletionTimestamp": "2026-11-25T05:00:00Z", "generation": 2}, "status": {"observedGeneration": 1}});
    check(deleting, Terminating, "Resource scheduled for deletion");
    let lagging = json!({"kind": "Kustomization", "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "metadata": {"generation": 1}, "status": {"observedGeneration": -1}});
    check(
        lagging,
        InProgress,
        "Kustomization generation is 1, but latest observed generation is -1",
    );
    let stalled_first = json!({"kind": "X", "apiVersion": "example.com/v1", "status": {"conditions": [
        {"type": "Stalled", "status": "True", "reason": "R", "message": "stuck"},
        {"type": "Reconciling", "status": "True", "reason": "P", "message": "working"}]}});
    check(stalled_first, Failed, "stuck");
    let ready_false = json!({"kind": "X", "apiVersion": "example.com/v1", "status": {"conditions": [{"type": "Ready", "status": "False", "reason": "Nope", "message": "not yet"}]}});
    check(ready_false, InProgress, "not yet");
    let ready = json!({"kind": "X", "apiVersion": "example.com/v1", "status": {"conditions": [{"type": "Ready", "status": "True"}]}});
    check(ready, Current, "Resource is Ready");
    check(
        json!({"kind": "X", "apiVersion": "example.com/v1"}),
        Current,
        "Resource is current",
    );
    // A built-in rule is final: the Ready fallback is never consulted.
    let svc = json!({"kind": "Service", "apiVersion": "v1", "spec": {"type": "ClusterIP"}, "status": {"conditions": [{"type": "Ready", "status": "False"}]}});
    check(svc, Current, "Service is ready");
    // Same kind name in another group is not built-in.
    check(
        json!({"kind": "Deployment", "apiVersion": "example.com/v1"}),
        Current,
        "Resource is current",
    );
}

#[test]
fn malformed_objects_are_errors() {
    for (obj, err) in [
        (
            json!({"status": {"conditions": {}}}),
            "status.conditions is not a list",
        ),
        (
            json!({"status": {"conditions": [{"type": 1, "status": "True"}]}}),
            "status.conditions[0].type is not a string",
        ),
        (
            json!({"metadata": {"generation": "1"}}),
            "metadata.generation is not an integer",
        ),
        (
            json!({"metadata": {"deletionTimestamp": null}}),
            "metadata.deletionTimestamp is not a string",
        ),
        (
            json!({"kind": "Pod", "apiVersion": "v1", "status": {"phase": "Unknown"}}),
            "unknown pod phase \"Unknown\"",
        ),
    ] {
        assert_eq!(compute(&obj, NOW).unwrap_err(), err);
    }
}

#[test]
fn deployments() {
    use Status::*;
    let d = |spec: Value, status: Value| json!({"kind": "Deployment", "apiVersion": "apps/v1", "spec": spec, "status": status});
    let available = json!([{"type": "Available", "status": "True"}, {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]);
    check(
        d(
            json!({"replicas": 3}),
            json!({"replicas": 3, "updatedReplicas": 3, "readyReplicas": 3, "availableReplicas": 3, "conditions": available}),
        ),
        Current,
        "Deployment is available. Replicas: 3",
    );
    check(
        d(json!({"replicas": 3}), json!({"replicas": 1})),
        InProgress,
        "Replicas: 1/3",
    );
    check(
        d(
            json!({"replicas": 3}),
            json!({"replicas": 3, "updatedReplicas": 2}),
        ),
        InProgress,
        "Updated: 2/3",
    );
    check(
        d(
            json!({"replicas": 2}),
            json!({"replicas": 3, "updatedReplicas": 3}),
        ),
        InProgress,
        "Pending termination: 1",
    );
    check(
        d(
            json!({"replicas": 3}),
            json!({"replicas": 3, "updatedReplicas": 3, "availableReplicas": 2}),
        ),
        InProgress,
        "Available: 2/3",
    );
    check(
        d(
            json!({"replicas": 3}),
            json!({"replicas": 3, "updatedReplicas": 3, "availableReplicas": 3, "readyReplicas": 1}),
        ),
        InProgress,
        "Ready: 1/3",
    );
    check(
        d(
            json!({"replicas": 1, "progressDeadlineSeconds": 600}),
            json!({"replicas": 1, "updatedReplicas": 1, "availableReplicas": 1, "readyReplicas": 1}),
        ),
        InProgress,
        "ReplicaSet not Available",
    );
    check(
        d(
            json!({"replicas": 1}),
            json!({"replicas": 1, "updatedReplicas": 1, "availableReplicas": 1, "readyReplicas": 1}),
        ),
        InProgress,
        "Deployment not Available",
    );
    let deadline = json!([{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded", "message": "ReplicaSet \"web\" has timed out progressing."}]);
    check(
        d(json!({"replicas": 1}), json!({"conditions": deadline})),
        Failed,
        "Progress deadline exceeded",
    );
    // Fractional numbers are not integers: the default applies.
    check(
        d(json!({"replicas": 1.0}), json!({"replicas": 0})),
        InProgress,
        "Replicas: 0/1",
    );
}

#[test]
fn statefulsets_daemonsets_replicasets() {
    use Status::*;
    let ss = |spec: Value, status: Value| json!({"kind": "StatefulSet", "apiVersion": "apps/v1", "spec": spec, "status": status});
    check(
        ss(json!({"updateStrategy": {"type": "OnDelete"}}), json!({})),
        Current,
        "StatefulSet is using the ondelete update strategy",
    );
    check(
        ss(
            json!({"replicas": 2}),
            json!({"replicas": 2, "readyReplicas": 2, "currentReplicas": 2, "currentRevision": "a", "updateRevision": "a"}),
        ),
        Current,
        "All replicas scheduled as expected. Replicas: 2",
    );
    check(
        ss(
            json!({"replicas": 2}),
            json!({"replicas": 2, "readyReplicas": 2, "currentReplicas": 1}),
        ),
        InProgress,
        "current: 1/2",
    );
    check(
        ss(
            json!({"replicas": 2}),
            json!({"replicas": 2, "readyReplicas": 2, "currentReplicas": 2, "currentRevision": "a", "updateRevision": "b"}),
        ),
        InProgress,
        "Waiting for updated revision to match current",
    );
    check(
        ss(
            json!({"replicas": 4, "updateStrategy": {"rollingUpdate": {"partition": 2}}}),
            json!({"replicas": 4, "readyReplicas": 4, "updatedReplicas": 1}),
        ),
        InProgress,
        "updated: 1/2",
    );

    let ds = |meta: Value, status: Value| json!({"kind": "DaemonSet", "apiVersion": "apps/v1", "metadata": meta, "status": status});
    check(
        ds(json!({}), json!({})),
        InProgress,
        "DaemonSet metadata.generation not found",
    );
    check(
        ds(json!({"generation": 1}), json!({})),
        InProgress,
        "DaemonSet status.observedGeneration not found",
    );
    check(
        ds(json!({"generation": 1}), json!({"observedGeneration": 1})),
        InProgress,
        "Missing .status.desiredNumberScheduled",
    );
    check(
        ds(
            json!({"generation": 1}),
            json!({"observedGeneration": 1, "desiredNumberScheduled": 2, "currentNumberScheduled": 2, "updatedNumberScheduled": 2, "numberAvailable": 1}),
        ),
        InProgress,
        "Available: 1/2",
    );
    check(
        ds(
            json!({"generation": 1}),
            json!({"observedGeneration": 1, "desiredNumberScheduled": 2, "currentNumberScheduled": 2, "updatedNumberScheduled": 2, "numberAvailable": 2, "numberReady": 2}),
        ),
        Current,
        "All replicas scheduled as expected. Replicas: 2",
    );

    let rs = |status: Value| json!({"kind": "ReplicaSet", "apiVersion": "apps/v1", "spec": {"replicas": 2}, "status": status});
    check(
        rs(json!({"conditions": [{"type": "ReplicaFailure", "status": "True"}]})),
        InProgress,
        "Replica Failure condition. Check Pods",
    );
    check(
        rs(json!({"replicas": 2, "fullyLabeledReplicas": 1})),
        InProgress,
        "Labelled: 1/2",
    );
    check(
        rs(
            json!({"replicas": 2, "fullyLabeledReplicas": 2, "availableReplicas": 2, "readyReplicas": 2}),
        ),
        Current,
        "ReplicaSet is available. Replicas: 2",
    );
}

#[test]
fn pods_depend_on_phase_readiness_crash_loops_and_the_clock() {
    use Status::*;
    let pod = |status: Value, created: &str| json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"creationTimestamp": created}, "status": status});
    let old = "2026-11-25T05:00:00Z";
    check(
        pod(json!({"phase": "Succeeded"}), old),
        Current,
        "Pod has completed successfully",
    );
    check(
        pod(json!({"phase": "Failed"}), old),
        Current,
        "Pod has completed, but not successfully",
    );
    check(
        pod(
            json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}),
            old,
        ),
        Current,
        "Pod is Ready",
    );
    let crash = json!({"phase": "Running", "containerStatuses": [
        {"name": "a", "state": {"waiting": {"reason": "CrashLoopBackOff"}}}, {"name": "b", "state": {"running": {}}},
        {"name": "c", "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]});
    check(
        pod(crash, old),
        Failed,
        "Containers in CrashLoop state: a,c",
    );
    check(
        pod(json!({"phase": "Running"}), old),
        InProgress,
        "Pod is running but is not Ready",
    );
    let unschedulable = json!({"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable"}]});
    check(
        pod(unschedulable.clone(), old),
        Failed,
        "Pod could not be scheduled",
    );
    check(
        pod(unschedulable, "2026-11-25T05:38:01Z"),
        InProgress,
        "Pod has not been scheduled",
    );
    check(
        pod(json!({"phase": "Pending"}), old),
        InProgress,
        "Pod is in the Pending phase",
    );
    check(pod(json!({}), old), InProgress, "Pod phase not available");
}

#[test]
fn jobs_crds_and_always_ready_kinds() {
    use Status::*;
    let job = |spec: Value, status: Value| json!({"kind": "Job", "apiVersion": "batch/v1", "spec": spec, "status": status});
    check(
        job(
            json!({"completions": 3}),
            json!({"succeeded": 3, "conditions": [{"type": "Complete", "status": "True"}]}),
        ),
        Current,
        "Job Completed. succeeded: 3/3",
    );
    check(
        job(
            json!({}),
            json!({"failed": 6, "conditions": [{"type": "Failed", "status": "True"}]}),
        ),
        Failed,
        "Job Failed. failed: 6/1",
    );
    check(
        job(
            json!({"suspend": true}),
            json!({"conditions": [{"type": "Suspended", "status": "True"}]}),
        ),
        Current,
        "Job is suspended",
    );
    check(job(json!({}), json!({})), InProgress, "Job not started");
    check(
        job(
            json!({}),
            json!({"startTime": "2026-11-25T05:00:00Z", "active": 1}),
        ),
        Current,
        "Job in progress. success:0, active: 1, failed: 0",
    );
    let crd = |conds: Value| json!({"kind": "CustomResourceDefinition", "apiVersion": "apiextensions.k8s.io/v1", "status": {"conditions": conds}});
    check(
        crd(
            json!([{"type": "NamesAccepted", "status": "False", "reason": "NameConflict", "message": "taken"}]),
        ),
        Failed,
        "taken",
    );
    check(
        crd(json!([{"type": "Established", "status": "False", "reason": "Installing"}])),
        InProgress,
        "Install in progress",
    );
    check(
        crd(json!([{"type": "Established", "status": "True"}])),
        Current,
        "CRD is established",
    );
    for (kind, api) in [
        ("ConfigMap", "v1"),
        ("Secret", "v1"),
        ("CronJob", "batch/v1"),
    ] {
        check(
            json!({"kind": kind, "apiVersion": api}),
            Current,
            "Resource is always ready",
        );
    }
    check(
        json!({"kind": "PersistentVolumeClaim", "apiVersion": "v1"}),
        InProgress,
        "PVC is not Bound. phase: unknown",
    );
    check(
        json!({"kind": "PersistentVolumeClaim", "apiVersion": "v1", "status": {"phase": "Bound"}}),
        Current,
        "PVC is Bound",
    );
    check(
        json!({"kind": "Service", "apiVersion": "v1", "spec": {"type": "LoadBalancer"}}),
        InProgress,
        "ClusterIP not set. Service type: LoadBalancer",
    );
    check(
        json!({"kind": "PodDisruptionBudget", "apiVersion": "policy/v1"}),
        Current,
        "AllowedDisruptions has been computed.",
    );
}
