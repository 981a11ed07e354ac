//! kstatus: the status of any Kubernetes object as `kstatus.Compute` defines it (cli-utils), with
//! its exact messages. `NotFound` and `Unknown` come from the caller (fetch failed, or the object
//! was malformed).

use super::{conditions, int, string, Condition};
use crate::model::time::parse_rfc3339;
use serde_json::Value;

/// The six kstatus words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Fully reconciled.
    Current,
    /// Still converging.
    InProgress,
    /// Needs a human.
    Failed,
    /// Being deleted.
    Terminating,
    /// Does not exist.
    NotFound,
    /// Could not be determined.
    Unknown,
}

impl Status {
    /// The kstatus word.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Current => "Current",
            Status::InProgress => "InProgress",
            Status::Failed => "Failed",
            Status::Terminating => "Terminating",
            Status::NotFound => "NotFound",
            Status::Unknown => "Unknown",
        }
    }
}

/// A computed status with its message and (for InProgress/Failed) the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Computed {
    /// The status.
    pub status: Status,
    /// Human-readable explanation (untrusted text when copied from a condition).
    pub message: String,
    /// The Reconciling/Stalled reason, for InProgress and Failed.
    pub reason: String,
}

fn current(message: impl Into<String>) -> Computed {
    Computed {
        status: Status::Current,
        message: message.into(),
        reason: String::new(),
    }
}
fn in_progress(reason: &str, message: impl Into<String>) -> Computed {
    Computed {
        status: Status::InProgress,
        message: message.into(),
        reason: reason.into(),
    }
}
fn failed(reason: &str, message: impl Into<String>) -> Computed {
    Computed {
        status: Status::Failed,
        message: message.into(),
        reason: reason.into(),
    }
}

/// Computes the status of `obj` at `now` (epoch seconds; the Pod rule depends on the clock).
/// Errors describe a malformed object (kstatus reports those as `Unknown`).
pub fn compute(obj: &Value, now: i64) -> Result<Computed, String> {
    match obj.pointer("/metadata/deletionTimestamp") {
        None => {}
        Some(Value::String(s)) if s.is_empty() => {}
        Some(Value::String(_)) => {
            return Ok(Computed {
                status: Status::Terminating,
                message: "Resource scheduled for deletion".into(),
                reason: String::new(),
            })
        }
        Some(_) => return Err("metadata.deletionTimestamp is not a string".into()),
    }
    let kind = string(obj, "/kind").unwrap_or("");
    let generation = integer_field(obj, "/metadata/generation", "metadata.generation")?;
    let observed = integer_field(
        obj,
        "/status/observedGeneration",
        "status.observedGeneration",
    )?;
    if let (Some(g), Some(o)) = (generation, observed) {
        if g != o {
            return Ok(in_progress(
                "LatestGenerationNotObserved",
                format!("{kind} generation is {g}, but latest observed generation is {o}"),
            ));
        }
    }
    let conds = conditions(obj)?;
    for c in &conds {
        match (c.kind, c.status) {
            ("Reconciling", "True") => return Ok(in_progress(c.reason, c.message)),
            ("Stalled", "True") => return Ok(failed(c.reason, c.message)),
            _ => {}
        }
    }
    let group = string(obj, "/apiVersion")
        .and_then(|v| v.split_once('/'))
        .map_or("", |(g, _)| g);
    let rule = match (group, kind) {
        ("", "Service") => service(obj),
        ("", "Pod") => return pod(obj, &conds, now),
        ("", "Secret" | "ConfigMap") | ("batch", "CronJob") => current("Resource is always ready"),
        ("", "PersistentVolumeClaim") => pvc(obj),
        ("apps", "StatefulSet") => statefulset(obj),
        ("apps" | "extensions", "DaemonSet") => daemonset(obj, kind, generation, observed),
        ("apps" | "extensions", "Deployment") => deployment(obj, &conds),
        ("apps" | "extensions", "ReplicaSet") => replicaset(obj, &conds),
        ("policy", "PodDisruptionBudget") => current("AllowedDisruptions has been computed."),
        ("batch", "Job") => job(obj, &conds),
        ("apiextensions.k8s.io", "CustomResourceDefinition") => crd(&conds),
        _ => ready_fallback(&conds),
    };
    Ok(rule)
}

fn integer_field(obj: &Value, pointer: &str, name: &str) -> Result<Option<i64>, String> {
    match obj.pointer(pointer) {
        None => Ok(None),
        Some(Value::Number(n)) if n.is_i64() => Ok(n.as_i64()),
        Some(_) => Err(format!("{name} is not an integer")),
    }
}

fn ready_fallback(conds: &[Condition]) -> Computed {
    for c in conds.iter().filter(|c| c.kind == "Ready") {
        match c.status {
            "True" => return current("Resource is Ready"),
            "False" | "Unknown" => return in_progress(c.reason, c.message),
            _ => {}
        }
    }
    current("Resource is current")
}

fn service(obj: &Value) -> Computed {
    let kind = string(obj, "/spec/type").unwrap_or("ClusterIP");
    if kind == "LoadBalancer" && string(obj, "/spec/clusterIP").unwrap_or("").is_empty() {
        return in_progress(
            "NoIPAssigned",
            "ClusterIP not set. Service type: LoadBalancer",
        );
    }
    current("Service is ready")
}

fn pvc(obj: &Value) -> Computed {
    match string(obj, "/status/phase").unwrap_or("unknown") {
        "Bound" => current("PVC is Bound"),
        phase => in_progress("NotBound", format!("PVC is not Bound. phase: {phase}")),
    }
}

fn pod(obj: &Value, conds: &[Condition], now: i64) -> Result<Computed, String> {
    Ok(match string(obj, "/status/phase").unwrap_or("") {
        "Succeeded" => current("Pod has completed successfully"),
        "Failed" => current("Pod has completed, but not successfully"),
        "Running" => {
            if conds
                .iter()
                .any(|c| c.kind == "Ready" && c.status == "True")
            {
                return Ok(current("Pod is Ready"));
            }
            let crashing: Vec<&str> = obj
                .pointer("/status/containerStatuses")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|c| {
                    c.pointer("/state/waiting/reason").and_then(Value::as_str)
                        == Some("CrashLoopBackOff")
                })
                .filter_map(|c| c.get("name")?.as_str())
                .collect();
            if crashing.is_empty() {
                in_progress("PodRunningNotReady", "Pod is running but is not Ready")
            } else {
                failed(
                    "ContainerCrashLooping",
                    format!("Containers in CrashLoop state: {}", crashing.join(",")),
                )
            }
        }
        "Pending" => {
            let unschedulable = conds.iter().any(|c| {
                c.kind == "PodScheduled" && c.status == "False" && c.reason == "Unschedulable"
            });
            if !unschedulable {
                return Ok(in_progress("PodPending", "Pod is in the Pending phase"));
            }
            let created = string(obj, "/metadata/creationTimestamp")
                .and_then(parse_rfc3339)
                .unwrap_or(i64::MIN);
            if now - 15 < created {
                in_progress("PodNotScheduled", "Pod has not been scheduled")
            } else {
                failed("PodUnschedulable", "Pod could not be scheduled")
            }
        }
        "" => in_progress("PodNotObserved", "Pod phase not available"),
        other => return Err(format!("unknown pod phase {other:?}")),
    })
}

fn deployment(obj: &Value, conds: &[Condition]) -> Computed {
    let spec = int(obj, "/spec/replicas").unwrap_or(1);
    let deadline = int(obj, "/spec/progressDeadlineSeconds");
    let replicas = int(obj, "/status/replicas").unwrap_or(0);
    let updated = int(obj, "/status/updatedReplicas").unwrap_or(0);
    let ready = int(obj, "/status/readyReplicas").unwrap_or(0);
    let available_n = int(obj, "/status/availableReplicas").unwrap_or(0);
    let mut progressing = deadline.is_none_or(|d| d == 2_147_483_647);
    let mut available = false;
    for c in conds {
        if c.kind == "Progressing" && c.reason == "ProgressDeadlineExceeded" {
            return failed("ProgressDeadlineExceeded", "Progress deadline exceeded");
        }
        if c.kind == "Progressing" && c.status == "True" && c.reason == "NewReplicaSetAvailable" {
            progressing = true;
        }
        if c.kind == "Available" && c.status == "True" {
            available = true;
        }
    }
    if spec > replicas {
        in_progress("LessReplicas", format!("Replicas: {replicas}/{spec}"))
    } else if spec > updated {
        in_progress("LessUpdated", format!("Updated: {updated}/{spec}"))
    } else if replicas > spec {
        in_progress(
            "ExtraPods",
            format!("Pending termination: {}", replicas - spec),
        )
    } else if updated > available_n {
        in_progress(
            "LessAvailable",
            format!("Available: {available_n}/{updated}"),
        )
    } else if spec > ready {
        in_progress("LessReady", format!("Ready: {ready}/{spec}"))
    } else if !progressing {
        in_progress("ReplicaSetNotAvailable", "ReplicaSet not Available")
    } else if !available {
        in_progress("DeploymentNotAvailable", "Deployment not Available")
    } else {
        current(format!("Deployment is available. Replicas: {replicas}"))
    }
}

fn statefulset(obj: &Value) -> Computed {
    if string(obj, "/spec/updateStrategy/type") == Some("OnDelete") {
        return current("StatefulSet is using the ondelete update strategy");
    }
    let spec = int(obj, "/spec/replicas").unwrap_or(1);
    let ready = int(obj, "/status/readyReplicas").unwrap_or(0);
    let current_n = int(obj, "/status/currentReplicas").unwrap_or(0);
    let updated = int(obj, "/status/updatedReplicas").unwrap_or(0);
    let replicas = int(obj, "/status/replicas").unwrap_or(0);
    let partition = int(obj, "/spec/updateStrategy/rollingUpdate/partition").unwrap_or(-1);
    if spec > replicas {
        return in_progress("LessReplicas", format!("Replicas: {replicas}/{spec}"));
    }
    if spec > ready {
        return in_progress("LessReady", format!("Ready: {ready}/{spec}"));
    }
    if replicas > spec {
        return in_progress(
            "ExtraPods",
            format!("Pending termination: {}", replicas - spec),
        );
    }
    if partition != -1 {
        return if updated < spec - partition {
            in_progress(
                "PartitionRollout",
                format!("updated: {updated}/{}", spec - partition),
            )
        } else {
            current(format!("Partition rollout complete. updated: {updated}"))
        };
    }
    if spec > current_n {
        return in_progress("LessCurrent", format!("current: {current_n}/{spec}"));
    }
    if string(obj, "/status/currentRevision").unwrap_or("")
        != string(obj, "/status/updateRevision").unwrap_or("")
    {
        return in_progress(
            "RevisionMismatch",
            "Waiting for updated revision to match current",
        );
    }
    current(format!(
        "All replicas scheduled as expected. Replicas: {replicas}"
    ))
}

fn daemonset(obj: &Value, kind: &str, generation: Option<i64>, observed: Option<i64>) -> Computed {
    if generation.is_none() {
        return in_progress(
            "NoGeneration",
            format!("{kind} metadata.generation not found"),
        );
    }
    if observed.is_none() {
        return in_progress(
            "NoObservedGeneration",
            format!("{kind} status.observedGeneration not found"),
        );
    }
    let Some(desired) = int(obj, "/status/desiredNumberScheduled") else {
        return in_progress("NoDesiredNumber", "Missing .status.desiredNumberScheduled");
    };
    let field = |name: &str| int(obj, &format!("/status/{name}")).unwrap_or(0);
    let checks = [
        ("LessCurrent", "Current", field("currentNumberScheduled")),
        ("LessUpdated", "Updated", field("updatedNumberScheduled")),
        ("LessAvailable", "Available", field("numberAvailable")),
        ("LessReady", "Ready", field("numberReady")),
    ];
    for (reason, label, n) in checks {
        if desired > n {
            return in_progress(reason, format!("{label}: {n}/{desired}"));
        }
    }
    current(format!(
        "All replicas scheduled as expected. Replicas: {desired}"
    ))
}

fn replicaset(obj: &Value, conds: &[Condition]) -> Computed {
    if conds
        .iter()
        .any(|c| c.kind == "ReplicaFailure" && c.status == "True")
    {
        return in_progress("ReplicaFailure", "Replica Failure condition. Check Pods");
    }
    let spec = int(obj, "/spec/replicas").unwrap_or(1);
    let field = |name: &str| int(obj, &format!("/status/{name}")).unwrap_or(0);
    let (replicas, labelled) = (field("replicas"), field("fullyLabeledReplicas"));
    let (available, ready) = (field("availableReplicas"), field("readyReplicas"));
    if spec > labelled {
        in_progress("LessLabelled", format!("Labelled: {labelled}/{spec}"))
    } else if spec > available {
        in_progress("LessAvailable", format!("Available: {available}/{spec}"))
    } else if spec > ready {
        in_progress("LessReady", format!("Ready: {ready}/{spec}"))
    } else if replicas > spec {
        in_progress(
            "ExtraPods",
            format!("Pending termination: {}", replicas - spec),
        )
    } else {
        current(format!("ReplicaSet is available. Replicas: {replicas}"))
    }
}

fn job(obj: &Value, conds: &[Condition]) -> Computed {
    let parallelism = int(obj, "/spec/parallelism").unwrap_or(1);
    let completions = int(obj, "/spec/completions").unwrap_or(parallelism);
    let field = |name: &str| int(obj, &format!("/status/{name}")).unwrap_or(0);
    let (succeeded, active, failed_n) = (field("succeeded"), field("active"), field("failed"));
    let suspended = crate::model::flux::suspended(obj);
    for c in conds.iter().filter(|c| c.status == "True") {
        match c.kind {
            "Complete" => {
                return current(format!(
                    "Job Completed. succeeded: {succeeded}/{completions}"
                ))
            }
            "Failed" => {
                return failed(
                    "JobFailed",
                    format!("Job Failed. failed: {failed_n}/{completions}"),
                )
            }
            "Suspended" if suspended => return current("Job is suspended"),
            _ => {}
        }
    }
    if string(obj, "/status/startTime").unwrap_or("").is_empty() {
        return in_progress("JobNotStarted", "Job not started");
    }
    current(format!(
        "Job in progress. success:{succeeded}, active: {active}, failed: {failed_n}"
    ))
}

fn crd(conds: &[Condition]) -> Computed {
    for c in conds {
        match (c.kind, c.status) {
            ("NamesAccepted", "False") => return failed(c.reason, c.message),
            ("Established", "False") if c.reason != "Installing" => {
                return failed(c.reason, c.message)
            }
            ("Established", "True") => return current("CRD is established"),
            _ => {}
        }
    }
    in_progress("Installing", "Install in progress")
}

#[cfg(test)]
mod tests;
