//! Fault injection for tests (`POST /_dev/faults`): on watches and list/watch requests, chosen by
//! kind and resource or at random with a seed, counted, and reported.
//!
//! Request faults answer a list or watch request instead of the API: `too-many-requests` (429 with
//! `Retry-After`), `server-error` (500), `unavailable` (503), `expired` (410 on a watch with a
//! resourceVersion). Stream faults act on one watch event: `drop` (cut the connection mid-line),
//! `expired` (an `ERROR` 410 event, then the end), `split` (the line in three chunks at odd
//! offsets), `stall` (a pause before it), `duplicate` (sent twice). `late-initial-events-end`
//! holds a streaming list's initial-events-end bookmark back for `stallMs`, as a real API server
//! does until etcd's next progress notification.

use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Mutex;

/// One kind of fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// Cut the connection in the middle of an event line.
    Drop,
    /// 410 Expired (HTTP on a watch request, or an ERROR event in the stream).
    Expired,
    /// 429 with `Retry-After`.
    TooManyRequests,
    /// 500.
    ServerError,
    /// 503.
    Unavailable,
    /// Send an event line in three chunks at odd offsets.
    Split,
    /// Pause before an event.
    Stall,
    /// Send an event twice.
    Duplicate,
    /// Hold back the bookmark that ends a streaming list's initial events (`stallMs`).
    LateInitialEventsEnd,
}

impl Fault {
    fn on_request(self) -> bool {
        matches!(
            self,
            Fault::TooManyRequests | Fault::ServerError | Fault::Unavailable | Fault::Expired
        )
    }
    fn on_event(self) -> bool {
        matches!(
            self,
            Fault::Drop | Fault::Expired | Fault::Split | Fault::Stall | Fault::Duplicate
        )
    }
}

/// What `/_dev/faults` takes.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FaultConfig {
    /// Which faults may be injected.
    pub kinds: Vec<Fault>,
    /// Probability per opportunity (request or event), 0–1.
    pub rate: f64,
    /// Seed of the random choices.
    pub seed: u64,
    /// Stop after this many faults.
    pub count: Option<usize>,
    /// Only watches and requests of this resource plural (e.g. `pods`).
    pub resource: Option<String>,
    /// `Retry-After` seconds of 429s.
    pub retry_after: u64,
    /// Length of stalls, in milliseconds.
    pub stall_ms: u64,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            kinds: vec![],
            rate: 0.0,
            seed: 1,
            count: None,
            resource: None,
            retry_after: 1,
            stall_ms: 1500,
        }
    }
}

#[derive(Default)]
struct State {
    config: Option<FaultConfig>,
    rng: u64,
    /// Faults injected under the current configuration.
    total: usize,
    /// Faults not yet reported.
    injected: Vec<String>,
}

/// The fault injector shared by the API and the watch streams.
#[derive(Default)]
pub struct Faults(Mutex<State>);

impl std::fmt::Debug for Faults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let active = self.0.lock().map(|s| s.config.is_some()).unwrap_or(false);
        f.debug_struct("Faults").field("active", &active).finish()
    }
}

impl Faults {
    /// Replaces the configuration (an empty `kinds` list turns injection off); keeps the report.
    pub fn configure(&self, config: FaultConfig) {
        if let Ok(mut st) = self.0.lock() {
            st.rng = config.seed | 1;
            st.total = 0;
            st.config = (!config.kinds.is_empty() && config.rate > 0.0).then_some(config);
        }
    }

    /// Every fault injected so far, and clears the list.
    pub fn take_report(&self) -> Vec<String> {
        self.0
            .lock()
            .map(|mut st| std::mem::take(&mut st.injected))
            .unwrap_or_default()
    }

    /// `Retry-After` and stall settings.
    pub fn timings(&self) -> (u64, u64) {
        self.0
            .lock()
            .ok()
            .and_then(|st| st.config.as_ref().map(|c| (c.retry_after, c.stall_ms)))
            .unwrap_or((1, 1500))
    }

    fn pick(&self, resource: &str, what: &str, allowed: impl Fn(Fault) -> bool) -> Option<Fault> {
        let mut st = self.0.lock().ok()?;
        let config = st.config.clone()?;
        if config.resource.as_deref().is_some_and(|r| r != resource)
            || config.count.is_some_and(|c| st.total >= c)
        {
            return None;
        }
        let kinds: Vec<Fault> = config
            .kinds
            .iter()
            .copied()
            .filter(|k| allowed(*k))
            .collect();
        if kinds.is_empty() {
            return None;
        }
        st.rng ^= st.rng << 13;
        st.rng ^= st.rng >> 7;
        st.rng ^= st.rng << 17;
        let roll = (st.rng >> 11) as f64 / (1u64 << 53) as f64;
        if roll >= config.rate {
            return None;
        }
        let fault = kinds[(st.rng % kinds.len() as u64) as usize];
        st.total += 1;
        st.injected.push(format!("{fault:?} on {what}"));
        Some(fault)
    }

    /// A fault to answer a list/watch request with, if one is due.
    pub fn for_request(
        &self,
        resource: &str,
        what: &str,
        is_resuming_watch: bool,
    ) -> Option<Fault> {
        self.pick(resource, what, |f| {
            f.on_request() && (f != Fault::Expired || is_resuming_watch)
        })
    }

    /// Whether to hold back this streaming list's initial-events-end bookmark.
    pub fn late_initial_events_end(&self, resource: &str, what: &str) -> bool {
        self.pick(resource, what, |f| f == Fault::LateInitialEventsEnd)
            .is_some()
    }

    /// A fault to apply to one watch event, if one is due.
    pub fn for_event(&self, resource: &str, what: &str) -> Option<Fault> {
        self.pick(resource, what, Fault::on_event)
    }
}

/// The `Status` body of a request fault.
pub fn status_of(fault: Fault) -> (u16, Value) {
    let (code, reason, message) = match fault {
        Fault::TooManyRequests => (429, "TooManyRequests", "storage is (re)initializing"),
        Fault::ServerError => (
            500,
            "InternalError",
            "Internal error occurred: injected by lookout-dev",
        ),
        Fault::Expired => (
            410,
            "Expired",
            "too old resource version (injected by lookout-dev)",
        ),
        _ => (
            503,
            "ServiceUnavailable",
            "the server is currently unable to handle the request (injected by lookout-dev)",
        ),
    };
    (
        code,
        json!({ "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message, "reason": reason, "code": code }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_rates_kinds_scope_and_count() {
        let f = Faults::default();
        assert_eq!(f.for_event("pods", "x"), None, "off by default");
        f.configure(FaultConfig {
            kinds: vec![Fault::Drop, Fault::TooManyRequests],
            rate: 1.0,
            count: Some(3),
            resource: Some("pods".into()),
            ..FaultConfig::default()
        });
        assert_eq!(f.for_event("pods", "watch pods"), Some(Fault::Drop));
        assert_eq!(
            f.for_request("pods", "list pods", false),
            Some(Fault::TooManyRequests)
        );
        assert_eq!(
            f.for_event("namespaces", "watch ns"),
            None,
            "other resources are spared"
        );
        assert!(f.for_event("pods", "w").is_some());
        assert_eq!(f.for_event("pods", "w"), None, "count reached");
        assert_eq!(
            f.take_report(),
            [
                "Drop on watch pods",
                "TooManyRequests on list pods",
                "Drop on w"
            ]
        );

        let a = Faults::default();
        a.configure(FaultConfig {
            kinds: vec![Fault::Split],
            rate: 0.3,
            seed: 9,
            ..FaultConfig::default()
        });
        let b = Faults::default();
        b.configure(FaultConfig {
            kinds: vec![Fault::Split],
            rate: 0.3,
            seed: 9,
            ..FaultConfig::default()
        });
        let run = |f: &Faults| {
            (0..100)
                .map(|_| f.for_event("pods", "e").is_some())
                .collect::<Vec<_>>()
        };
        let (ra, rb) = (run(&a), run(&b));
        assert_eq!(ra, rb, "same seed, same faults");
        let hits = ra.iter().filter(|h| **h).count();
        assert!((15..=45).contains(&hits), "{hits} of 100 at rate 0.3");
    }
}
