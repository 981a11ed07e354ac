//! A status word with its tone (colour) and the message as a tooltip.

use leptos::prelude::*;
use lookout_client::status::flux::FluxState;

/// The tone of a Flux state: ok, progress, error, paused or unknown.
pub fn flux_tone(state: FluxState) -> &'static str {
    lookout_client::table::flux_tone(state).as_str()
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

/// Stories: every tone, and a hostile message.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    fn badge(label: &'static str, tone: &'static str, message: &'static str) -> AnyView {
        view! { <StatusBadge label=label.to_owned() tone=tone message=message.to_owned() /> }
            .into_any()
    }
    vec![
        Story {
            component: "status-badge",
            state: "ready",
            render: || badge("ready", "ok", "Applied revision: main@sha1:4f2a"),
        },
        Story {
            component: "status-badge",
            state: "progressing",
            render: || badge("progressing", "progress", "Reconciliation in progress"),
        },
        Story {
            component: "status-badge",
            state: "failed",
            render: || {
                badge(
                    "failing",
                    "error",
                    "kustomize build failed: accumulating resources",
                )
            },
        },
        Story {
            component: "status-badge",
            state: "suspended",
            render: || badge("suspended", "paused", ""),
        },
        Story {
            component: "status-badge",
            state: "unknown",
            render: || badge("unknown", "unknown", "waiting to be reconciled"),
        },
        Story {
            component: "status-badge",
            state: "hostile",
            render: || badge(HOSTILE, "error", HOSTILE),
        },
    ]
}
