//! API discovery: which groups, versions and kinds the cluster serves, so Lookout talks to the
//! version a cluster actually has (e.g. Kustomization `v1` vs `v1beta2`) and can show any kind.

use crate::connection::{Connection, Method};
use crate::error::Error;
use crate::resource::ApiResource;
use crate::transport::Transport;
use serde::Deserialize;
use std::borrow::Cow;

#[derive(Deserialize)]
struct GroupList {
    #[serde(default)]
    groups: Vec<Group>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Group {
    name: String,
    #[serde(default)]
    versions: Vec<GroupVersion>,
    preferred_version: Option<GroupVersion>,
}

#[derive(Deserialize)]
struct GroupVersion {
    version: String,
}

#[derive(Deserialize)]
struct ResourceList {
    #[serde(default)]
    resources: Vec<ResourceEntry>,
}

#[derive(Deserialize)]
struct ResourceEntry {
    name: String,
    kind: String,
    #[serde(default)]
    namespaced: bool,
    #[serde(default)]
    verbs: Vec<String>,
}

/// What the cluster serves: every kind in every group's preferred version (and the core `v1`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Discovery {
    resources: Vec<ApiResource>,
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| Error::Decode(format!("{what}: {e}")))
}

/// The kinds of one group version from its `APIResourceList` that can be listed (subresources
/// and create-only kinds such as `selfsubjectaccessreviews` skipped).
fn resources_of(group: &str, version: &str, body: &[u8]) -> Result<Vec<ApiResource>, Error> {
    let list: ResourceList = parse(body, "API resource list")?;
    Ok(list
        .resources
        .into_iter()
        .filter(|r| !r.name.contains('/') && r.verbs.iter().any(|v| v == "list"))
        .map(|r| ApiResource {
            group: Cow::Owned(group.to_owned()),
            version: Cow::Owned(version.to_owned()),
            kind: Cow::Owned(r.kind),
            plural: Cow::Owned(r.name),
            namespaced: r.namespaced,
        })
        .collect())
}

impl Discovery {
    /// Asks the cluster: `/api/v1`, `/apis`, then each group's preferred version. A group whose
    /// list fails (an aggregated API that is down) is skipped, as kubectl does.
    pub async fn fetch(transport: &dyn Transport, conn: &Connection) -> Result<Discovery, Error> {
        let get = |path: String| async move {
            let response = transport.send(conn.request(Method::Get, &path)).await?;
            response.success_bytes().await
        };
        // `/api/v1` and `/apis` together, then every group at once: one round trip each, not
        // one per group (on a 50 ms link, 11 groups took 0.6 s one after another).
        let (core, apis) =
            futures_util::future::join(get("/api/v1".into()), get("/apis".into())).await;
        let mut resources = resources_of("", "v1", &core?)?;
        let groups: GroupList = parse(&apis?, "API group list")?;
        let wanted: Vec<(String, String)> = groups
            .groups
            .into_iter()
            .filter_map(|group| {
                let version = group
                    .preferred_version
                    .or_else(|| group.versions.into_iter().next())?;
                Some((group.name, version.version))
            })
            .collect();
        let bodies = futures_util::future::join_all(
            wanted
                .iter()
                .map(|(name, version)| get(format!("/apis/{name}/{version}"))),
        )
        .await;
        for ((name, version), body) in wanted.iter().zip(bodies) {
            if let Ok(body) = body {
                resources.extend(resources_of(name, version, &body).unwrap_or_default());
            }
        }
        Ok(Discovery { resources })
    }

    /// Where `kind` of `group` is served, if it is.
    pub fn resource(&self, group: &str, kind: &str) -> Option<&ApiResource> {
        self.resources
            .iter()
            .find(|r| r.group == group && r.kind == kind)
    }

    /// Every served kind.
    pub fn resources(&self) -> &[ApiResource] {
        &self.resources
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_lists_skip_subresources() {
        let body = br#"{"kind":"APIResourceList","groupVersion":"kustomize.toolkit.fluxcd.io/v1","resources":[
            {"name":"kustomizations","singularName":"kustomization","namespaced":true,"kind":"Kustomization","verbs":["get","list","watch"]},
            {"name":"kustomizations/status","namespaced":true,"kind":"Kustomization","verbs":["get","patch"]},
            {"name":"selfsubjectaccessreviews","namespaced":false,"kind":"SelfSubjectAccessReview","verbs":["create"]}]}"#;
        let list = resources_of("kustomize.toolkit.fluxcd.io", "v1", body).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(
            list[0].collection_path(Some("flux-system")),
            "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations"
        );
        assert!(resources_of("g", "v1", b"<html>")
            .unwrap_err()
            .to_string()
            .contains("API resource list"));
    }
}
