//! Resource kinds: where a kind lives in the API, and the slim metadata every stored object carries.

use crate::model::{interned, interned_opt, Labels, Str};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;

/// Where a kind's collection lives in the API: built in for the kinds Lookout knows, or from
/// discovery for anything else.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApiResource {
    /// API group (`""` for the core group).
    pub group: Cow<'static, str>,
    /// API version (`v1`, `v1beta2`, …).
    pub version: Cow<'static, str>,
    /// Kind (`Pod`).
    pub kind: Cow<'static, str>,
    /// Plural resource name in URLs (`pods`).
    pub plural: Cow<'static, str>,
    /// Whether objects live in namespaces.
    pub namespaced: bool,
}

impl ApiResource {
    /// A built-in resource (usable in `const`).
    pub const fn fixed(
        group: &'static str,
        version: &'static str,
        kind: &'static str,
        plural: &'static str,
        namespaced: bool,
    ) -> Self {
        ApiResource {
            group: Cow::Borrowed(group),
            version: Cow::Borrowed(version),
            kind: Cow::Borrowed(kind),
            plural: Cow::Borrowed(plural),
            namespaced,
        }
    }

    /// `v1` or `group/version`, as objects carry it in `apiVersion`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The path of one object.
    pub fn object_path(&self, namespace: Option<&str>, name: &str) -> String {
        format!(
            "{}/{}",
            self.collection_path(namespace),
            crate::api::query::encode(name)
        )
    }

    /// The collection path, in one namespace or (`None`) across all namespaces.
    pub fn collection_path(&self, namespace: Option<&str>) -> String {
        let prefix = if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        };
        match namespace {
            Some(ns) if self.namespaced => {
                format!(
                    "{prefix}/namespaces/{}/{}",
                    crate::api::query::encode(ns),
                    self.plural
                )
            }
            _ => format!("{prefix}/{}", self.plural),
        }
    }
}

/// Object metadata with only the fields the store and the views need. Strings are shared
/// ([`Str`]); those many objects repeat (namespace, creation time, labels) are interned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ObjectMeta {
    /// Object name.
    pub name: Str,
    /// Namespace (empty for cluster-scoped objects).
    #[serde(deserialize_with = "interned")]
    pub namespace: Str,
    /// Unique id of this incarnation of the object.
    pub uid: Str,
    /// Opaque version; compare for equality only.
    pub resource_version: Str,
    /// RFC 3339 creation time.
    #[serde(deserialize_with = "interned_opt")]
    pub creation_timestamp: Option<Str>,
    /// RFC 3339 time deletion was requested (object is terminating).
    pub deletion_timestamp: Option<Str>,
    /// Labels (untrusted strings).
    #[serde(deserialize_with = "null_as_default")]
    pub labels: Labels,
}

/// What the watcher and the store can hold: a slim serde model with metadata.
pub trait Resource: DeserializeOwned + Clone + 'static {
    /// The object's metadata.
    fn meta(&self) -> &ObjectMeta;

    /// Records the object's `apiVersion` and `kind` where it lacks them (items of a list do).
    /// Models that do not keep them ignore this.
    fn set_type(&mut self, _api_version: &str, _kind: &str) {}
}

/// A model of one fixed kind, which knows where that kind lives.
pub trait TypedResource: Resource {
    /// The kind's place in the API.
    const API: ApiResource;
}

/// Identifies an object within one kind: namespace and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    /// Namespace (empty for cluster-scoped objects).
    pub namespace: Str,
    /// Name.
    pub name: Str,
}

impl ObjectKey {
    /// The key of an object (shares its strings).
    pub fn of<T: Resource>(obj: &T) -> Self {
        let meta = obj.meta();
        ObjectKey {
            namespace: meta.namespace.clone(),
            name: meta.name.clone(),
        }
    }
}

/// How stores and their changed-key sets hash [`ObjectKey`]s: each watch event looks its key up
/// twice (the store, the frame's changed keys). In the browser std's SipHash keys are predictable
/// (wasm32-unknown-unknown has no entropy source for `RandomState`: they come from addresses,
/// the same in every run of a build), so it resists chosen names little better than FxHash, at
/// about twice the cost per key. FxHash has no key at all: names made to collide slow look-ups
/// in one collection in proportion to their number, which whoever can create them could cause
/// with sheer numbers anyway. Natively: std's randomly keyed SipHash.
#[cfg(target_arch = "wasm32")]
pub type KeyHasher = rustc_hash::FxBuildHasher;
/// How stores and their changed-key sets hash [`ObjectKey`]s (natively: std's SipHash, randomly
/// keyed).
#[cfg(not(target_arch = "wasm32"))]
pub type KeyHasher = std::collections::hash_map::RandomState;

/// A set of object keys, hashed with [`KeyHasher`].
pub type KeySet = std::collections::HashSet<ObjectKey, KeyHasher>;

/// Deserializes `null` as the type's default (the API sends `"containers": null` in bookmarks).
pub(crate) fn null_as_default<'de, D, T>(de: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(de)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TypedResource;

    const DEPLOYMENTS: ApiResource =
        ApiResource::fixed("apps", "v1", "Deployment", "deployments", true);

    #[test]
    fn collection_paths_for_core_and_groups() {
        assert_eq!(
            crate::Pod::API.collection_path(Some("app")),
            "/api/v1/namespaces/app/pods"
        );
        assert_eq!(crate::Pod::API.collection_path(None), "/api/v1/pods");
        assert_eq!(
            DEPLOYMENTS.collection_path(Some("a b")),
            "/apis/apps/v1/namespaces/a%20b/deployments"
        );
    }
}
