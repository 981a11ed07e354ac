//! A panel for a view that cannot show data: signed out, forbidden, not found, rate limited or
//! unreachable — what happened, what to do, and a retry.

use leptos::prelude::*;
use lookout_client::{Error, WatchState};

/// Title and advice for an error the user can act on (the client's rules, shared with the
/// Leptos-free `<lookout-flux-status>` bundle).
pub use lookout_client::api::error::advice;

/// Shows the panel while `state` is retrying after an error with [`advice`].
#[component]
pub fn ErrorPanel(
    /// The watch state of the view.
    #[prop(into)]
    state: Signal<WatchState>,
    /// What "Retry now" does (a hook's `retry`: the watch starts again at once, without reloading the page, which inside GitLab would reload GitLab); no button without it.
    #[prop(optional, into)]
    retry: Option<Callback<()>>,
) -> impl IntoView {
    let problem = move || match state.get() {
        WatchState::Retrying { error, .. } => {
            advice(&error).map(|(title, text)| (title, text, error.to_string(), error.kind()))
        }
        _ => None,
    };
    move || {
        problem().map(|(title, text, detail, kind)| {
            view! {
                <div class="lo-panel lo-panel--error" role="alert" data-error=format!("{kind:?}")>
                    <h3>{title}</h3>
                    <p>{text}</p>
                    <p class="lo-message">{detail}</p>
                    {retry.map(|retry| view! {
                        <button type="button" class="lo-button" on:click=move |_| retry.run(())>"Retry now"</button>
                    })}
                </div>
            }
        })
    }
}

/// Stories: each actionable error.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    fn panel(code: u16, body: &'static str) -> AnyView {
        let error = Error::Http {
            code,
            status: None,
            body: body.to_owned(),
            retry_after: None,
            gitlab_unauthorized: code == 401,
        };
        let state = WatchState::Retrying {
            error,
            delay: std::time::Duration::from_secs(8),
            stale_since: 1.795585091e12,
            attempt: 3,
        };
        view! { <ErrorPanel state=state retry=Callback::new(|()| ()) /> }.into_any()
    }
    vec![
        Story {
            component: "error-panel",
            state: "signed-out",
            render: || panel(401, "Unauthorized"),
        },
        Story {
            component: "error-panel",
            state: "forbidden",
            render: || {
                panel(403, "pods is forbidden: User \"dev\" cannot list resource \"pods\" in API group \"\" in the namespace \"app\"")
            },
        },
        Story {
            component: "error-panel",
            state: "not-found",
            render: || panel(404, "agent 99 not found"),
        },
        Story {
            component: "error-panel",
            state: "rate-limited",
            render: || panel(429, "Too Many Requests"),
        },
        Story {
            component: "error-panel",
            state: "unreachable",
            render: || panel(503, HOSTILE),
        },
    ]
}
