//! [`use_kinds`]: every object of several kinds.

use super::use_objects::{use_objects, UseObjectsReturn};
use lookout_client::model::Object;
use lookout_client::{ApiResource, Selector};

/// The live objects of each of `kinds` (all namespaces), each with its kind.
pub fn use_kinds(
    kinds: impl IntoIterator<Item = ApiResource>,
) -> Vec<(ApiResource, UseObjectsReturn<Object>)> {
    kinds
        .into_iter()
        .map(|api| (api.clone(), use_objects(api, Selector::default)))
        .collect()
}
