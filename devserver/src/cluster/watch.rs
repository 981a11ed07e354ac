//! Watch streams of the simulated cluster: JSON lines of ADDED/MODIFIED/DELETED/BOOKMARK/ERROR,
//! resumable from any resourceVersion still in the history window.

use super::{Change, ChangeKind, Cluster};
use crate::faults::{Fault, Faults};
use crate::http::status::ApiError;
use crate::resources::table::{self, Include};
use crate::resources::ResourceDef;
use axum::body::Bytes;
use lookout_client::api::selector::{FieldSelector, LabelSelector};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio::time::{sleep_until, Instant};

/// Where a watch starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchStart {
    /// `resourceVersion` unset or `0`: synthetic ADDED events for the current state, then changes.
    Now,
    /// Changes after this resourceVersion.
    After(u64),
}

/// A watch request, parsed.
#[derive(Debug)]
pub struct WatchSpec {
    /// The kind watched.
    pub def: &'static ResourceDef,
    /// One namespace, or all.
    pub namespace: Option<String>,
    /// `labelSelector`.
    pub labels: LabelSelector,
    /// `fieldSelector`.
    pub fields: FieldSelector,
    /// Start point.
    pub start: WatchStart,
    /// `allowWatchBookmarks`.
    pub bookmarks: bool,
    /// When the server ends the stream (`timeoutSeconds`).
    pub timeout: Duration,
    /// How often a quiet watch gets a bookmark.
    pub bookmark_interval: Duration,
    /// A streaming list: mark the end of the initial ADDED events with an annotated bookmark.
    pub initial_events_end: bool,
    /// Send each object as a one-row `Table` (column definitions in the first event only).
    pub table: Option<Include>,
    /// Faults to inject into this stream's events.
    pub faults: Arc<Faults>,
    /// Send objects as `PartialObjectMetadata` (metadata only).
    pub metadata_only: bool,
}

/// An object as `PartialObjectMetadata`: kind, apiVersion and metadata only.
pub fn partial_metadata(obj: &Value) -> Value {
    json!({ "kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj["metadata"] })
}

/// A chunk of the response body; an `Err` cuts the connection without a clean end.
pub type BodyChunk = Result<Bytes, std::io::Error>;

impl WatchSpec {
    fn selects(&self, obj: &Value) -> bool {
        let ns = obj["metadata"]["namespace"].as_str().unwrap_or("");
        self.namespace
            .as_deref()
            .is_none_or(|want| !self.def.namespaced || want == ns)
            && self.labels.matches(obj)
            && self.fields.matches(obj)
    }

    /// The event this watch sees for a change, if any: an object that starts or stops matching the
    /// selectors is seen as ADDED or DELETED, as the API server's watch cache does.
    fn event_for<'a>(&self, change: &'a Change) -> Option<(&'static str, &'a Value)> {
        if !change.def.same_resource(self.def) {
            return None;
        }
        let now = self.selects(&change.object);
        let before = change.prev.as_ref().is_some_and(|p| self.selects(p));
        let kind = match change.kind {
            ChangeKind::Added => now.then_some(ChangeKind::Added),
            ChangeKind::Deleted => before.then_some(ChangeKind::Deleted),
            ChangeKind::Modified => match (before, now) {
                (true, true) => Some(ChangeKind::Modified),
                (false, true) => Some(ChangeKind::Added),
                (true, false) => Some(ChangeKind::Deleted),
                (false, false) => None,
            },
        }?;
        Some((kind.as_str(), &change.object))
    }

    /// An event line; in Table mode the object becomes a one-row Table.
    fn event_line(&self, kind: &str, obj: &Value, first: &mut bool) -> Bytes {
        let obj = &*super::in_version(self.def, obj);
        match self.table {
            None if self.metadata_only => line(kind, &partial_metadata(obj)),
            None => line(kind, obj),
            Some(include) => {
                let rv = obj["metadata"]["resourceVersion"].as_str().unwrap_or("");
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs() as i64)
                    .unwrap_or(0);
                let t = table::table(
                    self.def,
                    std::slice::from_ref(obj),
                    rv,
                    None,
                    now,
                    include,
                    *first,
                );
                *first = false;
                line(kind, &t)
            }
        }
    }

    fn bookmark(&self, rv: u64, initial_events_end: bool) -> Bytes {
        let mut metadata = json!({ "resourceVersion": rv.to_string() });
        if initial_events_end {
            metadata["annotations"] = json!({ "k8s.io/initial-events-end": "true" });
        }
        line(
            "BOOKMARK",
            &json!({ "kind": self.def.kind, "apiVersion": self.def.api_version(), "metadata": metadata }),
        )
    }
}

/// One event line, `type` first as the API server writes it.
fn line(kind: &str, object: &Value) -> Bytes {
    let mut out = format!("{{\"type\":\"{kind}\",\"object\":").into_bytes();
    // Writing a `Value` into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut out, object);
    out.extend_from_slice(b"}\n");
    Bytes::from(out)
}

/// Counts something (a watch stream, a socket) as open for as long as it lives.
pub struct Gauge(Arc<AtomicUsize>);

impl Gauge {
    /// Increments `counter` until dropped.
    pub fn new(counter: Arc<AtomicUsize>) -> Self {
        counter.fetch_add(1, Ordering::SeqCst);
        Gauge(counter)
    }
}

impl Drop for Gauge {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Sends one event line, applying a fault if one is due. `false` when the stream is over.
async fn send_with_faults(
    spec: &WatchSpec,
    tx: &mpsc::Sender<BodyChunk>,
    event: Bytes,
    rv: u64,
) -> bool {
    let what = format!("watch {} at rv {rv}", spec.def.plural);
    let fault = spec.faults.for_event(spec.def.plural, &what);
    let send = |chunk: Bytes| tx.send(Ok(chunk));
    match fault {
        None => send(event).await.is_ok(),
        Some(Fault::Drop) => {
            let _ = send(event.slice(..event.len() / 2)).await;
            let _ = tx
                .send(Err(std::io::Error::other(
                    "connection dropped mid-line (injected)",
                )))
                .await;
            false
        }
        Some(Fault::Expired) => {
            let gone = ApiError::expired(format!("too old resource version: {rv} (injected)"));
            let _ = send(line("ERROR", &gone.to_status())).await;
            false
        }
        Some(Fault::Split) => {
            let (a, b) = ((event.len() / 3) | 1, (2 * event.len() / 3) | 1);
            send(event.slice(..a)).await.is_ok()
                && send(event.slice(a..b.min(event.len()))).await.is_ok()
                && send(event.slice(b.min(event.len())..)).await.is_ok()
        }
        Some(Fault::Stall) => {
            tokio::time::sleep(Duration::from_millis(spec.faults.timings().1)).await;
            send(event).await.is_ok()
        }
        Some(Fault::Duplicate) => send(event.clone()).await.is_ok() && send(event).await.is_ok(),
        Some(_) => send(event).await.is_ok(),
    }
}

impl Cluster {
    /// Starts a watch; the returned channel yields the response body.
    pub fn watch(self: &Arc<Self>, spec: WatchSpec) -> mpsc::Receiver<BodyChunk> {
        let (tx, rx) = mpsc::channel(1024);
        let mut backlog = Vec::new();
        let mut first = true;
        let late_end = spec.initial_events_end
            && spec.start == WatchStart::Now
            && spec.faults.late_initial_events_end(
                spec.def.plural,
                &format!("streaming list of {}", spec.def.plural),
            );
        let (mut live, mut drops, start_rv) = {
            let st = self.lock();
            let live = self.changes.subscribe();
            let drops = self.drops.subscribe();
            match spec.start {
                WatchStart::Now => {
                    for obj in st
                        .objects
                        .iter()
                        .filter(|(k, _)| (k.0, k.1) == spec.def.storage())
                        .map(|(_, v)| v)
                    {
                        if spec.selects(obj) {
                            backlog.push(spec.event_line("ADDED", obj, &mut first));
                        }
                    }
                    if spec.initial_events_end && !late_end {
                        backlog.push(spec.bookmark(st.rv, true));
                    }
                    (live, drops, st.rv)
                }
                WatchStart::After(rv) if rv < st.floor => {
                    let gone =
                        ApiError::expired(format!("too old resource version: {rv} ({})", st.rv));
                    backlog.push(line("ERROR", &gone.to_status()));
                    drop(st);
                    tokio::spawn(async move {
                        for chunk in backlog {
                            let _ = tx.send(Ok(chunk)).await;
                        }
                    });
                    return rx;
                }
                WatchStart::After(rv) => {
                    for change in st.history.iter().filter(|c| c.rv > rv) {
                        if let Some((kind, obj)) = spec.event_for(change) {
                            backlog.push(spec.event_line(kind, obj, &mut first));
                        }
                    }
                    (live, drops, st.rv.max(rv))
                }
            }
        };
        let open = Gauge::new(self.open_watches.clone());
        tokio::spawn(async move {
            let _open = open;
            for chunk in backlog {
                if tx.send(Ok(chunk)).await.is_err() {
                    return;
                }
            }
            if late_end {
                tokio::time::sleep(Duration::from_millis(spec.faults.timings().1)).await;
                if tx.send(Ok(spec.bookmark(start_rv, true))).await.is_err() {
                    return;
                }
            }
            let mut last_rv = start_rv;
            let started = Instant::now();
            let deadline = started + spec.timeout;
            // Like the watch cache: a last bookmark shortly (2 s) before the deadline.
            let final_bookmark = deadline - Duration::from_secs(2).min(spec.timeout / 2);
            let mut next_bookmark = (started + spec.bookmark_interval).min(final_bookmark);
            loop {
                tokio::select! {
                    received = live.recv() => match received {
                        Ok(change) if change.rv > last_rv => {
                            last_rv = change.rv;
                            if let Some((kind, obj)) = spec.event_for(&change) {
                                let line = spec.event_line(kind, obj, &mut first);
                                if !send_with_faults(&spec, &tx, line, change.rv).await {
                                    return;
                                }
                            }
                        }
                        Ok(_) => {}
                        Err(broadcast::error::RecvError::Lagged(_)) => {
                            // Too slow to keep up: cut the stream; the client resumes from its last RV.
                            let _ = tx.send(Err(std::io::Error::other("watch consumer lagged"))).await;
                            return;
                        }
                        Err(broadcast::error::RecvError::Closed) => return,
                    },
                    _ = sleep_until(next_bookmark), if spec.bookmarks && next_bookmark > started => {
                        if tx.send(Ok(spec.bookmark(last_rv, false))).await.is_err() {
                            return;
                        }
                        let now = Instant::now();
                        next_bookmark = if now < final_bookmark {
                            (now + spec.bookmark_interval).min(final_bookmark)
                        } else {
                            started
                        };
                    }
                    _ = sleep_until(deadline) => return,
                    _ = drops.recv() => {
                        let _ = tx.send(Err(std::io::Error::other("connection dropped by /_dev/drop-watches"))).await;
                        return;
                    }
                    _ = tx.closed() => return,
                }
            }
        });
        rx
    }
}
