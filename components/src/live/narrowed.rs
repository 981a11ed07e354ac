//! Collections refused cluster-wide (403) shown for the namespaces the user can read instead.

use leptos::prelude::*;
use lookout_client::WatchState;

/// A collection shown for some namespaces only: the API server refused the cluster-wide list.
#[derive(Debug, Clone, PartialEq)]
pub struct Narrowed {
    /// The namespaces shown instead (from [`set_readable_namespaces`]).
    pub namespaces: Vec<String>,
    /// The server's refusal of the cluster-wide list.
    pub because: String,
}

thread_local! {
    /// Namespaces the user can read, for collections refused cluster-wide.
    static READABLE: ArcRwSignal<Vec<String>> = ArcRwSignal::new(Vec::new());
}

/// Names the namespaces the user can read (e.g. from the URL). A collection of all namespaces
/// that the API server refuses (403: no cluster-wide list) then shows these namespaces instead,
/// one watch each, as a user with a Role in a few namespaces expects.
pub fn set_readable_namespaces(mut namespaces: Vec<String>) {
    namespaces.retain(|n| !n.is_empty());
    namespaces.sort();
    namespaces.dedup();
    READABLE.with(|r| {
        if r.get_untracked() != namespaces {
            r.set(namespaces);
        }
    });
}

/// The namespaces named by [`set_readable_namespaces`].
pub fn readable_namespaces() -> Vec<String> {
    READABLE.with(|r| r.get())
}

/// The combined state of several collections: the first trouble, else still listing, else
/// waiting, else live.
pub(crate) fn combined(states: impl Iterator<Item = WatchState>) -> WatchState {
    let mut all = WatchState::Live;
    for state in states {
        match (&state, &all) {
            (WatchState::Retrying { .. }, _) => return state,
            (WatchState::Listing, _) | (WatchState::Waiting, WatchState::Live) => all = state,
            _ => {}
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use lookout_client::Error;
    use std::time::Duration;

    #[test]
    fn the_combined_state_is_the_worst_one() {
        use WatchState::{Listing, Live, Waiting};
        let trouble = WatchState::Retrying {
            error: Error::Decode("bad line".into()),
            delay: Duration::from_secs(1),
            stale_since: 0.0,
            attempt: 1,
        };
        assert_eq!(combined([Live, Live].into_iter()), Live);
        assert_eq!(combined([Live, Waiting].into_iter()), Waiting);
        assert_eq!(combined([Waiting, Listing, Live].into_iter()), Listing);
        assert_eq!(
            combined([Listing, trouble.clone(), Live].into_iter()),
            trouble
        );
        assert_eq!(combined(std::iter::empty()), Live);
    }

    #[test]
    fn readable_namespaces_are_named_once_each() {
        set_readable_namespaces(vec!["b".into(), "".into(), "a".into(), "b".into()]);
        assert_eq!(readable_namespaces(), ["a", "b"]);
    }
}
