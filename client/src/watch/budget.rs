//! The HTTP budget: over plain HTTP/1.1 a page holds ~6 connections per origin, so at most
//! [`HTTP_WATCH_BUDGET`] watch streams run at once and the others wait their turn in one
//! page-wide [`WatchGate`] (lists never wait). Multiplexed transports need no place.

use crate::WatchGate;

/// Watch streams a page may hold over HTTP/1.1: browsers allow ~6 connections per origin; one
/// stays free for ordinary requests and one for a log stream.
pub const HTTP_WATCH_BUDGET: usize = 4;

thread_local! {
    /// Places for watch streams over plain HTTP, shared by every watcher of the page.
    static HTTP_GATE: WatchGate = WatchGate::new(HTTP_WATCH_BUDGET);
}

/// The gate a watcher passes before streaming: the page's HTTP budget, or none for a transport
/// that multiplexes every watch over one connection.
pub fn gate_for(multiplexed: bool) -> Option<WatchGate> {
    (!multiplexed).then(|| HTTP_GATE.with(WatchGate::clone))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_budget_is_shared_and_multiplexed_watches_skip_it() {
        assert!(gate_for(true).is_none());
        let (a, b) = (gate_for(false), gate_for(false));
        let (Some(a), Some(b)) = (a, b) else {
            panic!("plain HTTP watches pass the gate");
        };
        let held: Vec<_> = (0..HTTP_WATCH_BUDGET)
            .filter_map(|_| a.try_enter())
            .collect();
        assert_eq!(held.len(), HTTP_WATCH_BUDGET);
        assert!(
            b.try_enter().is_none(),
            "the second handle sees the same places"
        );
        drop(held);
        assert!(b.try_enter().is_some());
    }
}
