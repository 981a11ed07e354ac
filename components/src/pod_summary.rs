//! Pod counts by group (running, pending, succeeded, failed, crash-looping), each a filter toggle.

use crate::live::use_collection;
use leptos::prelude::*;
use lookout_client::models::PodGroup;
use lookout_client::{Connection, Pod, Selector};

/// A row of pod counts for a namespace (or all namespaces), live. It reads the shared pods watch,
/// so placing it next to a pod table costs no extra connection.
///
/// Props:
/// - `namespace`: the namespace, or `None` for all.
/// - `selected`: the group currently used as a filter, if any (shown pressed).
/// - `on_select`: called with a group when its count is clicked (`None` when it is clicked again).
#[component]
pub fn PodSummary(
    #[prop(into)] namespace: Signal<Option<String>>,
    #[prop(into)] selected: Signal<Option<PodGroup>>,
    #[prop(into)] on_select: Callback<Option<PodGroup>>,
) -> impl IntoView {
    let connection = expect_context::<Connection>();
    let pods = use_collection::<Pod>(connection, move || Selector {
        namespace: namespace.get(),
        ..Selector::default()
    });
    let counts = Memo::new(move |_| {
        pods.rows.with(|items| {
            let mut counts = [0usize; PodGroup::ALL.len()];
            for pod in items {
                counts[pod.group() as usize] += 1;
            }
            counts
        })
    });
    let chip = move |group: PodGroup| {
        let pressed = move || selected.get() == Some(group);
        view! {
            <button
                type="button"
                class="lo-chip"
                data-group=group.label()
                aria-pressed=move || pressed().to_string()
                on:click=move |_| on_select.run(if pressed() { None } else { Some(group) })
            >
                <span class="lo-chip__count">{move || counts.get()[group as usize]}</span>
                " "
                {group.label()}
            </button>
        }
    };
    view! {
        <div class="lo-summary" role="group" aria-label="Pods by status">
            {PodGroup::ALL.into_iter().map(chip).collect_view()}
        </div>
    }
}
