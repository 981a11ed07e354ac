//! The filter bar above a table: text filter, status chips with counts, and how many rows show.

use crate::live::ListProgress;
use leptos::prelude::*;
use lookout_client::status::Tone;
use lookout_client::view::table::TableQuery;

/// Text filter, one chip per status tone (hidden when no object has it, unless pressed), the
/// number of rows shown, and slots for more (e.g. "3 selected").
#[component]
pub fn TableTools(
    /// The filter it edits (the text and the tones).
    query: RwSignal<TableQuery>,
    /// Objects per tone, in [`Tone::ALL`] order.
    #[prop(into)]
    counts: Signal<[usize; 5]>,
    /// Rows shown.
    #[prop(into)]
    shown: Signal<usize>,
    /// Rows before filtering.
    #[prop(into)]
    total: Signal<usize>,
    /// While the rows arrive in pages: how many are in, of how many.
    #[prop(into, optional)]
    progress: Signal<Option<ListProgress>>,
    /// What the rows are, plural ("pods"), for the field's label.
    noun: String,
    /// Extra items at the end of the bar.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let loading_noun = noun.clone();
    view! {
        <div class="lo-rtable__tools" role="search">
            <input class="lo-input" type="search" data-lookout-search=""
                aria-label=format!("Filter {noun}")
                placeholder="Filter by name, namespace, status or label (key=value)"
                prop:value=move || query.with(|q| q.text.clone())
                on:input=move |ev| { let t = event_target_value(&ev); query.update(|q| q.text = t) } />
            <div class="lo-chips" role="group" aria-label="Status filter">
                {Tone::ALL.into_iter().enumerate().map(|(i, tone)| {
                    let count = move || counts.get()[i];
                    let pressed = move || query.with(|q| q.tones.contains(&tone));
                    view! {
                        <button type="button" class="lo-chip" data-tone=tone.as_str()
                            aria-pressed=move || pressed().to_string()
                            hidden=move || count() == 0 && !pressed()
                            on:click=move |_| query.update(|q| {
                                if let Some(i) = q.tones.iter().position(|t| *t == tone) { q.tones.remove(i); } else { q.tones.push(tone); }
                            })>
                            {tone.label()}" "<span class="lo-chip__count">{count}</span>
                        </button>
                    }
                }).collect_view()}
            </div>
            {children.map(|c| c())}
            <span class="lo-count" aria-live="polite">
                {move || match total.get() - shown.get() {
                    0 => format!("{}", shown.get()),
                    hidden => format!("{} of {} ({hidden} hidden by the filter)", shown.get(), total.get()),
                }}
            </span>
            <span class="lo-progress" role="status" hidden=move || progress.get().is_none()>
                {move || progress.get().map(|p| format!("Loading: {} of {} {loading_noun} in, more arriving…", p.arrived, p.expected)).unwrap_or_default()}
            </span>
        </div>
    }
}
