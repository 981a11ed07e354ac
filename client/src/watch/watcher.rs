//! The list-then-watch state machine for one collection (kind + selector).
//!
//! 1. **Snapshot.** Preferably a streaming list (`sendInitialEvents=true`): one watch request that
//!    first sends every object, then a bookmark marking the end of the initial state, then changes.
//!    If the server rejects it (4xx) or never marks the end in time, fall back for good to a list,
//!    page by page (`limit`/`continue`; an expired continue token restarts the list). Either way the
//!    consumer gets the whole snapshot at once as [`WatcherEvent::Synced`] (no flash of empty rows),
//!    or, with [`WatcherConfig::progressive`], each page of a list as [`WatcherEvent::Page`] as it
//!    arrives and the last one as the `Synced` that completes the snapshot (large collections show
//!    their first rows while the rest is on its way).
//! 2. **Watch** from the snapshot's resourceVersion with bookmarks and a server timeout below common
//!    load-balancer idle limits. Every event and bookmark advances the resume point.
//! 3. When the stream **ends** (server timeout, dropped connection, client idle deadline), watch again
//!    from the last resourceVersion seen, after a back-off if it failed.
//! 4. When the resourceVersion has **expired** (HTTP 410, or an `ERROR` event with code 410 in a 200
//!    stream), go back to 1; the store turns the new snapshot into the exact difference.
//!
//! The watcher runs until its future is dropped; dropping it aborts the open request.

use crate::api::connection::{Connection, Method, Request};
use crate::api::error::Error;
use crate::api::lines::LineSplitter;
use crate::api::query::{Query, Selector};
use crate::api::resource::{ApiResource, Resource};
use crate::api::transport::Transport;
use crate::model::Str;
use crate::watch::backoff::Backoff;
use crate::watch::watch_event::{decode_event, decode_list, ObjectList, WatchEvent};
use crate::watch::watch_gate::{Permit, WatchGate};
use futures_util::future::{select, Either};
use futures_util::StreamExt;
use std::marker::PhantomData;
use std::rc::Rc;
use std::time::Duration;

/// What a watcher tells its consumer.
#[derive(Debug, Clone, PartialEq)]
pub enum WatcherEvent<T> {
    /// A complete, consistent snapshot (first list, or relist after expiry): replaces all state.
    /// After [`WatcherEvent::Page`]s it holds the list's last page, and the snapshot is those
    /// pages' objects and these.
    Synced(Vec<T>),
    /// A page of a list on its way (only with [`WatcherConfig::progressive`]): its objects are
    /// current, but the snapshot is complete only at the next `Synced`.
    Page {
        /// The page's objects.
        items: Vec<T>,
        /// The server's estimate of the objects still to come (`remainingItemCount`).
        remaining: Option<u64>,
        /// The first page of a list (a list restarted after its continue token expired starts
        /// over: objects of the earlier pages may be gone).
        first: bool,
    },
    /// An object was added or changed.
    Applied(T),
    /// An object was deleted.
    Deleted(T),
    /// The connection state changed.
    State(WatchState),
}

/// The health of a watch, for "live / reconnecting / stale since" indicators.
#[derive(Debug, Clone, PartialEq)]
pub enum WatchState {
    /// Listed, but live updates wait: the page already holds its budget of open watch streams
    /// (see [`WatchGate`]). What the consumer holds is the last list's.
    Waiting,
    /// Getting the initial snapshot.
    Listing,
    /// Watching: what the consumer holds is current.
    Live,
    /// The last attempt failed; the next one starts after `delay`. Data shown is stale.
    Retrying {
        /// Why the last attempt failed.
        error: Error,
        /// Wait before the next attempt.
        delay: Duration,
        /// When the data stopped being live (epoch milliseconds): the first failure in a row.
        stale_since: f64,
        /// Failed attempts in a row.
        attempt: u32,
    },
}

impl WatchState {
    /// A short name of the state (`waiting`, `loading`, `live`, `retrying`) and what to tell the
    /// user about it: for a retry, since when the data is stale, when the next attempt starts,
    /// and the error.
    pub fn summary(&self) -> (&'static str, String) {
        match self {
            WatchState::Waiting => (
                "waiting",
                "Listed; live updates wait for a free connection…".to_owned(),
            ),
            WatchState::Listing => ("loading", "Loading…".to_owned()),
            WatchState::Live => ("live", "Live".to_owned()),
            WatchState::Retrying {
                error,
                delay,
                stale_since,
                ..
            } => {
                let since = crate::model::time::format_rfc3339((stale_since / 1000.0) as i64);
                let clock = since.get(11..19).unwrap_or(&since).to_owned();
                (
                    "retrying",
                    format!(
                        "Stale since {clock} UTC — retrying in {} s — {error}",
                        delay.as_secs().max(1)
                    ),
                )
            }
        }
    }
}

/// Tunables of a watcher.
#[derive(Debug, Clone)]
pub struct WatcherConfig {
    /// Items per list page.
    pub page_size: u32,
    /// Server-side watch timeout; below the 240 s idle limits common in load balancers.
    pub timeout_seconds: u32,
    /// Silence after which a watch is presumed dead, beyond `timeout_seconds`.
    pub idle_grace: Duration,
    /// First retry delay.
    pub initial_backoff: Duration,
    /// Longest retry delay.
    pub max_backoff: Duration,
    /// Try streaming lists (`sendInitialEvents`) before paginated lists.
    pub streaming_list: bool,
    /// How long a streaming list may take to mark the end of its initial events.
    pub initial_events_timeout: Duration,
    /// Emit each page of a paginated list as [`WatcherEvent::Page`] as it arrives.
    pub progressive: bool,
}

impl Default for WatcherConfig {
    fn default() -> Self {
        WatcherConfig {
            page_size: 500,
            timeout_seconds: 200,
            idle_grace: Duration::from_secs(30),
            initial_backoff: Duration::from_millis(800),
            max_backoff: Duration::from_secs(30),
            streaming_list: true,
            initial_events_timeout: Duration::from_secs(10),
            progressive: false,
        }
    }
}

/// Lists and watches one collection of `T`. See the module docs for the protocol.
pub struct Watcher<T> {
    connection: Connection,
    api: ApiResource,
    transport: Rc<dyn Transport>,
    selector: Selector,
    config: WatcherConfig,
    gate: Option<WatchGate>,
    kind: PhantomData<T>,
}

/// A watch that ends this soon without delivering anything counts as a failure (no hot loop).
const MIN_HEALTHY_WATCH_MS: f64 = 1000.0;

/// Where one watch request stands.
struct Stream<T> {
    /// Resume point: the last resourceVersion seen (shares the last object's string: no copy per
    /// event).
    rv: Str,
    /// The streaming list's initial objects, until its end bookmark; `None` on plain watches.
    initial: Option<Vec<T>>,
    /// Events and bookmarks received on this request.
    delivered: usize,
}

/// Retry bookkeeping across attempts.
struct Health {
    backoff: Backoff,
    live: bool,
    stale_since: Option<f64>,
    attempt: u32,
}

impl<T: Resource> Watcher<T> {
    /// A watcher for the objects of `api` that `selector` picks.
    pub fn new(
        connection: Connection,
        transport: Rc<dyn Transport>,
        api: ApiResource,
        selector: Selector,
    ) -> Self {
        Watcher {
            connection,
            api,
            transport,
            selector,
            config: WatcherConfig::default(),
            gate: None,
            kind: PhantomData,
        }
    }

    /// Replaces the default tunables.
    pub fn with_config(mut self, config: WatcherConfig) -> Self {
        self.config = config;
        self
    }

    /// Makes every watch request of this watcher wait for a place in `gate` (lists do not).
    pub fn with_gate(mut self, gate: WatchGate) -> Self {
        self.gate = Some(gate);
        self
    }

    /// A place for one watch request: at once if the gate (if any) has one, else after reporting
    /// [`WatchState::Waiting`] and waiting for it.
    async fn pass_gate(
        &self,
        health: &mut Health,
        emit: &mut impl FnMut(WatcherEvent<T>),
    ) -> Option<Permit> {
        let gate = self.gate.as_ref()?;
        if let Some(permit) = gate.try_enter() {
            return Some(permit);
        }
        if health.live {
            health.live = false;
            emit(WatcherEvent::State(WatchState::Waiting));
        }
        Some(gate.enter().await)
    }

    /// Runs forever, reporting to `emit`; drop the future to stop (which aborts the request).
    pub async fn run(self, mut emit: impl FnMut(WatcherEvent<T>)) {
        // The clock alone would seed watches started in the same millisecond alike.
        static STARTED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let nth = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let seed = (self.transport.now_millis() as u64) ^ nth.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let mut health = Health {
            backoff: Backoff::new(self.config.initial_backoff, self.config.max_backoff, seed),
            live: false,
            stale_since: None,
            attempt: 0,
        };
        let mut streaming = self.config.streaming_list;
        emit(WatcherEvent::State(WatchState::Listing));
        loop {
            let mut stream = Stream {
                rv: Str::default(),
                initial: None,
                delivered: 0,
            };
            if streaming {
                stream.initial = Some(Vec::new());
                let permit = self.pass_gate(&mut health, &mut emit).await;
                let result = self.watch_once(&mut stream, &mut health, &mut emit).await;
                drop(permit);
                if stream.initial.is_some() {
                    // The snapshot never completed.
                    match result {
                        Err(e) if e.is_client_error() || matches!(e, Error::Timeout(_)) => {
                            streaming = false; // not supported here: use lists from now on
                        }
                        Err(e) => self.retry_after_error(e, &mut health, &mut emit).await,
                        Ok(()) => {
                            let e = Error::Decode(
                                "the streaming list ended before its initial events did".into(),
                            );
                            self.retry_after_error(e, &mut health, &mut emit).await;
                        }
                    }
                    continue;
                }
                if let Err(e) = result {
                    if e.is_expired() {
                        continue;
                    }
                    self.retry_after_error(e, &mut health, &mut emit).await;
                }
            } else {
                match self.list_all(&mut emit).await {
                    Ok((items, rv)) => {
                        stream.rv = rv.into();
                        emit(WatcherEvent::Synced(items));
                        self.mark_live(&mut health, &mut emit);
                    }
                    Err(error) => {
                        self.retry_after_error(error, &mut health, &mut emit).await;
                        continue;
                    }
                }
            }
            // Plain watches from the snapshot on, until the resourceVersion expires.
            loop {
                let started = self.transport.now_millis();
                stream.delivered = 0;
                let permit = self.pass_gate(&mut health, &mut emit).await;
                let result = self.watch_once(&mut stream, &mut health, &mut emit).await;
                drop(permit);
                if stream.delivered > 0 {
                    // The connection worked: the next failure starts the back-off over.
                    health.backoff.reset();
                }
                let quick = self.transport.now_millis() - started < MIN_HEALTHY_WATCH_MS;
                let error = match result {
                    Ok(()) if stream.delivered > 0 || !quick => continue,
                    Ok(()) => Error::Network("the watch ended as soon as it started".into()),
                    Err(e) if e.is_expired() => break,
                    Err(e) => e,
                };
                self.retry_after_error(error, &mut health, &mut emit).await;
            }
        }
    }

    fn mark_live(&self, health: &mut Health, emit: &mut impl FnMut(WatcherEvent<T>)) {
        if !health.live {
            health.live = true;
            health.stale_since = None;
            health.attempt = 0;
            emit(WatcherEvent::State(WatchState::Live));
        }
    }

    async fn retry_after_error(
        &self,
        error: Error,
        health: &mut Health,
        emit: &mut impl FnMut(WatcherEvent<T>),
    ) {
        let delay = health.backoff.next_delay(error.retry_after());
        health.live = false;
        health.attempt += 1;
        let stale_since = *health
            .stale_since
            .get_or_insert_with(|| self.transport.now_millis());
        emit(WatcherEvent::State(WatchState::Retrying {
            error,
            delay,
            stale_since,
            attempt: health.attempt,
        }));
        self.transport.sleep(delay).await;
    }

    /// A GET for `query`. Secrets are only ever asked for as metadata (`as=PartialObjectMetadata…`),
    /// so their values never reach the browser.
    fn request(&self, query: &Query, metadata_kind: &str) -> Request {
        let mut request = self.connection.request(Method::Get, &self.path(query));
        if self.api.group.is_empty() && self.api.kind == "Secret" {
            let accept = format!("application/json;as={metadata_kind};g=meta.k8s.io;v=v1");
            for (name, value) in &mut request.headers {
                if name.eq_ignore_ascii_case("accept") {
                    *value = accept.clone();
                }
            }
        }
        request
    }

    fn path(&self, query: &Query) -> String {
        let ns = self.selector.namespace.as_deref();
        format!("{}{}", self.api.collection_path(ns), query.as_str())
    }

    /// Lists all pages; returns the objects (with [`WatcherConfig::progressive`], those of the
    /// last page: the others went to `emit` as pages) and the snapshot's resourceVersion.
    async fn list_all(
        &self,
        emit: &mut impl FnMut(WatcherEvent<T>),
    ) -> Result<(Vec<T>, String), Error> {
        let mut items = Vec::new();
        let mut continue_token: Option<String> = None;
        let mut first = true;
        loop {
            let mut query = Query::for_selector(&self.selector);
            query.push("limit", &self.config.page_size.to_string());
            if let Some(token) = &continue_token {
                query.push("continue", token);
            }
            let request = self.request(&query, "PartialObjectMetadataList");
            let body = match self.transport.send(request).await?.success_bytes().await {
                Err(e) if e.is_expired() && continue_token.is_some() => {
                    // The snapshot behind the continue token is gone: start over.
                    items.clear();
                    continue_token = None;
                    first = true;
                    continue;
                }
                other => other?,
            };
            let page: ObjectList<T> = decode_list(&body)?;
            // List items carry no apiVersion/kind (watch events do); status rules need them.
            let api_version = self.api.api_version();
            items.extend(page.items.into_iter().map(|mut item| {
                item.set_type(&api_version, &self.api.kind);
                item
            }));
            match page.metadata.continue_token.filter(|t| !t.is_empty()) {
                Some(token) => {
                    if self.config.progressive {
                        emit(WatcherEvent::Page {
                            items: std::mem::take(&mut items),
                            remaining: page.metadata.remaining_item_count,
                            first,
                        });
                    }
                    first = false;
                    continue_token = Some(token);
                }
                None => {
                    if self.config.progressive && first {
                        // A list in one page is a new list too: the store forgets the pages of
                        // an attempt that failed before (it would keep their objects).
                        emit(WatcherEvent::Page {
                            items: Vec::new(),
                            remaining: None,
                            first: true,
                        });
                    }
                    return Ok((items, page.metadata.resource_version));
                }
            }
        }
    }

    /// One watch request. A streaming list (when `stream.initial` is set) gathers the initial
    /// objects and emits them as one snapshot at the end bookmark; a plain watch resumes from
    /// `stream.rv`. Every event advances `stream.rv`. `Ok` when the server ended the stream.
    async fn watch_once(
        &self,
        stream: &mut Stream<T>,
        health: &mut Health,
        emit: &mut impl FnMut(WatcherEvent<T>),
    ) -> Result<(), Error> {
        let mut query = Query::for_selector(&self.selector);
        query
            .push("watch", "true")
            .push("allowWatchBookmarks", "true");
        if stream.initial.is_some() {
            query
                .push("sendInitialEvents", "true")
                .push("resourceVersionMatch", "NotOlderThan");
        } else {
            query.push("resourceVersion", &stream.rv);
        }
        query.push("timeoutSeconds", &self.config.timeout_seconds.to_string());
        let request = self.request(&query, "PartialObjectMetadata");
        let response = self.transport.send(request).await?;
        if !response.is_success() {
            return response.success_bytes().await.map(drop);
        }
        if stream.initial.is_none() {
            self.mark_live(health, emit);
        }
        let watch_deadline =
            Duration::from_secs(self.config.timeout_seconds.into()) + self.config.idle_grace;
        let mut body = response.body;
        let mut lines = LineSplitter::new();
        loop {
            let idle = if stream.initial.is_some() {
                self.config.initial_events_timeout
            } else {
                watch_deadline
            };
            let chunk = match select(body.next(), self.transport.sleep(idle)).await {
                Either::Left((Some(chunk), _)) => chunk?,
                Either::Left((None, _)) => return Ok(()),
                Either::Right(_) if stream.initial.is_some() => {
                    return Err(Error::Timeout(format!(
                        "the streaming list did not finish its initial events within {} s",
                        idle.as_secs()
                    )))
                }
                Either::Right(_) => {
                    return Err(Error::Timeout(format!("no data for {} s", idle.as_secs())));
                }
            };
            lines.push(&chunk);
            while let Some(line) = lines.next_line()? {
                stream.delivered += 1;
                match decode_event::<T>(line)? {
                    WatchEvent::Added(obj) | WatchEvent::Modified(obj) => {
                        stream.rv = obj.meta().resource_version.clone();
                        match &mut stream.initial {
                            Some(initial) => initial.push(obj),
                            None => emit(WatcherEvent::Applied(obj)),
                        }
                    }
                    WatchEvent::Deleted(obj) => {
                        stream.rv = obj.meta().resource_version.clone();
                        match &mut stream.initial {
                            Some(initial) => initial.retain(|o| {
                                o.meta().name != obj.meta().name
                                    || o.meta().namespace != obj.meta().namespace
                            }),
                            None => emit(WatcherEvent::Deleted(obj)),
                        }
                    }
                    WatchEvent::Bookmark {
                        resource_version,
                        initial_events_end,
                    } => {
                        stream.rv = resource_version.into();
                        if initial_events_end {
                            if let Some(initial) = stream.initial.take() {
                                emit(WatcherEvent::Synced(initial));
                                self.mark_live(health, emit);
                            }
                        }
                    }
                    WatchEvent::Error(status) => return Err(Error::WatchError(Box::new(status))),
                }
            }
        }
    }
}
