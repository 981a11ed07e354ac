//! [`use_object`]: one object, live, as JSON.

use super::use_objects::{use_objects, UseObjectsReturn};
use leptos::prelude::*;
use lookout_client::model::Object;
use lookout_client::{ApiResource, Selector};
use std::sync::Arc;

/// What [`use_object`] returns.
#[derive(Clone, Copy)]
pub struct UseObjectReturn {
    /// The object's (pruned) JSON: `Null` while loading or when it does not exist.
    pub value: Signal<serde_json::Value>,
    /// The object itself, when it exists.
    pub current: Signal<Option<Arc<Object>>>,
    /// Whether the watch is live and the object does not exist.
    pub missing: Signal<bool>,
    /// The watch behind it (state, retry).
    pub live: UseObjectsReturn<Object>,
}

/// One object of `api`, live, through the connection in context.
pub fn use_object(api: ApiResource, namespace: &str, name: &str) -> UseObjectReturn {
    let selector = Selector::named(namespace, name);
    let live = use_objects::<Object>(api, move || selector.clone());
    let current =
        Memo::new_with_compare(move |_| live.rows.with(|r| r.first().cloned()), |_, _| true);
    let value = Signal::derive(move || {
        current.with(|o| {
            o.as_ref()
                .map_or(serde_json::Value::Null, |o| o.value.clone())
        })
    });
    // Rows and state arrive in the same frame: "live and absent" is never a frame early.
    let missing = Signal::derive(move || {
        live.synced.get()
            && matches!(live.state.get(), lookout_client::WatchState::Live)
            && current.with(Option::is_none)
    });
    UseObjectReturn {
        value,
        current: current.into(),
        missing,
        live,
    }
}
