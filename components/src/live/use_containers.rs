//! [`use_containers`]: a pod's containers, for the log viewer's picker.

use super::use_collection::use_collection;
use leptos::prelude::*;
use lookout_client::{Pod, Selector};

/// The containers of a pod (from a live watch of that pod), in the pod's order.
pub fn use_containers(namespace: &str, pod: &str) -> Signal<Vec<String>> {
    let selector = Selector::named(namespace, pod);
    let live = use_collection::<Pod>(move || selector.clone());
    Signal::derive(move || {
        live.rows.with(|p| {
            p.first()
                .map(|p| {
                    p.spec
                        .containers
                        .iter()
                        .map(|c| c.name.to_string())
                        .collect()
                })
                .unwrap_or_default()
        })
    })
}
