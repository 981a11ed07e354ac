//! Builders for the demo's Kubernetes and Flux objects (JSON, as the API would store them).

use serde_json::{json, Value};

/// Metadata with labels.
pub fn meta(ns: &str, name: &str, labels: Value) -> Value {
    json!({ "name": name, "namespace": ns, "labels": labels })
}

/// A condition.
pub fn condition(kind: &str, status: &str, reason: &str, message: &str, time: &str) -> Value {
    json!({ "type": kind, "status": status, "reason": reason, "message": message, "lastTransitionTime": time, "observedGeneration": 1 })
}

/// Labels Flux puts on what a Kustomization applies.
pub fn applied_by(kustomization: &str) -> Value {
    json!({ "kustomize.toolkit.fluxcd.io/name": kustomization, "kustomize.toolkit.fluxcd.io/namespace": "flux-system" })
}

/// A Deployment with its rollout status.
pub fn deployment(
    ns: &str,
    name: &str,
    replicas: u32,
    ready: u32,
    image: &str,
    labels: Value,
    time: &str,
) -> Value {
    let available = if ready >= replicas { "True" } else { "False" };
    json!({
        "metadata": meta(ns, name, labels),
        "spec": {
            "replicas": replicas, "progressDeadlineSeconds": 600,
            "selector": { "matchLabels": { "app": name } },
            "template": { "metadata": { "labels": { "app": name } }, "spec": { "containers": [{ "name": name, "image": image }] } },
        },
        "status": {
            "observedGeneration": 1, "replicas": replicas, "updatedReplicas": replicas,
            "readyReplicas": ready, "availableReplicas": ready,
            "conditions": [
                condition("Available", available, "MinimumReplicasAvailable", "Deployment has minimum availability.", time),
                condition("Progressing", "True", "NewReplicaSetAvailable", &format!("ReplicaSet \"{name}\" has successfully progressed."), time),
            ],
        },
    })
}

/// A ReplicaSet owned by a Deployment.
pub fn replicaset(ns: &str, deployment: &str, hash: &str, replicas: u32, ready: u32) -> Value {
    let name = format!("{deployment}-{hash}");
    json!({
        "metadata": {
            "name": name, "namespace": ns, "labels": { "app": deployment, "pod-template-hash": hash },
            "ownerReferences": [{ "apiVersion": "apps/v1", "kind": "Deployment", "name": deployment, "controller": true }],
        },
        "spec": { "replicas": replicas },
        "status": { "observedGeneration": 1, "replicas": replicas, "fullyLabeledReplicas": replicas, "readyReplicas": ready, "availableReplicas": ready },
    })
}

/// A Service.
pub fn service(ns: &str, name: &str, port: u16, labels: Value) -> Value {
    json!({
        "metadata": meta(ns, name, labels),
        "spec": { "type": "ClusterIP", "clusterIP": format!("10.96.{}.{}", port % 250, name.len() * 7 % 250), "selector": { "app": name },
                  "ports": [{ "name": "http", "port": port, "targetPort": port, "protocol": "TCP" }] },
    })
}

/// A Flux object with a Ready condition.
pub fn flux(
    ns: &str,
    name: &str,
    spec: Value,
    ready: (&str, &str, &str),
    extra_status: Value,
    time: &str,
) -> Value {
    let mut status = json!({
        "observedGeneration": 1,
        "conditions": [condition("Ready", ready.0, ready.1, ready.2, time)],
    });
    if let (Some(s), Value::Object(extra)) = (status.as_object_mut(), extra_status) {
        s.extend(extra);
    }
    json!({ "metadata": { "name": name, "namespace": ns, "finalizers": ["finalizers.fluxcd.io"] }, "spec": spec, "status": status })
}

/// What an Event says, about which object.
pub struct Note<'a> {
    /// Kind of the object.
    pub kind: &'a str,
    /// Name of the object.
    pub name: &'a str,
    /// `Normal` or `Warning`.
    pub severity: &'a str,
    /// Reason (`BackOff`, `ReconciliationSucceeded`, …).
    pub reason: &'a str,
    /// Message.
    pub message: &'a str,
    /// Reporting component.
    pub component: &'a str,
}

/// A core/v1 Event about an object in `ns`.
pub fn event(ns: &str, note: &Note, time: &str, n: u64) -> Value {
    json!({
        "metadata": { "name": format!("{}.{n:016x}", note.name), "namespace": ns },
        "involvedObject": { "kind": note.kind, "name": note.name, "namespace": ns },
        "type": note.severity, "reason": note.reason, "message": note.message, "count": 1,
        "firstTimestamp": time, "lastTimestamp": time,
        "source": { "component": note.component },
        "reportingComponent": note.component,
    })
}
