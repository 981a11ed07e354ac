//! A status word with its tone (colour) and the message as a tooltip.

use leptos::prelude::*;
use lookout_client::status::Tone;

/// A badge: coloured status word, message on hover and for screen readers.
#[component]
pub fn StatusBadge(
    /// The status word.
    #[prop(into)]
    label: Signal<String>,
    /// Its [`Tone`] (the status rules of `lookout_client::status` give it).
    #[prop(into)]
    tone: Signal<Tone>,
    /// The explanation (untrusted text; rendered as text only).
    #[prop(into, optional)]
    message: Signal<String>,
    /// Screen readers announce changes of the word (`aria-live`), for a badge that is the point
    /// of its view (the widget's sync status).
    #[prop(optional)]
    announce: bool,
) -> impl IntoView {
    view! {
        <span class="lo-status" data-tone=move || tone.get().as_str() title=move || message.get()
            aria-live=announce.then_some("polite")>
            {move || label.get()}
        </span>
    }
}

/// Stories: every tone, and a hostile message.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    fn badge(label: &'static str, tone: Tone, message: &'static str) -> AnyView {
        view! { <StatusBadge label=label.to_owned() tone=tone message=message.to_owned() /> }
            .into_any()
    }
    vec![
        Story {
            component: "status-badge",
            state: "ok",
            render: || badge("ready", Tone::Ok, "Applied revision: main@sha1:4f2a"),
        },
        Story {
            component: "status-badge",
            state: "progress",
            render: || badge("progressing", Tone::Progress, "Reconciliation in progress"),
        },
        Story {
            component: "status-badge",
            state: "error",
            render: || {
                badge(
                    "failing",
                    Tone::Error,
                    "kustomize build failed: accumulating resources",
                )
            },
        },
        Story {
            component: "status-badge",
            state: "paused",
            render: || badge("suspended", Tone::Paused, ""),
        },
        Story {
            component: "status-badge",
            state: "unknown",
            render: || badge("unknown", Tone::Unknown, "waiting to be reconciled"),
        },
        Story {
            component: "status-badge",
            state: "hostile",
            render: || badge(HOSTILE, Tone::Error, HOSTILE),
        },
    ]
}

#[cfg(test)]
mod tests {
    use lookout_client::status::Tone;

    #[test]
    fn stories_show_every_tone() {
        let shown: Vec<&str> = super::stories().iter().map(|s| s.state).collect();
        for tone in Tone::ALL {
            assert!(shown.contains(&tone.as_str()), "no story for {tone:?}");
        }
    }
}
