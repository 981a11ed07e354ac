//! Shows whether a view is live, still loading, or reconnecting after an error (with the error).

use leptos::prelude::*;
use lookout_client::WatchState;

/// A compact live/reconnecting indicator, announced to screen readers when it changes.
#[component]
pub fn ConnectionStatus(
    /// The watch state to show.
    #[prop(into)]
    state: Signal<WatchState>,
) -> impl IntoView {
    let label = move || state.with(WatchState::summary);
    view! {
        <span class="lo-conn" data-state=move || label().0 role="status" aria-live="polite">
            <span class="lo-conn__dot" aria-hidden="true"></span>
            <span class="lo-conn__text">{move || label().1}</span>
        </span>
    }
}

/// Stories: every connection state.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::Story;
    use lookout_client::Error;
    use std::time::Duration;
    fn status(state: WatchState) -> AnyView {
        view! { <ConnectionStatus state=state /> }.into_any()
    }
    vec![
        Story {
            component: "connection-status",
            state: "loading",
            render: || status(WatchState::Listing),
        },
        Story {
            component: "connection-status",
            state: "live",
            render: || status(WatchState::Live),
        },
        Story {
            component: "connection-status",
            state: "waiting",
            render: || status(WatchState::Waiting),
        },
        Story {
            component: "connection-status",
            state: "retrying",
            render: || {
                let error = Error::from_response(
                    503,
                    &[],
                    b"upstream connect error or disconnect/reset before headers",
                );
                status(WatchState::Retrying {
                    error,
                    delay: Duration::from_secs(4),
                    stale_since: 1_795_585_091_000.0,
                    attempt: 3,
                })
            },
        },
        Story {
            component: "connection-status",
            state: "forbidden",
            render: || {
                let body = br#"{"kind":"Status","code":403,"reason":"Forbidden","message":"pods is forbidden: User \"gitlab:user:ada\" cannot watch resource \"pods\" in API group \"\" in the namespace \"prod\""}"#;
                let error = Error::from_response(403, &[], body);
                status(WatchState::Retrying {
                    error,
                    delay: Duration::from_secs(30),
                    stale_since: 1_795_585_091_000.0,
                    attempt: 9,
                })
            },
        },
    ]
}
