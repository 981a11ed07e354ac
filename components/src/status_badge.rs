//! A status word with its tone (colour) and the message as a tooltip.

use leptos::prelude::*;
use lookout_client::status::flux::FluxState;

/// The tone of a Flux state: ok, progress, error, paused or unknown.
pub fn flux_tone(state: FluxState) -> &'static str {
    match state {
        FluxState::Ready => "ok",
        FluxState::Progressing | FluxState::Deleting => "progress",
        FluxState::Failed | FluxState::Failing => "error",
        FluxState::Suspended => "paused",
        FluxState::Unknown => "unknown",
    }
}

/// A badge: coloured status word, message on hover and for screen readers.
///
/// Props:
/// - `label`: the status word.
/// - `tone`: `ok`, `progress`, `error`, `paused` or `unknown`.
/// - `message`: the explanation (untrusted text; rendered as text only).
#[component]
pub fn StatusBadge(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] tone: Signal<&'static str>,
    #[prop(into, optional)] message: Signal<String>,
) -> impl IntoView {
    view! {
        <span class="lo-status" data-tone=move || tone.get() title=move || message.get()>
            {move || label.get()}
        </span>
    }
}
