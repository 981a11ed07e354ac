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

/// A condition of a built-in workload (these have no `observedGeneration`; a Deployment's also
/// carry `lastUpdateTime`).
pub fn workload_condition(
    kind: &str,
    status: &str,
    reason: &str,
    message: &str,
    time: &str,
) -> Value {
    json!({ "type": kind, "status": status, "reason": reason, "message": message, "lastTransitionTime": time, "lastUpdateTime": time })
}

/// An owner reference to `owner` (a stored object: its uid is known), as a controller sets it.
pub fn owner_ref(owner: &Value) -> Value {
    json!({ "apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": owner["metadata"]["name"],
            "uid": owner["metadata"]["uid"], "controller": true, "blockOwnerDeletion": true })
}

/// A container's status: the kubelet reports its image, and the image's digest once pulled.
pub fn container_status(
    name: &str,
    image: &str,
    ready: bool,
    restarts: u64,
    state: Value,
) -> Value {
    let image_id = if state.get("waiting").is_some() && restarts == 0 {
        String::new()
    } else {
        format!(
            "{}@sha256:{:064x}",
            image.split(':').next().unwrap_or(image),
            image.len()
        )
    };
    json!({ "name": name, "image": image, "imageID": image_id, "ready": ready, "restartCount": restarts,
            "started": state.get("running").is_some(), "state": state })
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
    let mut deployment = json!({
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
                workload_condition("Available", available, "MinimumReplicasAvailable", "Deployment has minimum availability.", time),
                workload_condition("Progressing", "True", "NewReplicaSetAvailable", &format!("ReplicaSet \"{name}\" has successfully progressed."), time),
            ],
        },
    });
    // A real server leaves the field out when it is 0.
    if ready < replicas {
        deployment["status"]["unavailableReplicas"] = json!(replicas - ready);
    }
    deployment
}

/// A ReplicaSet of `deployment` (a stored Deployment) for the template hash `hash`.
pub fn replicaset(deployment: &Value, hash: &str, replicas: u32, ready: u32) -> Value {
    let ns = deployment["metadata"]["namespace"].as_str().unwrap_or("");
    let app = deployment["metadata"]["name"].as_str().unwrap_or("");
    let mut template = deployment["spec"]["template"].clone();
    template["metadata"]["labels"]["pod-template-hash"] = json!(hash);
    json!({
        "metadata": {
            "name": format!("{app}-{hash}"), "namespace": ns, "labels": { "app": app, "pod-template-hash": hash },
            "ownerReferences": [owner_ref(deployment)],
        },
        "spec": { "replicas": replicas, "selector": { "matchLabels": { "app": app, "pod-template-hash": hash } }, "template": template },
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
