//! Pod counts by group (running, pending, succeeded, failed, crash-looping), each a filter toggle.

use leptos::prelude::*;
use lookout_client::model::PodGroup;
use lookout_client::Pod;
use std::sync::Arc;

/// A row of pod counts, live. Give it the rows of the pod table beside it (one watch for both).
#[component]
pub fn PodSummary(
    /// The pods counted.
    #[prop(into)]
    pods: Signal<Vec<Arc<Pod>>>,
    /// The group currently used as a filter, if any (shown pressed).
    #[prop(into)]
    selected: Signal<Option<PodGroup>>,
    /// Called with a group when its count is clicked (`None` when it is clicked again).
    #[prop(into)]
    on_select: Callback<Option<PodGroup>>,
) -> impl IntoView {
    let counts = Memo::new(move |_| {
        pods.with(|items| {
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
