//! The slim Namespace: name and phase, for namespace pickers.

use super::null_as_default;
use crate::api::resource::{ApiResource, ObjectMeta, Resource, TypedResource};
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

impl TypedResource for Namespace {
    const API: ApiResource = crate::model::kinds::NAMESPACE;
}

impl Resource for Namespace {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
}
