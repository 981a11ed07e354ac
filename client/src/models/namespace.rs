//! The slim Namespace: name and phase, for namespace pickers.

use super::null_as_default;
use crate::resource::{ApiResource, ObjectMeta, Resource};
use serde::Deserialize;

/// A namespace, reduced to what pickers show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Namespace {
    /// Metadata.
    pub metadata: ObjectMeta,
    /// Status.
    #[serde(deserialize_with = "null_as_default")]
    pub status: NamespaceStatus,
}

/// `status` of a namespace.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct NamespaceStatus {
    /// `Active` or `Terminating`.
    pub phase: String,
}

impl Resource for Namespace {
    const API: ApiResource = ApiResource {
        group: "",
        version: "v1",
        kind: "Namespace",
        plural: "namespaces",
        namespaced: false,
    };
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
}
