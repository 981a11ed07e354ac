//! Discovery documents (`/api`, `/api/v1`, `/apis`, `/apis/{group}[/{version}]`) for the kinds the
//! simulated cluster serves, shaped like a real API server's.

use crate::cluster::resources::{ResourceDef, RESOURCES};
use serde_json::{json, Value};

fn resource_list(group: &str, version: &str) -> Option<Value> {
    let defs: Vec<&ResourceDef> = RESOURCES
        .iter()
        .filter(|r| r.group == group && r.version == version)
        .collect();
    if defs.is_empty() {
        return None;
    }
    let resources: Vec<Value> = defs
        .iter()
        .flat_map(|r| {
            let main = json!({
                "name": r.plural, "singularName": r.kind.to_lowercase(), "namespaced": r.namespaced,
                "kind": r.kind, "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"],
            });
            let status = json!({ "name": format!("{}/status", r.plural), "singularName": "", "namespaced": r.namespaced, "kind": r.kind, "verbs": ["get", "patch", "update"] });
            [main, status]
        })
        .collect();
    Some(
        json!({ "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": defs[0].api_version(), "resources": resources }),
    )
}

fn group(name: &str) -> Option<Value> {
    let mut versions: Vec<&str> = RESOURCES
        .iter()
        .filter(|r| r.group == name)
        .map(|r| r.version)
        .collect();
    versions.dedup();
    let first = *versions.first()?;
    let gv = |v: &str| json!({ "groupVersion": format!("{name}/{v}"), "version": v });
    Some(json!({
        "name": name,
        "versions": versions.iter().map(|v| gv(v)).collect::<Vec<_>>(),
        "preferredVersion": gv(first),
    }))
}

/// The discovery document at `path` (without the proxy prefix), if it is one.
pub fn document(path: &str) -> Option<Value> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segs.as_slice() {
        ["api"] => Some(
            json!({ "kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{ "clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443" }] }),
        ),
        ["api", "v1"] => resource_list("", "v1"),
        ["apis"] => {
            let mut names: Vec<&str> = RESOURCES
                .iter()
                .map(|r| r.group)
                .filter(|g| !g.is_empty())
                .collect();
            names.dedup();
            let groups: Vec<Value> = names.into_iter().filter_map(group).collect();
            Some(json!({ "kind": "APIGroupList", "apiVersion": "v1", "groups": groups }))
        }
        ["apis", name] => group(name).map(|mut g| {
            g["kind"] = json!("APIGroup");
            g["apiVersion"] = json!("v1");
            g
        }),
        ["apis", name, version] => resource_list(name, version),
        _ => None,
    }
}
