//! What the workload summary could not count yet, one note per kind: still loading, waiting for
//! a live connection, or unreadable (the server's reason names the verb, resource and namespace),
//! so no summary is read as complete when it is not.

use lookout_client::{ErrorKind, WatchState};

/// The note for a kind (plural `label`) whose watch is in `state`: its `data-gap` name and text;
/// `None` when the kind is fully counted.
pub fn gap(state: &WatchState, label: &str) -> Option<(&'static str, String)> {
    match state {
        WatchState::Retrying { error, .. }
            if matches!(error.kind(), ErrorKind::Forbidden | ErrorKind::NotFound) =>
        {
            Some(("unreadable", format!("Cannot read {label}: {error}")))
        }
        WatchState::Listing => Some(("loading", format!("Waiting for {label}…"))),
        WatchState::Waiting => Some((
            "waiting",
            format!("{label} listed; live updates wait for a free connection."),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::gap;
    use lookout_client::{Error, WatchState};
    use std::time::Duration;

    fn retrying(code: u16, body: &[u8]) -> WatchState {
        WatchState::Retrying {
            error: Error::from_response(code, &[], body),
            delay: Duration::from_secs(8),
            stale_since: 1.0e12,
            attempt: 1,
        }
    }

    #[test]
    fn a_refused_kind_says_why_and_a_loading_one_says_it_waits() {
        let refused = retrying(
            403,
            br#"{"kind":"Status","code":403,"reason":"Forbidden","message":"jobs.batch is forbidden: User \"ada\" cannot list resource \"jobs\""}"#,
        );
        let (kind, text) = gap(&refused, "Jobs").expect("a refusal is a gap");
        assert_eq!(kind, "unreadable");
        assert!(text.starts_with("Cannot read Jobs: "), "{text}");
        assert!(text.contains("cannot list resource"), "{text}");
        assert_eq!(
            gap(&WatchState::Listing, "Jobs"),
            Some(("loading", "Waiting for Jobs…".to_owned()))
        );
        assert_eq!(
            gap(&WatchState::Waiting, "Jobs").map(|g| g.0),
            Some("waiting")
        );
    }

    #[test]
    fn a_live_kind_or_a_passing_outage_leaves_no_note() {
        assert_eq!(gap(&WatchState::Live, "Jobs"), None);
        // Unreachable for a moment: the counts shown are stale, not missing.
        assert_eq!(gap(&retrying(503, b"upstream reset"), "Jobs"), None);
    }
}
