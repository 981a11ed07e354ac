//! What `kubectl describe` tells of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! Job), read from its full object: the replica line, selector, strategy and pod template images.

use serde_json::Value;

/// A workload as `kubectl describe` summarises it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkloadDetails {
    /// `2 desired | 2 updated | 2 total | 1 available | 1 unavailable` (kubectl's words per kind).
    pub replicas: String,
    /// The label selector (`app=web,tier=front`), "" when none.
    pub selector: String,
    /// Update strategy (`RollingUpdate`, `OnDelete`, `Recreate`), "" when none.
    pub strategy: String,
    /// `container: image` for each container of the pod template.
    pub images: Vec<String>,
}

fn int(v: &Value, pointer: &str) -> i64 {
    v.pointer(pointer).and_then(Value::as_i64).unwrap_or(0)
}

fn selector(v: &Value) -> String {
    let labels = v
        .pointer("/spec/selector/matchLabels")
        .and_then(Value::as_object);
    let exprs = v
        .pointer("/spec/selector/matchExpressions")
        .and_then(Value::as_array);
    let labels = labels
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()));
    let exprs = exprs.into_iter().flatten().map(|e| {
        let values = e.get("values").and_then(Value::as_array).map(|vs| {
            vs.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(",")
        });
        let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
        let op = e
            .get("operator")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match values {
            Some(vs) if !vs.is_empty() => format!("{key} {} ({vs})", op.to_ascii_lowercase()),
            _ => format!("{key} {op}"),
        }
    });
    labels.chain(exprs).collect::<Vec<_>>().join(",")
}

impl WorkloadDetails {
    /// Reads a workload object of `kind`; missing fields count as 0 or are left out.
    pub fn of(kind: &str, v: &Value) -> WorkloadDetails {
        let replicas = match kind {
            "Deployment" => format!(
                "{} desired | {} updated | {} total | {} available | {} unavailable",
                int(v, "/spec/replicas"),
                int(v, "/status/updatedReplicas"),
                int(v, "/status/replicas"),
                int(v, "/status/availableReplicas"),
                int(v, "/status/unavailableReplicas"),
            ),
            "StatefulSet" | "ReplicaSet" => format!(
                "{} current / {} desired, {} ready",
                int(v, "/status/replicas"),
                int(v, "/spec/replicas"),
                int(v, "/status/readyReplicas"),
            ),
            "DaemonSet" => format!(
                "{} desired | {} current | {} ready | {} up-to-date | {} available",
                int(v, "/status/desiredNumberScheduled"),
                int(v, "/status/currentNumberScheduled"),
                int(v, "/status/numberReady"),
                int(v, "/status/updatedNumberScheduled"),
                int(v, "/status/numberAvailable"),
            ),
            "Job" => format!(
                "{} active | {} succeeded | {} failed",
                int(v, "/status/active"),
                int(v, "/status/succeeded"),
                int(v, "/status/failed"),
            ),
            _ => String::new(),
        };
        let strategy = ["/spec/strategy/type", "/spec/updateStrategy/type"]
            .iter()
            .find_map(|p| v.pointer(p).and_then(Value::as_str))
            .unwrap_or_default()
            .to_owned();
        let images = v
            .pointer("/spec/template/spec/containers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|c| {
                let name = c.get("name").and_then(Value::as_str).unwrap_or_default();
                let image = c.get("image").and_then(Value::as_str).unwrap_or_default();
                format!("{name}: {image}")
            })
            .collect();
        WorkloadDetails {
            replicas,
            selector: selector(v),
            strategy,
            images,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn describes_a_deployment_as_kubectl() {
        let d = WorkloadDetails::of(
            "Deployment",
            &json!({
            "spec": {"replicas": 2, "strategy": {"type": "RollingUpdate"},
                "selector": {"matchLabels": {"app": "podinfo"},
                    "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}]},
                "template": {"spec": {"containers": [{"name": "podinfo", "image": "podinfo:6.5.4"}]}}},
            "status": {"replicas": 2, "updatedReplicas": 2, "availableReplicas": 1, "unavailableReplicas": 1}}),
        );
        assert_eq!(
            d.replicas,
            "2 desired | 2 updated | 2 total | 1 available | 1 unavailable"
        );
        assert_eq!(d.selector, "app=podinfo,tier in (a,b)");
        assert_eq!(d.strategy, "RollingUpdate");
        assert_eq!(d.images, ["podinfo: podinfo:6.5.4"]);
    }

    #[test]
    fn a_bare_statefulset_reads_as_zeroes() {
        let d = WorkloadDetails::of(
            "StatefulSet",
            &json!({"spec": {"updateStrategy": {"type": "OnDelete"}}}),
        );
        assert_eq!(d.replicas, "0 current / 0 desired, 0 ready");
        assert_eq!((d.selector.as_str(), d.strategy.as_str()), ("", "OnDelete"));
        assert!(d.images.is_empty());
    }
}
