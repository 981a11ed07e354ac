//! The app's routes: which page a URL path names, and the path of each page. Pure, so every
//! deep link is tested natively; query parameters (namespace, filters, tabs) stay in the URL's
//! query string and are read by the pages.

use crate::api::query::{decode, encode};
use crate::api::resource::ApiResource;
use serde_json::Value;

/// A page of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`: Flux health and workload summary of the cluster.
    Overview,
    /// `/flux`: every Flux object.
    Flux,
    /// `/workloads`: workload kinds with their objects.
    Workloads,
    /// `/pods`.
    Pods,
    /// `/services`.
    Services,
    /// `/events`.
    Events,
    /// `/namespaces`.
    Namespaces,
    /// `/resources`: every kind the cluster serves (API discovery), grouped by API group.
    Resources,
    /// `/resources/{group}/{kind}`: a table of any kind, at the version the cluster prefers
    /// (`core` for the core group).
    Kind {
        /// API group (`""` for core).
        group: String,
        /// Kind.
        kind: String,
    },
    /// `/logs`: one pod's log (`?namespace=&pod=`).
    Logs,
    /// `/r/{group}/{version}/{kind}/{namespace}/{name}`: one object.
    Detail(ObjectRoute),
    /// `/stories/…`: the storybook (the rest of the path picks the story).
    Stories(String),
    /// `/bench`: the benchmark page.
    Bench,
    /// Anything else.
    NotFound(String),
}

/// The object a detail route names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRoute {
    /// API group ("" for core).
    pub group: String,
    /// API version.
    pub version: String,
    /// Kind.
    pub kind: String,
    /// Namespace ("" when cluster-scoped).
    pub namespace: String,
    /// Name.
    pub name: String,
}

impl ObjectRoute {
    /// The path of this object's detail page (`core` stands for the core group, `_` for no
    /// namespace).
    pub fn path(&self) -> String {
        let group = if self.group.is_empty() {
            "core"
        } else {
            &self.group
        };
        let namespace = if self.namespace.is_empty() {
            "_"
        } else {
            &self.namespace
        };
        format!(
            "/r/{}/{}/{}/{}/{}",
            encode(group),
            encode(&self.version),
            encode(&self.kind),
            encode(namespace),
            encode(&self.name)
        )
    }

    /// The route of an object of `api`.
    pub fn of(api: &ApiResource, namespace: &str, name: &str) -> Self {
        ObjectRoute {
            group: api.group.to_string(),
            version: api.version.to_string(),
            kind: api.kind.to_string(),
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        }
    }
}

impl Route {
    /// The route of a URL path. The old `?page=` links (`/?page=pods`) still work.
    pub fn parse(path: &str, legacy_page: Option<&str>) -> Route {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        match parts.as_slice() {
            [""] => match legacy_page {
                Some("pods") => Route::Pods,
                Some("flux") => Route::Flux,
                Some("workloads") => Route::Workloads,
                Some("events") => Route::Events,
                Some("logs") => Route::Logs,
                _ => Route::Overview,
            },
            ["flux"] => Route::Flux,
            ["workloads"] => Route::Workloads,
            ["pods"] => Route::Pods,
            ["services"] => Route::Services,
            ["events"] => Route::Events,
            ["namespaces"] => Route::Namespaces,
            ["resources"] => Route::Resources,
            ["resources", group, kind] => Route::Kind {
                group: Some(decode(group))
                    .filter(|g| g != "core")
                    .unwrap_or_default(),
                kind: decode(kind),
            },
            ["logs"] => Route::Logs,
            ["bench"] => Route::Bench,
            ["stories", rest @ ..] => Route::Stories(format!("/{}", rest.join("/"))),
            ["r", group, version, kind, namespace, name] => {
                let group = decode(group);
                let namespace = decode(namespace);
                Route::Detail(ObjectRoute {
                    group: if group == "core" {
                        String::new()
                    } else {
                        group
                    },
                    version: decode(version),
                    kind: decode(kind),
                    namespace: if namespace == "_" {
                        String::new()
                    } else {
                        namespace
                    },
                    name: decode(name),
                })
            }
            _ => Route::NotFound(path.to_owned()),
        }
    }

    /// The path of a top-level page (detail and story routes carry their own).
    pub fn path(&self) -> String {
        match self {
            Route::Overview => "/".into(),
            Route::Flux => "/flux".into(),
            Route::Workloads => "/workloads".into(),
            Route::Pods => "/pods".into(),
            Route::Services => "/services".into(),
            Route::Events => "/events".into(),
            Route::Namespaces => "/namespaces".into(),
            Route::Resources => "/resources".into(),
            Route::Kind { group, kind } => format!(
                "/resources/{}/{}",
                encode(if group.is_empty() { "core" } else { group }),
                encode(kind)
            ),
            Route::Logs => "/logs".into(),
            Route::Bench => "/bench".into(),
            Route::Detail(o) => o.path(),
            Route::Stories(rest) => format!("/stories{rest}"),
            Route::NotFound(p) => p.clone(),
        }
    }
}

/// The owners of an object (its `metadata.ownerReferences`), as detail routes in its namespace;
/// malformed references are skipped.
pub fn owners(object: &Value, namespace: &str) -> Vec<ObjectRoute> {
    let Some(list) = object
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|o| {
            let api_version = o.get("apiVersion")?.as_str()?;
            let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
            Some(ObjectRoute {
                group: group.into(),
                version: version.into(),
                kind: o.get("kind")?.as_str()?.into(),
                namespace: namespace.into(),
                name: o.get("name")?.as_str()?.into(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pages_round_trip() {
        for route in [
            Route::Overview,
            Route::Flux,
            Route::Workloads,
            Route::Pods,
            Route::Services,
            Route::Events,
            Route::Namespaces,
            Route::Logs,
            Route::Bench,
            Route::Resources,
            Route::Kind {
                group: String::new(),
                kind: "ConfigMap".into(),
            },
            Route::Kind {
                group: "example.com".into(),
                kind: "Widget".into(),
            },
        ] {
            assert_eq!(Route::parse(&route.path(), None), route);
        }
        assert_eq!(Route::parse("/", Some("flux")), Route::Flux);
        assert_eq!(
            Route::Kind {
                group: String::new(),
                kind: "ConfigMap".into()
            }
            .path(),
            "/resources/core/ConfigMap"
        );
        assert_eq!(
            Route::parse("/stories/pod-table/huge", None),
            Route::Stories("/pod-table/huge".into())
        );
        assert_eq!(Route::parse("/nope", None), Route::NotFound("/nope".into()));
    }

    #[test]
    fn detail_routes_encode_core_group_cluster_scope_and_odd_names() {
        let pod = ObjectRoute::of(&crate::model::kinds::EVENT, "app", "web 1/x");
        assert_eq!(pod.path(), "/r/core/v1/Event/app/web%201%2Fx");
        assert_eq!(Route::parse(&pod.path(), None), Route::Detail(pod));
        let ks = ObjectRoute {
            group: "kustomize.toolkit.fluxcd.io".into(),
            version: "v1".into(),
            kind: "Kustomization".into(),
            namespace: String::new(),
            name: "apps".into(),
        };
        assert_eq!(
            ks.path(),
            "/r/kustomize.toolkit.fluxcd.io/v1/Kustomization/_/apps"
        );
        assert_eq!(Route::parse(&ks.path(), None), Route::Detail(ks));
    }

    #[test]
    fn owners_become_routes_and_malformed_ones_are_skipped() {
        let pod = json!({ "metadata": { "ownerReferences": [
            { "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d9" },
            { "apiVersion": "v1", "kind": "Node", "name": "n1" },
            { "apiVersion": "apps/v1", "kind": "ReplicaSet" },
            { "kind": "ReplicaSet", "name": "x" },
            "not an object"
        ] } });
        let got = owners(&pod, "app");
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0].path(),
            ObjectRoute::of(&crate::model::kinds::REPLICA_SET, "app", "web-7d9").path()
        );
        assert_eq!((got[1].group.as_str(), got[1].kind.as_str()), ("", "Node"));
        assert!(owners(&json!({ "metadata": {} }), "app").is_empty());
    }
}
