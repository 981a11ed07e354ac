//! The `Table` representation (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`): the server's
//! own `kubectl get` columns, shaped like a real API server's (columns for pods, Deployments and
//! Flux kinds' printer columns; Name and Age for the rest).

use crate::resources::ResourceDef;
use lookout_client::model::time::{format_age, parse_rfc3339};
use serde_json::{json, Value};

/// What `rows[].object` holds (`includeObject`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Include {
    /// `PartialObjectMetadata` (the default).
    Metadata,
    /// The whole object.
    Object,
    /// Nothing.
    None,
}

impl Include {
    /// From the `includeObject` query parameter.
    pub fn parse(value: Option<&str>) -> Self {
        match value {
            Some("Object") => Include::Object,
            Some("None") => Include::None,
            _ => Include::Metadata,
        }
    }
}

/// Whether an `Accept` header asks for a Table.
pub fn wants_table(accept: &str) -> bool {
    accept.split(',').any(|t| t.contains("as=Table"))
}

fn column(name: &str, kind: &str, format: &str, priority: u8, description: &str) -> Value {
    json!({ "name": name, "type": kind, "format": format, "description": description, "priority": priority })
}

const NAME_DOC: &str = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

/// The column definitions for a kind.
pub fn columns(def: &ResourceDef) -> Vec<Value> {
    let name = column("Name", "string", "name", 0, NAME_DOC);
    let age = |kind: &str| {
        column("Age", kind, "", 0, "CreationTimestamp is a timestamp representing the server time when this object was created.")
    };
    let text = |n: &str, p: u8, d: &str| column(n, "string", "", p, d);
    match (def.group, def.kind) {
        ("", "Pod") => vec![
            name, text("Ready", 0, "The aggregate readiness state of this pod for accepting traffic."),
            text("Status", 0, "The aggregate status of the containers in this pod."),
            text("Restarts", 0, "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            age("string"), text("IP", 1, "The IP address assigned to the pod."), text("Node", 1, "The name of the node the pod is scheduled to."),
            text("Nominated Node", 1, "The name of the node the pod is nominated to."), text("Readiness Gates", 1, "The readiness gates of the pod."),
        ],
        ("apps", "Deployment") => vec![
            name, text("Ready", 0, "Number of the pod with ready state"), column("Up-to-date", "integer", "", 0, "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
            column("Available", "integer", "", 0, "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."), age("string"),
            text("Containers", 1, "Names of each container in the template."), text("Images", 1, "Images referenced by each container in the template."),
            text("Selector", 1, "Label selector for pods."),
        ],
        (g, _) if g.ends_with(".toolkit.fluxcd.io") => vec![name, age("date"), text("Ready", 0, ""), text("Status", 0, "")],
        _ => vec![name, age("string")],
    }
}

fn ready_condition(obj: &Value) -> Option<&Value> {
    obj["status"]["conditions"]
        .as_array()?
        .iter()
        .find(|c| c["type"] == "Ready")
}

/// The cells of one object's row, as `kubectl get` shows them at `now`.
pub fn cells(def: &ResourceDef, obj: &Value, now: i64) -> Vec<Value> {
    let s = |v: &Value| v.as_str().unwrap_or("").to_owned();
    let name = s(&obj["metadata"]["name"]);
    let age = obj["metadata"]["creationTimestamp"]
        .as_str()
        .and_then(parse_rfc3339)
        .map_or("<unknown>".into(), |t| format_age(now - t));
    match (def.group, def.kind) {
        ("", "Pod") => {
            let statuses = obj["status"]["containerStatuses"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let total = obj["spec"]["containers"]
                .as_array()
                .map_or(0, Vec::len)
                .max(statuses.len());
            let ready = statuses
                .iter()
                .filter(|c| c["ready"] == json!(true))
                .count();
            let restarts: u64 = statuses
                .iter()
                .filter_map(|c| c["restartCount"].as_u64())
                .sum();
            let reason = statuses.iter().find_map(|c| {
                let st = &c["state"];
                st["waiting"]["reason"]
                    .as_str()
                    .or(st["terminated"]["reason"].as_str())
                    .map(str::to_owned)
            });
            let status = if obj["metadata"]["deletionTimestamp"].is_string() {
                "Terminating".to_owned()
            } else {
                reason.unwrap_or_else(|| s(&obj["status"]["phase"]))
            };
            let or_none = |v: &Value| {
                v.as_str()
                    .filter(|x| !x.is_empty())
                    .unwrap_or("<none>")
                    .to_owned()
            };
            vec![
                json!(name),
                json!(format!("{ready}/{total}")),
                json!(status),
                json!(restarts.to_string()),
                json!(age),
                json!(or_none(&obj["status"]["podIP"])),
                json!(or_none(&obj["spec"]["nodeName"])),
                json!("<none>"),
                json!("<none>"),
            ]
        }
        ("apps", "Deployment") => {
            let n = |v: &Value| v.as_i64().unwrap_or(0);
            let containers = obj["spec"]["template"]["spec"]["containers"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let join = |k: &str| {
                containers
                    .iter()
                    .filter_map(|c| c[k].as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            };
            let selector = obj["spec"]["selector"]["matchLabels"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default();
            vec![
                json!(name),
                json!(format!(
                    "{}/{}",
                    n(&obj["status"]["readyReplicas"]),
                    n(&obj["spec"]["replicas"])
                )),
                json!(n(&obj["status"]["updatedReplicas"])),
                json!(n(&obj["status"]["availableReplicas"])),
                json!(age),
                json!(join("name")),
                json!(join("image")),
                json!(selector),
            ]
        }
        (g, _) if g.ends_with(".toolkit.fluxcd.io") => {
            let ready = ready_condition(obj);
            vec![
                json!(name),
                json!(age),
                json!(ready.map_or(String::new(), |c| s(&c["status"]))),
                json!(ready.map_or(String::new(), |c| s(&c["message"]))),
            ]
        }
        _ => vec![json!(name), json!(age)],
    }
}

/// One row: cells plus the object as `include` says.
pub fn row(def: &ResourceDef, obj: &Value, now: i64, include: Include) -> Value {
    let mut row = json!({ "cells": cells(def, obj, now) });
    match include {
        Include::Object => row["object"] = obj.clone(),
        Include::Metadata => {
            row["object"] = json!({ "kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj["metadata"] });
        }
        Include::None => {}
    }
    row
}

/// A whole Table. Watch events carry a Table of one row, with the column definitions only in the
/// first event (`columns: false` for the rest), as a real server sends them.
pub fn table(
    def: &ResourceDef,
    objects: &[Value],
    rv: &str,
    continue_token: Option<&str>,
    now: i64,
    include: Include,
    with_columns: bool,
) -> Value {
    let mut metadata = json!({ "resourceVersion": rv });
    if let Some(token) = continue_token {
        metadata["continue"] = json!(token);
    }
    json!({
        "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata,
        "columnDefinitions": if with_columns { columns(def) } else { vec![] },
        "rows": objects.iter().map(|o| row(def, o, now, include)).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::by_kind;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

    #[test]
    fn pod_and_flux_tables_match_a_real_servers_columns() {
        for (file, api, kind) in [
            ("e-table-pods-app.body", "v1", "Pod"),
            (
                "e-table-kustomizations.body",
                "kustomize.toolkit.fluxcd.io/v1",
                "Kustomization",
            ),
        ] {
            let real: Value =
                serde_json::from_slice(&std::fs::read(format!("{FIXTURES}{file}")).unwrap())
                    .unwrap();
            let def = by_kind(api, kind).unwrap();
            let ours: Vec<(String, String)> = columns(def)
                .iter()
                .map(|c| {
                    (
                        c["name"].as_str().unwrap().into(),
                        c["type"].as_str().unwrap().into(),
                    )
                })
                .collect();
            let theirs: Vec<(String, String)> = real["columnDefinitions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["name"].as_str().unwrap().into(),
                        c["type"].as_str().unwrap().into(),
                    )
                })
                .collect();
            assert_eq!(ours, theirs, "{kind}");
        }
        let pod = json!({"metadata": {"name": "p", "creationTimestamp": "2026-11-25T10:00:00Z"}, "spec": {"nodeName": "node-1", "containers": [{"name": "a"}]},
            "status": {"phase": "Running", "podIP": "10.0.0.7", "containerStatuses": [{"ready": true, "restartCount": 2, "state": {"running": {}}}]}});
        let row = cells(
            by_kind("v1", "Pod").unwrap(),
            &pod,
            parse_rfc3339("2026-11-25T10:13:00Z").unwrap(),
        );
        assert_eq!(
            row,
            vec![
                json!("p"),
                json!("1/1"),
                json!("Running"),
                json!("2"),
                json!("13m"),
                json!("10.0.0.7"),
                json!("node-1"),
                json!("<none>"),
                json!("<none>")
            ]
        );
    }
}
