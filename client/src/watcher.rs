//! The list-then-watch state machine for one collection (kind + selector).
//!
//! 1. **List** page by page (`limit`/`continue`; an expired continue token restarts the list), then
//!    hand the whole snapshot over as one [`WatcherEvent::Synced`].
//! 2. **Watch** from the list's resourceVersion with bookmarks and a server timeout below common
//!    load-balancer idle limits. Every event and bookmark advances the resume point.
//! 3. When the stream **ends** (server timeout, dropped connection, client idle deadline), watch again
//!    from the last resourceVersion seen, after a back-off if it failed.
//! 4. When the resourceVersion has **expired** (HTTP 410, or an `ERROR` event with code 410 in a 200
//!    stream), go back to 1; the store turns the new snapshot into the exact difference.
//!
//! The watcher runs until its future is dropped; dropping it aborts the open request.

use crate::backoff::Backoff;
use crate::connection::{Connection, Method};
use crate::error::Error;
use crate::lines::LineSplitter;
use crate::query::{Query, Selector};
use crate::resource::Resource;
use crate::transport::Transport;
use crate::watch_event::{decode_event, decode_list, ObjectList, WatchEvent};
use futures_util::future::{select, Either};
use futures_util::StreamExt;
use std::marker::PhantomData;
use std::rc::Rc;
use std::time::Duration;

/// What a watcher tells its consumer.
#[derive(Debug, Clone, PartialEq)]
pub enum WatcherEvent<T> {
    /// A complete, consistent snapshot (first list, or relist after expiry): replaces all state.
    Synced(Vec<T>),
    /// An object was added or changed.
    Applied(T),
    /// An object was deleted.
    Deleted(T),
    /// The connection state changed.
    State(WatchState),
}

/// The health of a watch, for "live / reconnecting / error" indicators.
#[derive(Debug, Clone, PartialEq)]
pub enum WatchState {
    /// Listing the initial state.
    Listing,
    /// Watching: what the consumer holds is current.
    Live,
    /// The last attempt failed; the next one starts after `delay`. Data shown is stale.
    Retrying {
        /// Why the last attempt failed.
        error: Error,
        /// Wait before the next attempt.
        delay: Duration,
    },
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
}

impl Default for WatcherConfig {
    fn default() -> Self {
        WatcherConfig {
            page_size: 500,
            timeout_seconds: 200,
            idle_grace: Duration::from_secs(30),
            initial_backoff: Duration::from_millis(800),
            max_backoff: Duration::from_secs(30),
        }
    }
}

/// Lists and watches one collection of `T`. See the module docs for the protocol.
pub struct Watcher<T> {
    connection: Connection,
    transport: Rc<dyn Transport>,
    selector: Selector,
    config: WatcherConfig,
    kind: PhantomData<T>,
}

/// A watch that ends this soon without delivering anything counts as a failure (no hot loop).
const MIN_HEALTHY_WATCH_MS: f64 = 1000.0;

impl<T: Resource> Watcher<T> {
    /// A watcher for the objects `selector` picks.
    pub fn new(connection: Connection, transport: Rc<dyn Transport>, selector: Selector) -> Self {
        Watcher {
            connection,
            transport,
            selector,
            config: WatcherConfig::default(),
            kind: PhantomData,
        }
    }

    /// Replaces the default tunables.
    pub fn with_config(mut self, config: WatcherConfig) -> Self {
        self.config = config;
        self
    }

    /// Runs forever, reporting to `emit`; drop the future to stop (which aborts the request).
    pub async fn run(self, mut emit: impl FnMut(WatcherEvent<T>)) {
        let seed = self.transport.now_millis() as u64 ^ 0x9e37_79b9_7f4a_7c15;
        let mut backoff = Backoff::new(self.config.initial_backoff, self.config.max_backoff, seed);
        emit(WatcherEvent::State(WatchState::Listing));
        loop {
            let (items, mut rv) = match self.list_all().await {
                Ok(listed) => listed,
                Err(error) => {
                    self.retry_after_error(error, &mut backoff, &mut emit).await;
                    continue;
                }
            };
            emit(WatcherEvent::Synced(items));
            emit(WatcherEvent::State(WatchState::Live));
            let mut live = true;
            loop {
                let started = self.transport.now_millis();
                let mut delivered = 0usize;
                let result = self
                    .watch_from(&mut rv, &mut delivered, &mut live, &mut emit)
                    .await;
                if delivered > 0 {
                    backoff.reset();
                }
                let error = match result {
                    Ok(())
                        if delivered > 0
                            || self.transport.now_millis() - started >= MIN_HEALTHY_WATCH_MS =>
                    {
                        continue;
                    }
                    Ok(()) => Error::Network("the watch ended as soon as it started".into()),
                    Err(e) if e.is_expired() => break,
                    Err(e) => e,
                };
                live = false;
                self.retry_after_error(error, &mut backoff, &mut emit).await;
            }
        }
    }

    async fn retry_after_error(
        &self,
        error: Error,
        backoff: &mut Backoff,
        emit: &mut impl FnMut(WatcherEvent<T>),
    ) {
        let delay = backoff.next_delay(error.retry_after());
        emit(WatcherEvent::State(WatchState::Retrying { error, delay }));
        self.transport.sleep(delay).await;
    }

    fn path(&self, query: &Query) -> String {
        let ns = self.selector.namespace.as_deref();
        format!("{}{}", T::API.collection_path(ns), query.as_str())
    }

    /// Lists all pages; returns the objects and the snapshot's resourceVersion.
    async fn list_all(&self) -> Result<(Vec<T>, String), Error> {
        let mut items = Vec::new();
        let mut continue_token: Option<String> = None;
        loop {
            let mut query = Query::for_selector(&self.selector);
            query.push("limit", &self.config.page_size.to_string());
            if let Some(token) = &continue_token {
                query.push("continue", token);
            }
            let request = self.connection.request(Method::Get, &self.path(&query));
            let body = match self.transport.send(request).await?.success_bytes().await {
                Err(e) if e.is_expired() && continue_token.is_some() => {
                    // The snapshot behind the continue token is gone: start over.
                    items.clear();
                    continue_token = None;
                    continue;
                }
                other => other?,
            };
            let page: ObjectList<T> = decode_list(&body)?;
            items.extend(page.items);
            match page.metadata.continue_token.filter(|t| !t.is_empty()) {
                Some(token) => continue_token = Some(token),
                None => return Ok((items, page.metadata.resource_version)),
            }
        }
    }

    /// One watch request from `rv`, advancing `rv` with every event and counting them in `delivered`.
    /// Reports `Live` once the stream is open if `live` says the last state was not. `Ok` when the
    /// server ended the stream normally.
    async fn watch_from(
        &self,
        rv: &mut String,
        delivered: &mut usize,
        live: &mut bool,
        emit: &mut impl FnMut(WatcherEvent<T>),
    ) -> Result<(), Error> {
        let mut query = Query::for_selector(&self.selector);
        query
            .push("watch", "true")
            .push("allowWatchBookmarks", "true")
            .push("resourceVersion", rv)
            .push("timeoutSeconds", &self.config.timeout_seconds.to_string());
        let request = self.connection.request(Method::Get, &self.path(&query));
        let response = self.transport.send(request).await?;
        if !response.is_success() {
            return response.success_bytes().await.map(drop);
        }
        if !*live {
            *live = true;
            emit(WatcherEvent::State(WatchState::Live));
        }
        let idle = Duration::from_secs(self.config.timeout_seconds.into()) + self.config.idle_grace;
        let mut body = response.body;
        let mut lines = LineSplitter::new();
        loop {
            let chunk = match select(body.next(), self.transport.sleep(idle)).await {
                Either::Left((Some(chunk), _)) => chunk?,
                Either::Left((None, _)) => return Ok(()),
                Either::Right(_) => {
                    return Err(Error::Network(format!(
                        "no data for {} s: the connection is presumed dead",
                        idle.as_secs()
                    )))
                }
            };
            lines.push(&chunk);
            while let Some(line) = lines.next_line() {
                match decode_event::<T>(line)? {
                    WatchEvent::Added(obj) | WatchEvent::Modified(obj) => {
                        rv.clone_from(&obj.meta().resource_version);
                        emit(WatcherEvent::Applied(obj));
                    }
                    WatchEvent::Deleted(obj) => {
                        rv.clone_from(&obj.meta().resource_version);
                        emit(WatcherEvent::Deleted(obj));
                    }
                    WatchEvent::Bookmark {
                        resource_version, ..
                    } => *rv = resource_version,
                    WatchEvent::Error(status) => return Err(Error::WatchError(Box::new(status))),
                }
                *delivered += 1;
            }
        }
    }
}
