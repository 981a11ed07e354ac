//! What the API server checks before it stores a new object: well-formed names, complete owner
//! references, and the fields each built-in kind requires (a subset of the real validation: the
//! fields a client or the demo could plausibly forget). Failures are the server's 422 `Invalid`.

use crate::http::status::ApiError;
pub use crate::http::status::Cause;
use crate::resources::ResourceDef;
use serde_json::Value;

const SUBDOMAIN: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
fn is_label(s: &str) -> bool {
    let b = s.as_bytes();
    let inner = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !b.is_empty()
        && b.len() <= 63
        && b.first().is_some_and(inner)
        && b.last().is_some_and(inner)
        && b.iter().all(|c| inner(c) || *c == b'-')
}

/// Labels joined by dots, at most 253 characters.
fn is_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_label)
}

/// Checks `name` as the kind's names must be (DNS-1123 subdomain, or label for namespaces, or
/// DNS-1035 label for services).
fn check_name(def: &ResourceDef, name: &str, causes: &mut Vec<Cause>) {
    let field = "metadata.name";
    let (ok, why, max) = match def.kind {
        "Namespace" => (is_label(name), LABEL, 63),
        "Service" => (
            is_label(name) && name.starts_with(|c: char| c.is_ascii_lowercase()),
            DNS1035,
            63,
        ),
        _ => (is_subdomain(name), SUBDOMAIN, 253),
    };
    if name.len() > max {
        causes.push(Cause::invalid(
            field,
            name,
            &format!("must be no more than {max} characters"),
        ));
    } else if !ok {
        causes.push(Cause::invalid(field, name, why));
    }
}

fn missing(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn require(obj: &Value, pointer: &str, field: &str, causes: &mut Vec<Cause>) {
    if obj.pointer(pointer).is_none_or(missing) {
        causes.push(Cause::required(field));
    }
}

/// A pod spec at `pointer` (shown as `field`): containers, each with a name and an image.
fn check_pod_spec(obj: &Value, pointer: &str, field: &str, causes: &mut Vec<Cause>) {
    let containers = obj.pointer(&format!("{pointer}/containers"));
    let Some(list) = containers
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())
    else {
        causes.push(Cause::required(format!("{field}.containers")));
        return;
    };
    for (i, c) in list.iter().enumerate() {
        let at = format!("{field}.containers[{i}]");
        match c["name"].as_str().unwrap_or("") {
            "" => causes.push(Cause::required(format!("{at}.name"))),
            name if !is_label(name) => {
                causes.push(Cause::invalid(format!("{at}.name"), name, LABEL))
            }
            _ => {}
        }
        if missing(&c["image"]) {
            causes.push(Cause::required(format!("{at}.image")));
        }
    }
}

/// Why a `spec.replicas` (of a workload or its `Scale`) is refused, if it is: it is an `int32`
/// that must not be negative.
pub fn replicas_cause(replicas: &Value) -> Option<Cause> {
    let Value::Number(n) = replicas else {
        return None;
    };
    let why = match n.as_i64() {
        Some(r) if r < 0 => "must be greater than or equal to 0",
        Some(r) if r <= i64::from(i32::MAX) => return None,
        _ => "must be less than or equal to 2147483647",
    };
    // A number is shown as it is (Go's `%v`), not quoted.
    Some(Cause {
        reason: "FieldValueInvalid",
        message: format!("Invalid value: {n}: {why}"),
        field: "spec.replicas".into(),
    })
}

/// A workload's selector and template: the selector is required and must match the template's
/// labels; the template needs a pod spec.
fn check_workload(obj: &Value, causes: &mut Vec<Cause>) {
    require(obj, "/spec/selector", "spec.selector", causes);
    let wanted = obj["spec"]["selector"]["matchLabels"].as_object();
    let labels = &obj["spec"]["template"]["metadata"]["labels"];
    let matches = wanted.is_none_or(|w| w.iter().all(|(k, v)| &labels[k] == v));
    if !matches {
        causes.push(Cause {
            reason: "FieldValueInvalid",
            message: format!(
                "Invalid value: {labels}: `selector` does not match template `labels`"
            ),
            field: "spec.template.metadata.labels".into(),
        });
    }
    check_pod_spec(obj, "/spec/template/spec", "spec.template.spec", causes);
}

fn check_kind(def: &ResourceDef, obj: &Value, causes: &mut Vec<Cause>) {
    match (def.group, def.kind) {
        ("", "Pod") => check_pod_spec(obj, "/spec", "spec", causes),
        ("apps", "Deployment" | "ReplicaSet" | "StatefulSet") => {
            check_workload(obj, causes);
            if let Some(cause) = replicas_cause(&obj["spec"]["replicas"]) {
                causes.push(cause);
            }
        }
        ("apps", "DaemonSet") => check_workload(obj, causes),
        ("batch", "Job") => {
            check_pod_spec(obj, "/spec/template/spec", "spec.template.spec", causes)
        }
        ("batch", "CronJob") => {
            require(obj, "/spec/schedule", "spec.schedule", causes);
            check_pod_spec(
                obj,
                "/spec/jobTemplate/spec/template/spec",
                "spec.jobTemplate.spec.template.spec",
                causes,
            );
        }
        ("", "Service") if obj["spec"]["clusterIP"] != "None" => {
            require(obj, "/spec/ports", "spec.ports", causes);
            for (i, p) in obj["spec"]["ports"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                if p["port"].as_u64().is_none_or(|n| n == 0 || n > 65535) {
                    causes.push(Cause::required(format!("spec.ports[{i}].port")));
                }
            }
        }
        ("", "PersistentVolumeClaim") => {
            require(obj, "/spec/accessModes", "spec.accessModes", causes);
            require(
                obj,
                "/spec/resources/requests/storage",
                "spec.resources[storage]",
                causes,
            );
        }
        ("events.k8s.io", "Event") => require(obj, "/eventTime", "eventTime", causes),
        ("apiextensions.k8s.io", "CustomResourceDefinition") => {
            for (pointer, field) in [
                ("/spec/group", "spec.group"),
                ("/spec/names/plural", "spec.names.plural"),
                ("/spec/names/kind", "spec.names.kind"),
                ("/spec/scope", "spec.scope"),
                ("/spec/versions", "spec.versions"),
            ] {
                require(obj, pointer, field, causes);
            }
        }
        _ => {}
    }
}

/// Owner references need `apiVersion`, `kind`, `name` and `uid`.
fn check_owners(obj: &Value, causes: &mut Vec<Cause>) {
    let owners = obj["metadata"]["ownerReferences"].as_array();
    for owner in owners.into_iter().flatten() {
        for (field, what) in [
            ("apiVersion", "version"),
            ("kind", "kind"),
            ("name", "name"),
            ("uid", "uid"),
        ] {
            if owner[field].as_str().unwrap_or("").is_empty() {
                causes.push(Cause::invalid(
                    format!("metadata.ownerReferences.{field}"),
                    "",
                    &format!("{what} must not be empty"),
                ));
            }
        }
    }
}

/// Checks that `metadata`, `spec` and `status`, when present, are objects, as decoding into the
/// kind's type does (400 otherwise, with the decoder's message).
pub fn check_shape(def: &ResourceDef, obj: &Value) -> Result<(), ApiError> {
    for field in ["metadata", "spec", "status"] {
        let what = match &obj[field] {
            Value::Null | Value::Object(_) => continue,
            Value::Array(_) => "array",
            Value::String(_) => "string",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
        };
        return Err(ApiError::bad_request(format!(
            "json: cannot unmarshal {what} into Go struct field {}.{field} of type object",
            def.kind
        )));
    }
    Ok(())
}

/// Validates a new object of `def` named `name`; the 422 names every failing field.
pub fn validate_new(def: &ResourceDef, name: &str, obj: &Value) -> Result<(), ApiError> {
    let mut causes = Vec::new();
    if name.is_empty() {
        causes.push(Cause::required("metadata.name"));
    } else {
        check_name(def, name, &mut causes);
    }
    verdict(def, name, obj, causes)
}

/// Validates an object after a client's update or patch (its name cannot change).
pub fn validate_update(def: &ResourceDef, name: &str, obj: &Value) -> Result<(), ApiError> {
    verdict(def, name, obj, Vec::new())
}

fn verdict(
    def: &ResourceDef,
    name: &str,
    obj: &Value,
    mut causes: Vec<Cause>,
) -> Result<(), ApiError> {
    check_owners(obj, &mut causes);
    check_kind(def, obj, &mut causes);
    if causes.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid_object(def.kind, name, causes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::by_kind;
    use serde_json::json;

    #[test]
    fn names_follow_dns_1123() {
        assert!(is_subdomain("web-7d9f.example"));
        assert!(!is_subdomain("Bad_Name"));
        assert!(!is_subdomain("-a"));
        assert!(!is_label("a.b"));
        assert!(!is_subdomain(&"a".repeat(254)));
    }

    #[test]
    fn a_config_map_with_a_bad_name_is_refused_as_the_server_does() {
        let cm = by_kind("v1", "ConfigMap").unwrap();
        let e = validate_new(cm, "Bad_Name", &json!({})).unwrap_err();
        // As the real server's f-422-invalid.body.
        let fixture: Value =
            serde_json::from_str(include_str!("../../tests/fixtures/f-422-invalid.body")).unwrap();
        assert_eq!(e.to_status(), fixture);
    }

    #[test]
    fn a_pod_without_containers_names_the_field() {
        let pod = by_kind("v1", "Pod").unwrap();
        let e = validate_new(pod, "x", &json!({ "spec": {} })).unwrap_err();
        assert_eq!(e.code, 422);
        assert_eq!(
            e.message,
            "Pod \"x\" is invalid: spec.containers: Required value"
        );
        let e = validate_new(
            pod,
            "x",
            &json!({ "metadata": { "ownerReferences": [{ "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs" }] },
                     "spec": { "containers": [{ "name": "a" }] } }),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "Pod \"x\" is invalid: [metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty, spec.containers[0].image: Required value]"
        );
        assert_eq!(
            e.to_status()["details"]["causes"][1]["field"],
            "spec.containers[0].image"
        );
    }
}
