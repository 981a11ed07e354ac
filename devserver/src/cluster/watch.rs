//! Watch streams of the simulated cluster: JSON lines of ADDED/MODIFIED/DELETED/BOOKMARK/ERROR,
//! resumable from any resourceVersion still in the history window.

use super::stored::Stored;
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

/// A chunk of the response body; an `Err` cuts the connection without a clean end.
pub type BodyChunk = Result<Bytes, std::io::Error>;

impl WatchSpec {
    fn selects(&self, obj: &Stored) -> bool {
        self.namespace
            .as_deref()
            .is_none_or(|want| !self.def.namespaced || want == obj.namespace())
            && obj.selected_by(&self.labels, &self.fields)
    }

    /// The event this watch sees for a change, if any: an object that starts or stops matching the
    /// selectors is seen as ADDED or DELETED, as the API server's watch cache does — one that stops
    /// matching is DELETED with its previous content at the change's resourceVersion (the
    /// cacher's `convertToWatchEvent`), so a client never sees state its selector excludes.
    fn event_for(&self, change: &Change) -> Option<(&'static str, Arc<Stored>)> {
        if !change.def.same_resource(self.def) {
            return None;
        }
        let now = self.selects(&change.object);
        let before = change.prev.as_ref().is_some_and(|p| self.selects(p));
        let kind = match change.kind {
            ChangeKind::Added => now.then_some(ChangeKind::Added),
            ChangeKind::Deleted => before.then_some(ChangeKind::Deleted),
            ChangeKind::Modified => match (before, now, &change.prev) {
                (true, true, _) => Some(ChangeKind::Modified),
                (false, true, _) => Some(ChangeKind::Added),
                (true, false, Some(prev)) => {
                    let gone = prev.at_resource_version(change.rv);
                    return Some((ChangeKind::Deleted.as_str(), Arc::new(gone)));
                }
                _ => None,
            },
        }?;
        Some((kind.as_str(), change.object.clone()))
    }

    /// Appends an event line; in Table mode the object becomes a one-row Table.
    fn write_event(&self, kind: &str, obj: &Stored, first: &mut bool, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"type\":\"");
        out.extend_from_slice(kind.as_bytes());
        out.extend_from_slice(b"\",\"object\":");
        match self.table {
            None if self.metadata_only => obj.write_metadata_only(out),
            None => obj.write_as(self.def, out),
            Some(include) => {
                let value = super::in_version(self.def, &obj.value()).into_owned();
                let obj = &value;
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
                // Writing a `Value` into a Vec cannot fail.
                let _ = serde_json::to_writer(&mut *out, &t);
            }
        }
        out.extend_from_slice(b"}\n");
    }

    /// One event line.
    fn event_line(&self, kind: &str, obj: &Stored, first: &mut bool) -> Bytes {
        let mut out = Vec::with_capacity(obj.json_len() + 32);
        self.write_event(kind, obj, first, &mut out);
        Bytes::from(out)
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

/// How many bytes of backlog events (initial ADDED events, or the changes a resumed watch
/// missed) go out in one body chunk, at least.
const BACKLOG_CHUNK: usize = 64 * 1024;

/// How many chunks a watch's response holds that its client has not read yet.
const WATCH_BUFFER: usize = 64;

/// How long a live event waits for room in a full watch buffer. A watcher that has not read for
/// that long is dropped as a real API server's watch cache drops an unresponsive watcher: its
/// stream ends (after what is buffered), the memory it held goes, the other watchers never wait.
const UNRESPONSIVE_AFTER: Duration = Duration::from_secs(2);

/// Sends a live chunk: `false` once the client is gone or has been [`UNRESPONSIVE_AFTER`].
async fn deliver(tx: &mpsc::Sender<BodyChunk>, chunk: BodyChunk) -> bool {
    match tx.try_send(chunk) {
        Ok(()) => true,
        Err(mpsc::error::TrySendError::Full(chunk)) => matches!(
            tokio::time::timeout(UNRESPONSIVE_AFTER, tx.send(chunk)).await,
            Ok(Ok(()))
        ),
        Err(mpsc::error::TrySendError::Closed(_)) => false,
    }
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
    let send = |chunk: Bytes| deliver(tx, Ok(chunk));
    match fault {
        None => send(event).await,
        Some(Fault::Drop) => {
            let _ = send(event.slice(..event.len() / 2)).await;
            let dropped = std::io::Error::other("connection dropped mid-line (injected)");
            let _ = deliver(tx, Err(dropped)).await;
            false
        }
        Some(Fault::Expired) => {
            let gone = ApiError::expired(format!("too old resource version: {rv} (injected)"));
            let _ = send(line("ERROR", &gone.to_status())).await;
            false
        }
        Some(Fault::Split) => {
            let (a, b) = ((event.len() / 3) | 1, (2 * event.len() / 3) | 1);
            send(event.slice(..a)).await
                && send(event.slice(a..b.min(event.len()))).await
                && send(event.slice(b.min(event.len())..)).await
        }
        Some(Fault::Stall) => {
            tokio::time::sleep(Duration::from_millis(spec.faults.timings().1)).await;
            send(event).await
        }
        Some(Fault::Duplicate) => send(event.clone()).await && send(event).await,
        Some(_) => send(event).await,
    }
}

impl Cluster {
    /// Starts a watch; the returned channel yields the response body.
    pub fn watch(self: &Arc<Self>, spec: WatchSpec) -> mpsc::Receiver<BodyChunk> {
        let (tx, rx) = mpsc::channel(WATCH_BUFFER);
        // Under the lock the events are only picked (the objects shared, not copied); the
        // stream's task writes them.
        let mut backlog: Vec<(&'static str, Arc<Stored>)> = Vec::new();
        let mut initial_end = false;
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
                    let (group, plural) = spec.def.storage();
                    let from = (group, plural, String::new(), String::new());
                    backlog.extend(
                        st.objects
                            .range(from..)
                            .take_while(|(k, _)| (k.0, k.1) == (group, plural))
                            .filter(|(_, obj)| spec.selects(obj))
                            .map(|(_, obj)| ("ADDED", obj.clone())),
                    );
                    initial_end = spec.initial_events_end && !late_end;
                    (live, drops, st.rv)
                }
                WatchStart::After(rv) if rv < st.floor => {
                    let gone =
                        ApiError::expired(format!("too old resource version: {rv} ({})", st.rv));
                    let error = line("ERROR", &gone.to_status());
                    drop(st);
                    tokio::spawn(async move {
                        let _ = tx.send(Ok(error)).await;
                    });
                    return rx;
                }
                WatchStart::After(rv) => {
                    for change in st.history.iter().filter(|c| c.rv > rv) {
                        if let Some(event) = spec.event_for(change) {
                            backlog.push(event);
                        }
                    }
                    (live, drops, st.rv.max(rv))
                }
            }
        };
        let open = Gauge::new(self.open_watches.clone());
        tokio::spawn(async move {
            let _open = open;
            let mut first = true;
            // The backlog goes out in chunks of many lines (a streaming list of 100,000 objects
            // is ~1,500 chunks, not 100,000); faults apply to live events only. A client that
            // stops reading is dropped here too, rather than holding the snapshot's objects.
            let mut chunk = Vec::with_capacity(BACKLOG_CHUNK + 4096);
            for (kind, obj) in backlog {
                spec.write_event(kind, &obj, &mut first, &mut chunk);
                if chunk.len() >= BACKLOG_CHUNK {
                    let full =
                        std::mem::replace(&mut chunk, Vec::with_capacity(BACKLOG_CHUNK + 4096));
                    if !deliver(&tx, Ok(Bytes::from(full))).await {
                        return;
                    }
                }
            }
            if initial_end {
                chunk.extend_from_slice(&spec.bookmark(start_rv, true));
            }
            if !chunk.is_empty() && !deliver(&tx, Ok(Bytes::from(chunk))).await {
                return;
            }
            if late_end {
                tokio::time::sleep(Duration::from_millis(spec.faults.timings().1)).await;
                if !deliver(&tx, Ok(spec.bookmark(start_rv, true))).await {
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
                                let line = spec.event_line(kind, &obj, &mut first);
                                if !send_with_faults(&spec, &tx, line, change.rv).await {
                                    return;
                                }
                            }
                        }
                        Ok(_) => {}
                        // Fell behind the changes kept for watches: dropped as the watch cache
                        // drops it (the stream ends; the client resumes from its last RV).
                        Err(broadcast::error::RecvError::Lagged(_)) => return,
                        Err(broadcast::error::RecvError::Closed) => return,
                    },
                    _ = sleep_until(next_bookmark), if spec.bookmarks && next_bookmark > started => {
                        if !deliver(&tx, Ok(spec.bookmark(last_rv, false))).await {
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
                        let dropped = std::io::Error::other("connection dropped by /_dev/drop-watches");
                        let _ = deliver(&tx, Err(dropped)).await;
                        return;
                    }
                    _ = tx.closed() => return,
                }
            }
        });
        rx
    }
}
