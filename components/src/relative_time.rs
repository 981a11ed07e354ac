//! A relative time that ticks ("3m ago"), with the exact time on hover and for machines.

use leptos::prelude::*;
use lookout_client::model::time::{format_age, format_rfc3339, parse_rfc3339};

/// "3m ago" for an RFC 3339 timestamp, kept current by `now`; `—` when the time is missing or
/// malformed.
#[component]
pub fn RelativeTime(
    /// The RFC 3339 timestamp.
    #[prop(into)]
    time: Signal<Option<String>>,
    /// Current time (epoch seconds), e.g. from [`crate::use_now`].
    #[prop(into)]
    now: Signal<i64>,
    /// Text after the age (default `" ago"`; pass `""` for kubectl-style ages).
    #[prop(optional, into)]
    suffix: Option<String>,
) -> impl IntoView {
    let parsed = move || time.get().as_deref().and_then(parse_rfc3339);
    let suffix = suffix.unwrap_or_else(|| " ago".to_owned());
    let text = move || match parsed() {
        Some(t) => format!("{}{suffix}", format_age(now.get() - t)),
        None => "—".to_owned(),
    };
    let exact = move || parsed().map(format_rfc3339).unwrap_or_default();
    view! { <time class="lo-time" datetime=exact title=exact>{text}</time> }
}

/// Stories: recent, old, missing, malformed.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::Story;
    fn at(time: Option<&'static str>) -> AnyView {
        view! { <RelativeTime time=time.map(str::to_owned) now=1_795_585_091i64 /> }.into_any()
    }
    vec![
        Story {
            component: "relative-time",
            state: "recent",
            render: || at(Some("2026-11-25T05:37:00Z")),
        },
        Story {
            component: "relative-time",
            state: "old",
            render: || at(Some("2025-01-01T00:00:00Z")),
        },
        Story {
            component: "relative-time",
            state: "missing",
            render: || at(None),
        },
        Story {
            component: "relative-time",
            state: "malformed",
            render: || at(Some("yesterday")),
        },
    ]
}
