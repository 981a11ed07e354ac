//! [`use_kinds`]: every object of several kinds; [`use_kinds_in`]: of kinds in namespaces.

use super::use_objects::{use_objects, UseObjectsReturn};
use lookout_client::model::Object;
use lookout_client::{ApiResource, Selector};

/// The live objects of each of `kinds` (all namespaces), each with its kind.
pub fn use_kinds(
    kinds: impl IntoIterator<Item = ApiResource>,
) -> Vec<(ApiResource, UseObjectsReturn<Object>)> {
    use_kinds_in(kinds.into_iter().map(|api| (api, None)))
}

/// The live objects of each (kind, namespace) of `scopes` (`None`: all namespaces), each with
/// its kind; one watch per pair (shared with any other reader of the same or a wider one).
pub fn use_kinds_in(
    scopes: impl IntoIterator<Item = (ApiResource, Option<String>)>,
) -> Vec<(ApiResource, UseObjectsReturn<Object>)> {
    scopes
        .into_iter()
        .map(|(api, namespace)| {
            let selector = Selector {
                namespace,
                ..Selector::default()
            };
            (api.clone(), use_objects(api, move || selector.clone()))
        })
        .collect()
}
