//! Discovery as a 1.33 API server answers it, for the kinds the simulated cluster serves:
//! `/version`, `/api`, `/api/v1`, `/apis`, `/apis/{group}[/{version}]`, and the aggregated
//! discovery documents (`Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`
//! on `/api` and `/apis`) that give a client every kind in one request.

use crate::http::json_response;
use crate::resources::{ResourceDef, RESOURCES};
use axum::http::{header, HeaderValue};
use axum::response::Response;
use serde_json::{json, Value};

/// What `/version` reports.
pub fn version() -> Value {
    json!({
        "major": "1", "minor": "33",
        "emulationMajor": "1", "emulationMinor": "33",
        "minCompatibilityMajor": "1", "minCompatibilityMinor": "32",
        "gitVersion": "v1.33.5", "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean", "buildDate": "2025-09-09T00:00:00Z",
        "goVersion": "go1.24.6", "compiler": "gc", "platform": "linux/amd64",
    })
}

/// A create-only review of `authorization.k8s.io/v1`, answered by [`super::rbac`].
const fn review(kind: &'static str, plural: &'static str) -> ResourceDef {
    ResourceDef {
        group: "authorization.k8s.io",
        version: "v1",
        kind,
        plural,
        namespaced: false,
        short_names: &[],
        categories: &[],
        subresources: &[],
    }
}

/// Kinds served besides the simulated cluster's objects: the reviews a client asks to learn what
/// it may do (`POST` only; nothing is stored).
static REVIEWS: &[ResourceDef] = &[
    review("SelfSubjectAccessReview", "selfsubjectaccessreviews"),
    review("SelfSubjectRulesReview", "selfsubjectrulesreviews"),
];

/// Every kind discovery lists.
fn served() -> impl Iterator<Item = &'static ResourceDef> {
    RESOURCES.iter().chain(REVIEWS)
}

/// Verbs of a main resource: every stored kind supports them all (a namespace has no
/// `deletecollection`); a review is only created.
fn verbs(def: &ResourceDef) -> Vec<&'static str> {
    if REVIEWS.contains(def) {
        return vec!["create"];
    }
    let mut verbs = vec![
        "create",
        "delete",
        "deletecollection",
        "get",
        "list",
        "patch",
        "update",
        "watch",
    ];
    if def.kind == "Namespace" {
        verbs.retain(|v| *v != "deletecollection");
    }
    verbs
}

/// A subresource's verbs and the kind it answers with (`None`: the resource's own kind).
fn subresource(
    sub: &str,
) -> (
    &'static [&'static str],
    Option<(&'static str, &'static str, &'static str)>,
) {
    match sub {
        "log" => (&["get"], None),
        "eviction" => (&["create"], Some(("policy", "v1", "Eviction"))),
        "scale" => (
            &["get", "patch", "update"],
            Some(("autoscaling", "v1", "Scale")),
        ),
        "finalize" => (&["update"], None),
        _ => (&["get", "patch", "update"], None),
    }
}

fn defs_of(group: &str, version: &str) -> Vec<&'static ResourceDef> {
    served()
        .filter(|r| r.group == group && r.version == version)
        .collect()
}

fn versions_of(group: &str) -> Vec<&'static str> {
    let mut versions: Vec<&str> = served()
        .filter(|r| r.group == group)
        .map(|r| r.version)
        .collect();
    versions.dedup();
    versions
}

fn groups() -> Vec<&'static str> {
    let mut names: Vec<&str> = served()
        .map(|r| r.group)
        .filter(|g| !g.is_empty())
        .collect();
    names.dedup();
    names
}

/// `APIResourceList` of one group version.
fn resource_list(group: &str, version: &str) -> Option<Value> {
    let defs = defs_of(group, version);
    let first = defs.first()?;
    let mut resources = Vec::new();
    for r in &defs {
        let mut main = json!({
            "name": r.plural, "singularName": r.kind.to_lowercase(), "namespaced": r.namespaced,
            "kind": r.kind, "verbs": verbs(r),
        });
        if !r.short_names.is_empty() {
            main["shortNames"] = json!(r.short_names);
        }
        if !r.categories.is_empty() {
            main["categories"] = json!(r.categories);
        }
        resources.push(main);
        for sub in r.subresources {
            let (verbs, kind) = subresource(sub);
            let mut entry = json!({
                "name": format!("{}/{sub}", r.plural), "singularName": "", "namespaced": r.namespaced,
                "kind": kind.map_or(r.kind, |k| k.2), "verbs": verbs,
            });
            if let Some((g, v, _)) = kind.filter(|k| !k.0.is_empty()) {
                entry["group"] = json!(g);
                entry["version"] = json!(v);
            }
            resources.push(entry);
        }
    }
    Some(json!({
        "kind": "APIResourceList", "apiVersion": "v1",
        "groupVersion": first.api_version(), "resources": resources,
    }))
}

fn group(name: &str) -> Option<Value> {
    let versions = versions_of(name);
    let first = *versions.first()?;
    let gv = |v: &str| json!({ "groupVersion": format!("{name}/{v}"), "version": v });
    Some(json!({
        "name": name,
        "versions": versions.iter().map(|v| gv(v)).collect::<Vec<_>>(),
        "preferredVersion": gv(first),
    }))
}

/// One `APIGroupDiscovery` (apidiscovery.k8s.io/v2): the group's versions, preferred first.
fn group_discovery(name: &str) -> Value {
    let versions: Vec<Value> = versions_of(name)
        .into_iter()
        .map(|version| {
            let resources: Vec<Value> = defs_of(name, version)
                .into_iter()
                .map(|r| {
                    let subresources: Vec<Value> = r
                        .subresources
                        .iter()
                        .map(|sub| {
                            let (verbs, kind) = subresource(sub);
                            let (g, v, k) = kind.unwrap_or(("", "", r.kind));
                            json!({ "subresource": sub, "responseKind": { "group": g, "version": v, "kind": k }, "verbs": verbs })
                        })
                        .collect();
                    let mut res = json!({
                        "resource": r.plural,
                        "responseKind": { "group": "", "version": "", "kind": r.kind },
                        "scope": if r.namespaced { "Namespaced" } else { "Cluster" },
                        "singularResource": r.kind.to_lowercase(),
                        "verbs": verbs(r),
                    });
                    if !r.short_names.is_empty() {
                        res["shortNames"] = json!(r.short_names);
                    }
                    if !r.categories.is_empty() {
                        res["categories"] = json!(r.categories);
                    }
                    if !subresources.is_empty() {
                        res["subresources"] = json!(subresources);
                    }
                    res
                })
                .collect();
            json!({ "version": version, "resources": resources, "freshness": "Current" })
        })
        .collect();
    let mut metadata = json!({ "creationTimestamp": null });
    if !name.is_empty() {
        metadata["name"] = json!(name);
    }
    json!({ "metadata": metadata, "versions": versions })
}

/// The aggregated document of `/api` (the core group) or `/apis` (every other group).
pub fn aggregated(core: bool) -> Value {
    let items: Vec<Value> = if core {
        vec![group_discovery("")]
    } else {
        groups().into_iter().map(group_discovery).collect()
    };
    json!({ "kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {}, "items": items })
}

/// The discovery document at `path` (without the proxy prefix), if it is one.
pub fn document(path: &str) -> Option<Value> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segs.as_slice() {
        ["version"] => Some(version()),
        ["api"] => Some(
            json!({ "kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{ "clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443" }] }),
        ),
        ["api", "v1"] => resource_list("", "v1"),
        ["apis"] => {
            let groups: Vec<Value> = groups().into_iter().filter_map(group).collect();
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

/// Whether `accept` asks for the aggregated discovery document (v2) before plain JSON.
fn wants_aggregated(accept: &str) -> bool {
    accept.split(',').map(str::trim).any(|media| {
        let params: Vec<&str> = media.split(';').map(str::trim).collect();
        params.contains(&"g=apidiscovery.k8s.io") && params.contains(&"v=v2")
    })
}

/// The answer to a `GET` of a discovery path, if `path` is one: the aggregated document when
/// `accept` asks for it on `/api` or `/apis`, else the plain document.
pub fn answer(path: &str, accept: &str) -> Option<Response> {
    let trimmed = path.trim_matches('/');
    if matches!(trimmed, "api" | "apis") && wants_aggregated(accept) {
        let mut resp = json_response(200, &aggregated(trimmed == "api"));
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
            ),
        );
        resp.headers_mut()
            .insert(header::VARY, HeaderValue::from_static("Accept"));
        return Some(resp);
    }
    document(path).map(|doc| json_response(200, &doc))
}
