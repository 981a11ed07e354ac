//! What a page that shows several kinds could not show yet: kinds the user may not read (with the
//! server's reason, which names the verb, resource and namespace), kinds shown for some
//! namespaces only, and kinds still loading or waiting for a live connection. Pages show what
//! they have and this says what is missing, so no summary is read as complete when it is not.

use crate::live::{Narrowed, UseObjectsReturn};
use leptos::prelude::*;
use lookout_client::model::kinds::plural_label;
use lookout_client::{ApiResource, ErrorKind, WatchState};

/// One kind a page shows: its watch state and whether it is narrowed to some namespaces.
#[derive(Clone)]
pub struct Part {
    /// The kind.
    pub api: ApiResource,
    /// Its watch state.
    pub state: Signal<WatchState>,
    /// Set when only some namespaces could be read.
    pub narrowed: Signal<Option<Narrowed>>,
}

/// How complete one part is.
#[derive(Debug, Clone, PartialEq)]
pub enum Gap {
    /// Not listed yet.
    Loading,
    /// Listed; live updates wait for a free connection.
    NotLive,
    /// Shown for these namespaces only, because of this refusal.
    Narrowed(Narrowed),
    /// Cannot be read: the error.
    Unreadable(String),
}

impl Gap {
    /// The gap of a part, if any.
    pub fn of(state: &WatchState, narrowed: Option<Narrowed>) -> Option<Gap> {
        match state {
            // A namespace named by the user can be refused too: say so rather than "narrowed".
            WatchState::Retrying { error, .. }
                if matches!(error.kind(), ErrorKind::Forbidden | ErrorKind::NotFound) =>
            {
                Some(Gap::Unreadable(error.to_string()))
            }
            _ if narrowed.is_some() => narrowed.map(Gap::Narrowed),
            WatchState::Listing => Some(Gap::Loading),
            WatchState::Waiting => Some(Gap::NotLive),
            _ => None,
        }
    }
}

/// The gaps of `parts`, each with its kind's plural label.
pub fn gaps(parts: &[Part]) -> Vec<(String, Gap)> {
    parts
        .iter()
        .filter_map(|p| {
            let gap = Gap::of(&p.state.get(), p.narrowed.get())?;
            Some((plural_label(&p.api.kind), gap))
        })
        .collect()
}

impl Part {
    /// The part of a live collection of `api`.
    pub fn of<T: Send + Sync + 'static>(api: &ApiResource, live: &UseObjectsReturn<T>) -> Part {
        Part {
            api: api.clone(),
            state: live.state,
            narrowed: live.narrowed,
        }
    }
}

/// The notes for `parts`: one line per kind that is not fully shown; nothing when all are.
/// With `on_namespaces`, a kind refused cluster-wide offers a field to name the namespaces the
/// user can read (comma-separated; the callback gets the text).
#[component]
pub fn Coverage(
    /// The collections of the view, one per kind.
    parts: Vec<Part>,
    /// Offers the readable-namespaces field; gets the text typed.
    #[prop(optional)]
    on_namespaces: Option<Callback<String>>,
) -> impl IntoView {
    let refused_wide = {
        let parts = parts.clone();
        move || {
            parts.iter().any(|p| {
                p.api.namespaced
                    && p.narrowed.with(Option::is_none)
                    && crate::live::refusal(&p.state.get()).is_some()
            })
        }
    };
    let notes = move || gaps(&parts);
    let text = RwSignal::new(String::new());
    let ask = on_namespaces.map(|callback| {
        view! {
            <Show when=refused_wide.clone()>
                <form class="lo-toolbar lo-readable" on:submit=move |ev| { ev.prevent_default(); callback.run(text.get_untracked()); }>
                    <label class="lo-field">
                        <span>"Namespaces you can read"</span>
                        <input class="lo-input" type="text" placeholder="e.g. team-a, team-b"
                            prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) />
                    </label>
                    <button type="submit" class="lo-button">"Show these namespaces"</button>
                </form>
            </Show>
        }
    });
    view! {
        {ask}
        <ul class="lo-coverage" aria-label="What this page cannot show yet" aria-live="polite">
            <For each=notes key=|(label, gap)| (label.clone(), format!("{gap:?}")) let:note>
                {
                    let (label, gap) = note;
                    let (kind, text) = match gap {
                        Gap::Loading => ("loading", format!("Waiting for {label}…")),
                        Gap::NotLive => ("waiting", format!("{label} listed; live updates wait for a free connection.")),
                        Gap::Narrowed(n) => ("narrowed", format!(
                            "{label}: showing {} only. {}", n.namespaces.join(", "), n.because
                        )),
                        Gap::Unreadable(why) => ("unreadable", format!("Cannot read {label}: {why}")),
                    };
                    view! { <li class="lo-coverage__note" data-gap=kind data-kind=label>{text}</li> }
                }
            </For>
        </ul>
    }
}

/// Stories: a page with every kind of gap (the refusal carries a hostile string), and one with none.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    use lookout_client::{model::kinds, Error};
    fn part(api: ApiResource, state: WatchState, narrowed: Option<Narrowed>) -> Part {
        Part {
            api,
            state: Signal::stored(state),
            narrowed: Signal::stored(narrowed),
        }
    }
    fn refused(resource: &str, group: &str) -> Error {
        let body = format!(
            r#"{{"kind":"Status","code":403,"reason":"Forbidden","message":"{resource} is forbidden: User \"gitlab:user:ada\" cannot list resource \"{resource}\" in API group \"{group}\" at the cluster scope"}}"#
        );
        Error::from_response(403, &[], body.as_bytes())
    }
    fn retrying(error: Error) -> WatchState {
        WatchState::Retrying {
            error,
            delay: std::time::Duration::from_secs(30),
            stale_since: 1_795_585_091_000.0,
            attempt: 2,
        }
    }
    vec![
        Story {
            component: "coverage",
            state: "gaps",
            render: || {
                let parts = vec![
                    part(
                        kinds::KUSTOMIZATION,
                        WatchState::Live,
                        Some(Narrowed {
                            namespaces: vec!["flux-system".into(), HOSTILE.into()],
                            because: refused(
                                "kustomizations.kustomize.toolkit.fluxcd.io",
                                "kustomize.toolkit.fluxcd.io",
                            )
                            .to_string(),
                        }),
                    ),
                    part(
                        kinds::HELM_REPOSITORY,
                        retrying(refused(
                            "helmrepositories.source.toolkit.fluxcd.io",
                            "source.toolkit.fluxcd.io",
                        )),
                        None,
                    ),
                    part(kinds::HELM_RELEASE, WatchState::Listing, None),
                    part(kinds::GIT_REPOSITORY, WatchState::Waiting, None),
                ];
                view! { <Coverage parts=parts on_namespaces=Callback::new(|_: String| {}) /> }
                    .into_any()
            },
        },
        Story {
            component: "coverage",
            state: "complete",
            render: || {
                let parts = vec![part(kinds::POD, WatchState::Live, None)];
                view! { <Coverage parts=parts /> <p>"Nothing is missing: no notes above."</p> }
                    .into_any()
            },
        },
    ]
}
