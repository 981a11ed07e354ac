//! The field labels of each kind, as a 1.33 API server has them. Two lists per kind, as there:
//! the labels a `fieldSelector` may name (the kind's field label conversion, registered in
//! Kubernetes' `pkg/apis/<group>/<version>/conversion.go`; only `metadata.name` and
//! `metadata.namespace` for a kind without one; for custom resources, those and the
//! `selectableFields` their CustomResourceDefinition declares for the version), and the fields an
//! object is matched on (its registry strategy's `ToSelectableFields`). A label the kind does not
//! support is a 400 `BadRequest`, worded as that kind's conversion words it.

use super::ResourceDef;
use crate::cluster::event_view::core_field;
use serde_json::{Map, Value};

const POD: &[&str] = &[
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "spec.hostNetwork",
    "status.phase",
    "status.podIP",
    "status.podIPs",
    "status.nominatedNodeName",
    // What old v1 clients sent for `spec.nodeName`.
    "spec.host",
];

const CORE_EVENT: &[&str] = &[
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
];

/// events.k8s.io/v1 names the core fields its own way, and offers no `source`.
const EVENTS_V1: &[&str] = &[
    "regarding.kind",
    "regarding.namespace",
    "regarding.name",
    "regarding.uid",
    "regarding.apiVersion",
    "regarding.resourceVersion",
    "regarding.fieldPath",
    "reason",
    "reportingController",
    "type",
];

/// How a kind's conversion words a label it does not support.
#[derive(Debug, Clone, Copy)]
enum Refusal {
    /// `field label not supported: x`: the core kinds with a conversion, custom resources.
    Plain,
    /// `field label "x" not supported for batchv1.Job` (batch/v1).
    NamingKind(&'static str),
    /// `"x" is not a known field selector: only "metadata.name", "metadata.namespace"`: the
    /// default conversion of a built-in kind without one of its own.
    MetadataOnly,
}

/// A kind's field label conversion: the labels it accepts besides `metadata.name`.
struct Conversion {
    /// Whether `metadata.namespace` is accepted (not by Nodes and Namespaces, whose conversions
    /// leave it out, nor by cluster-scoped custom resources).
    namespace: bool,
    labels: &'static [&'static str],
    refusal: Refusal,
}

fn conversion(def: &ResourceDef) -> Conversion {
    let (namespace, labels, refusal) = match (def.group, def.kind) {
        ("", "Pod") => (true, POD, Refusal::Plain),
        ("", "Node") => (false, &["spec.unschedulable"][..], Refusal::Plain),
        ("", "Namespace") => (false, &["status.phase"][..], Refusal::Plain),
        ("", "Secret") => (true, &["type"][..], Refusal::Plain),
        ("", "Service") => (true, &["spec.clusterIP", "spec.type"][..], Refusal::Plain),
        ("", "Event") => (true, CORE_EVENT, Refusal::Plain),
        ("events.k8s.io", "Event") => (true, EVENTS_V1, Refusal::Plain),
        ("batch", "Job") => (
            true,
            &["status.successful"][..],
            Refusal::NamingKind("batchv1.Job"),
        ),
        _ if def.is_custom() => (def.namespaced, &[][..], Refusal::Plain),
        // apps/v1 registers no conversion: a ReplicaSet's `status.replicas` is refused too.
        _ => (true, &[][..], Refusal::MetadataOnly),
    };
    Conversion {
        namespace,
        labels,
        refusal,
    }
}

/// The field a `fieldSelector` label of `def` selects on, in the stored kind's terms
/// (`regarding.name` of an events.k8s.io Event is `involvedObject.name`, a Pod's `spec.host` is
/// `spec.nodeName`), or the message of the 400 for a label `def` does not support. `declared` are
/// the labels a custom resource's definition makes selectable ([`declared_fields`]).
pub fn convert(def: &ResourceDef, declared: &[String], label: &str) -> Result<String, String> {
    let c = conversion(def);
    let accepted = label == "metadata.name"
        || (c.namespace && label == "metadata.namespace")
        || c.labels.contains(&label)
        || declared.iter().any(|d| d == label);
    if accepted {
        return Ok(match label {
            "spec.host" => "spec.nodeName".to_owned(),
            _ if def.is_view() => core_field(label),
            _ => label.to_owned(),
        });
    }
    Err(match c.refusal {
        Refusal::Plain => format!("field label not supported: {label}"),
        Refusal::NamingKind(kind) => {
            format!(
                "field label {} not supported for {kind}",
                Value::from(label)
            )
        }
        Refusal::MetadataOnly => format!(
            "{} is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
            Value::from(label)
        ),
    })
}

/// The labels `version` of a CustomResourceDefinition makes selectable: its `selectableFields`
/// (`.spec.color` selects as `spec.color`).
pub fn declared_fields(crd: &Value, version: &str) -> Vec<String> {
    let versions = crd["spec"]["versions"].as_array().into_iter().flatten();
    versions
        .filter(|v| v["name"] == version)
        .flat_map(|v| v["selectableFields"].as_array().into_iter().flatten())
        .filter_map(|f| f["jsonPath"].as_str()?.strip_prefix('.').map(str::to_owned))
        .collect()
}

/// A declared field of a custom resource as its strategy selects on it: a string as it is, an
/// integer or flag as Go prints it, "" when absent (or of another type).
pub fn declared_value(obj: &Value, label: &str) -> String {
    let pointer = format!("/{}", label.replace('.', "/"));
    match obj.pointer(&pointer) {
        Some(Value::String(s)) => s.clone(),
        Some(v @ (Value::Number(_) | Value::Bool(_))) => v.to_string(),
        _ => String::new(),
    }
}

/// The string at `obj.a.b` ("" if absent).
fn text<'a>(obj: &'a Map<String, Value>, a: &str, b: &str) -> &'a str {
    obj.get(a)
        .and_then(|v| v.get(b))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The fields an object of the stored `kind` is matched on besides `metadata.name` and
/// `metadata.namespace` (kept apart), by label, as its strategy's `ToSelectableFields` derives
/// them: strings as they are, a flag or count as Go prints it (`false` or `0` when absent). A
/// label missing here selects as "", as a label the strategy leaves out does (a Pod's
/// `status.podIPs`).
pub fn field_set(
    api_version: &str,
    kind: &str,
    obj: &Map<String, Value>,
) -> Vec<(&'static str, String)> {
    let strings = |fields: &[(&'static str, &str, &str)]| -> Vec<(&'static str, String)> {
        fields
            .iter()
            .map(|&(label, a, b)| (label, text(obj, a, b).to_owned()))
            .collect()
    };
    let flag = |a: &str, b: &str| {
        let on = obj.get(a).and_then(|v| v.get(b)).and_then(Value::as_bool);
        on.unwrap_or(false).to_string()
    };
    let count = |a: &str, b: &str| {
        let n = obj.get(a).and_then(|v| v.get(b)).and_then(Value::as_i64);
        n.unwrap_or(0).to_string()
    };
    let mut set = match (api_version, kind) {
        ("v1", "Pod") => {
            let mut set = strings(&[
                ("spec.nodeName", "spec", "nodeName"),
                ("spec.restartPolicy", "spec", "restartPolicy"),
                ("spec.schedulerName", "spec", "schedulerName"),
                ("spec.serviceAccountName", "spec", "serviceAccountName"),
                ("status.phase", "status", "phase"),
                ("status.nominatedNodeName", "status", "nominatedNodeName"),
            ]);
            // The first of the internal `podIPs`: `status.podIP` when set (it wins over a
            // differing `podIPs` in the v1 conversion), else the first of `status.podIPs`.
            let first_ip = Some(text(obj, "status", "podIP"))
                .filter(|ip| !ip.is_empty())
                .or_else(|| {
                    obj.get("status")
                        .and_then(|s| s.pointer("/podIPs/0/ip"))
                        .and_then(Value::as_str)
                })
                .unwrap_or("");
            set.push(("status.podIP", first_ip.to_owned()));
            set.push(("spec.hostNetwork", flag("spec", "hostNetwork")));
            set
        }
        ("v1", "Node") => vec![("spec.unschedulable", flag("spec", "unschedulable"))],
        ("v1", "Namespace") => strings(&[("status.phase", "status", "phase")]),
        ("v1", "Secret") => vec![("type", string_at(obj, "type"))],
        ("v1", "Service") => strings(&[
            ("spec.clusterIP", "spec", "clusterIP"),
            ("spec.type", "spec", "type"),
        ]),
        ("v1", "Event") => {
            let mut set = strings(&[
                ("involvedObject.kind", "involvedObject", "kind"),
                ("involvedObject.namespace", "involvedObject", "namespace"),
                ("involvedObject.name", "involvedObject", "name"),
                ("involvedObject.uid", "involvedObject", "uid"),
                ("involvedObject.apiVersion", "involvedObject", "apiVersion"),
                (
                    "involvedObject.resourceVersion",
                    "involvedObject",
                    "resourceVersion",
                ),
                ("involvedObject.fieldPath", "involvedObject", "fieldPath"),
            ]);
            let reporting = string_at(obj, "reportingComponent");
            // The reporting component when the source names none.
            let source = match text(obj, "source", "component") {
                "" => reporting.clone(),
                component => component.to_owned(),
            };
            set.extend([
                ("reason", string_at(obj, "reason")),
                ("reportingComponent", reporting),
                ("source", source),
                ("type", string_at(obj, "type")),
            ]);
            set
        }
        ("batch/v1", "Job") => vec![("status.successful", count("status", "succeeded"))],
        _ => Vec::new(),
    };
    // An empty string selects as an absent field: only what says something is kept.
    set.retain(|(_, value)| !value.is_empty());
    set
}

/// The top-level string `key` of `obj` ("" if absent).
fn string_at(obj: &Map<String, Value>, key: &str) -> String {
    obj.get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::by_path;
    use serde_json::json;

    fn def(group: &str, version: &str, plural: &str) -> &'static ResourceDef {
        by_path(group, version, plural).unwrap()
    }

    /// Every label a kind supports converts; `metadata.name` on every kind.
    #[test]
    fn each_kind_accepts_its_own_labels() {
        let accepted: &[(&str, &str, &str, &[&str])] = &[
            ("", "v1", "pods", POD),
            ("", "v1", "nodes", &["metadata.name", "spec.unschedulable"]),
            ("", "v1", "namespaces", &["metadata.name", "status.phase"]),
            ("", "v1", "secrets", &["metadata.namespace", "type"]),
            ("", "v1", "services", &["spec.clusterIP", "spec.type"]),
            ("", "v1", "events", CORE_EVENT),
            ("events.k8s.io", "v1", "events", EVENTS_V1),
            (
                "batch",
                "v1",
                "jobs",
                &["metadata.namespace", "status.successful"],
            ),
            (
                "apps",
                "v1",
                "replicasets",
                &["metadata.name", "metadata.namespace"],
            ),
            (
                "",
                "v1",
                "configmaps",
                &["metadata.name", "metadata.namespace"],
            ),
            (
                "apiextensions.k8s.io",
                "v1",
                "customresourcedefinitions",
                &["metadata.name", "metadata.namespace"],
            ),
            (
                "kustomize.toolkit.fluxcd.io",
                "v1",
                "kustomizations",
                &["metadata.name", "metadata.namespace"],
            ),
        ];
        for (group, version, plural, labels) in accepted {
            let d = def(group, version, plural);
            for label in labels.iter().chain(&["metadata.name"]) {
                assert!(convert(d, &[], label).is_ok(), "{plural}: {label}");
            }
        }
    }

    #[test]
    fn unsupported_labels_are_refused_in_the_kinds_own_words() {
        let refused = [
            (
                def("", "v1", "pods"),
                "spec.foo",
                "field label not supported: spec.foo",
            ),
            (
                def("", "v1", "nodes"),
                "metadata.namespace",
                "field label not supported: metadata.namespace",
            ),
            (
                def("", "v1", "namespaces"),
                "metadata.namespace",
                "field label not supported: metadata.namespace",
            ),
            (
                def("", "v1", "secrets"),
                "data.token",
                "field label not supported: data.token",
            ),
            // The core spelling is not the events.k8s.io one.
            (
                def("events.k8s.io", "v1", "events"),
                "involvedObject.name",
                "field label not supported: involvedObject.name",
            ),
            (
                def("events.k8s.io", "v1", "events"),
                "source",
                "field label not supported: source",
            ),
            (
                def("batch", "v1", "jobs"),
                "status.succeeded",
                "field label \"status.succeeded\" not supported for batchv1.Job",
            ),
            (
                def("apps", "v1", "replicasets"),
                "status.replicas",
                "\"status.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
            ),
            (
                def("apps", "v1", "deployments"),
                "status.phase",
                "\"status.phase\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
            ),
            (
                def("helm.toolkit.fluxcd.io", "v2", "helmreleases"),
                "spec.chart",
                "field label not supported: spec.chart",
            ),
        ];
        for (d, label, message) in refused {
            assert_eq!(convert(d, &[], label).unwrap_err(), message, "{}", d.plural);
        }
    }

    #[test]
    fn labels_convert_to_the_stored_kinds_fields() {
        let pods = def("", "v1", "pods");
        assert_eq!(convert(pods, &[], "spec.host").unwrap(), "spec.nodeName");
        let v1 = def("events.k8s.io", "v1", "events");
        assert_eq!(
            convert(v1, &[], "regarding.name").unwrap(),
            "involvedObject.name"
        );
        assert_eq!(
            convert(v1, &[], "reportingController").unwrap(),
            "reportingComponent"
        );
        assert_eq!(convert(v1, &[], "metadata.name").unwrap(), "metadata.name");
    }

    #[test]
    fn a_custom_resource_selects_on_the_fields_its_definition_declares() {
        let crd = json!({ "spec": { "versions": [
            { "name": "v1", "selectableFields": [{ "jsonPath": ".spec.color" }, { "jsonPath": ".spec.size" }] },
            { "name": "v1beta1", "selectableFields": [{ "jsonPath": ".spec.colour" }] } ] } });
        assert_eq!(declared_fields(&crd, "v1"), ["spec.color", "spec.size"]);
        let widgets = def("example.com", "v1", "widgets");
        let declared = declared_fields(&crd, "v1");
        assert_eq!(
            convert(widgets, &declared, "spec.color").unwrap(),
            "spec.color"
        );
        assert_eq!(
            convert(widgets, &declared, "spec.colour").unwrap_err(),
            "field label not supported: spec.colour"
        );
        let widget = json!({ "spec": { "color": "red", "size": 3, "round": true } });
        let values: Vec<String> = ["spec.color", "spec.size", "spec.round", "spec.none"]
            .iter()
            .map(|l| declared_value(&widget, l))
            .collect();
        assert_eq!(values, ["red", "3", "true", ""]);
    }

    fn set_of(obj: Value) -> Vec<(&'static str, String)> {
        let map = obj.as_object().unwrap();
        field_set(
            map["apiVersion"].as_str().unwrap(),
            map["kind"].as_str().unwrap(),
            map,
        )
    }

    #[test]
    fn objects_are_matched_on_what_their_strategy_derives() {
        let pod = json!({ "apiVersion": "v1", "kind": "Pod",
            "spec": { "nodeName": "node-1", "restartPolicy": "Always" },
            "status": { "phase": "Running", "podIP": "10.0.0.7", "podIPs": [{ "ip": "10.0.0.7" }] } });
        let mut set = set_of(pod);
        set.sort();
        assert_eq!(
            set,
            [
                ("spec.hostNetwork", "false".to_owned()),
                ("spec.nodeName", "node-1".to_owned()),
                ("spec.restartPolicy", "Always".to_owned()),
                ("status.phase", "Running".to_owned()),
                ("status.podIP", "10.0.0.7".to_owned()),
            ]
        );
        // `status.podIP` wins over a differing first `podIPs` entry; alone, that entry counts.
        let ip = |status: Value| {
            set_of(json!({ "apiVersion": "v1", "kind": "Pod", "status": status }))
                .into_iter()
                .find(|(label, _)| *label == "status.podIP")
                .map(|(_, ip)| ip)
        };
        let both = json!({ "podIP": "10.0.0.8", "podIPs": [{ "ip": "fd00::8" }] });
        assert_eq!(ip(both).as_deref(), Some("10.0.0.8"));
        assert_eq!(
            ip(json!({ "podIPs": [{ "ip": "fd00::8" }] })).as_deref(),
            Some("fd00::8")
        );
        let node = json!({ "apiVersion": "v1", "kind": "Node", "spec": { "unschedulable": true } });
        assert_eq!(set_of(node), [("spec.unschedulable", "true".to_owned())]);
        let job = json!({ "apiVersion": "batch/v1", "kind": "Job", "status": {} });
        assert_eq!(set_of(job), [("status.successful", "0".to_owned())]);
        // `source` is the source's component, else the reporting component.
        let event = json!({ "apiVersion": "v1", "kind": "Event", "reason": "BackOff",
            "involvedObject": { "kind": "Pod", "name": "p" }, "reportingComponent": "kubelet" });
        let source = set_of(event)
            .into_iter()
            .find(|(label, _)| *label == "source");
        assert_eq!(source, Some(("source", "kubelet".to_owned())));
        let deployment =
            json!({ "apiVersion": "apps/v1", "kind": "Deployment", "status": { "replicas": 2 } });
        assert!(set_of(deployment).is_empty());
    }
}
