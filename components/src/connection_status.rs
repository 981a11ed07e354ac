//! Shows whether a view is live, still loading, or reconnecting after an error (with the error).

use leptos::prelude::*;
use lookout_client::time::format_rfc3339;
use lookout_client::WatchState;

/// A compact live/reconnecting indicator, announced to screen readers when it changes.
///
/// Props:
/// - `state`: the watch state to show.
#[component]
pub fn ConnectionStatus(#[prop(into)] state: Signal<WatchState>) -> impl IntoView {
    let label = move || match state.get() {
        WatchState::Waiting => ("waiting", "Waiting for a free connection…".to_owned()),
        WatchState::Listing => ("loading", "Loading…".to_owned()),
        WatchState::Live => ("live", "Live".to_owned()),
        WatchState::Retrying {
            error,
            delay,
            stale_since,
            ..
        } => {
            let since = format_rfc3339((stale_since / 1000.0) as i64);
            let clock = since.get(11..19).unwrap_or(&since).to_owned();
            (
                "retrying",
                format!(
                    "Stale since {clock} UTC — retrying in {} s — {error}",
                    delay.as_secs().max(1)
                ),
            )
        }
    };
    view! {
        <span class="lo-conn" data-state=move || label().0 role="status" aria-live="polite">
            <span class="lo-conn__dot" aria-hidden="true"></span>
            <span class="lo-conn__text">{move || label().1}</span>
        </span>
    }
}
