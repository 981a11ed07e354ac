//! The page's shared watches: one [`Watcher`] per (connection scope, kind, selector), feeding a
//! [`FrameStore`], joined by every reader of that collection (or of a narrower one) and stopped,
//! aborting its request, when the last reader leaves.

use super::budget::gate_for;
use super::frame::FrameStore;
use super::registry::Registry;
use super::transport::transport_for;
use futures_util::future::{abortable, AbortHandle};
use leptos::prelude::*;
use lookout_client::{
    ApiResource, Connection, ErrorKind, Resource, Selector, WatchState, Watcher, WatcherConfig,
};
use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::rc::Rc;

/// What a shared watch is keyed by: the object type, the connection's scope, kind and selector.
pub(crate) type Key = (TypeId, String, ApiResource, Selector);

/// One shared watch and what it publishes.
pub(crate) struct Shared<T: Send + Sync + 'static> {
    pub(crate) frame: Rc<FrameStore<T>>,
    connection: Connection,
    api: ApiResource,
    selector: Selector,
    /// Stops the running watcher (shared with the registry, which holds watches of any type).
    stop: Stop,
}

/// The stop handle of a watch's current run.
type Stop = Rc<RefCell<AbortHandle>>;

/// A registry entry: the typed watch, and how to stop it without knowing its type.
type Entry = (Rc<dyn Any>, Stop);

thread_local! {
    /// The page's open watches.
    static REGISTRY: RefCell<Registry<Key, Entry>> = RefCell::new(Registry::default());
}

impl<T: Resource + Send + Sync> Shared<T> {
    /// Starts watching; events go to a new [`FrameStore`].
    fn start(connection: &Connection, api: ApiResource, selector: Selector) -> Rc<Self> {
        let frame = FrameStore::<T>::new();
        let stop = run(&frame, connection, &api, &selector);
        Rc::new(Shared {
            frame,
            connection: connection.clone(),
            api,
            selector,
            stop: Rc::new(RefCell::new(stop)),
        })
    }

    /// Stops the watcher and starts a new one at once (skipping its backoff); the rows stay
    /// until the new list replaces them.
    pub(crate) fn retry(&self) {
        let fresh = run(&self.frame, &self.connection, &self.api, &self.selector);
        self.stop.replace(fresh).abort();
    }

    /// Whether the API server refused this watch (403).
    fn refused(&self) -> bool {
        self.frame.state().with_untracked(|s| refusal(s).is_some())
    }
}

/// Runs a watcher into `frame`; the handle stops it.
fn run<T: Resource + Send + Sync>(
    frame: &Rc<FrameStore<T>>,
    connection: &Connection,
    api: &ApiResource,
    selector: &Selector,
) -> AbortHandle {
    let transport = transport_for(connection);
    let gate = gate_for(transport.multiplexes_watches());
    // The first list is a plain (paginated) list, not a streaming list: it answers at once, while
    // a real API server ends a streaming list's initial events only at etcd's next progress
    // notification (seconds); it needs no place in the HTTP budget; and over a multiplexed
    // socket it does not wait for the socket (a token request and an upgrade, two more round trips).
    // Its pages show as they arrive: a large collection paints its first rows at once.
    let config = WatcherConfig {
        streaming_list: false,
        progressive: true,
        ..WatcherConfig::default()
    };
    let mut watcher =
        Watcher::<T>::new(connection.clone(), transport, api.clone(), selector.clone())
            .with_config(config);
    if let Some(gate) = gate {
        watcher = watcher.with_gate(gate);
    }
    let frame = frame.clone();
    let (task, stop) = abortable(watcher.run(move |event| frame.apply(event)));
    leptos::task::spawn_local(async move {
        let _ = task.await;
    });
    stop
}

/// Why `state` says the API server refused the watch (403), if it does.
pub(crate) fn refusal(state: &WatchState) -> Option<String> {
    match state {
        WatchState::Retrying { error, .. } if error.kind() == ErrorKind::Forbidden => {
            Some(error.to_string())
        }
        _ => None,
    }
}

/// Joins the shared watch for `key`, or one whose selector covers it (a namespace-wide or
/// cluster-wide watch of the same kind serves any narrower request, filtered by the reader,
/// unless the server refused it), or opens one. Returns the key actually held.
pub(crate) fn acquire<T: Resource + Send + Sync>(
    connection: &Connection,
    key: &Key,
) -> (Key, Rc<Shared<T>>) {
    let serves = |held: &Key, (shared, _): &Entry| {
        held.0 == key.0
            && held.1 == key.1
            && held.2 == key.2
            && held.3.covers(&key.3)
            && shared
                .clone()
                .downcast::<Shared<T>>()
                .is_ok_and(|s| !s.refused())
    };
    let start = || -> Entry {
        let shared = Shared::<T>::start(connection, key.2.clone(), key.3.clone());
        let stop = shared.stop.clone();
        (shared, stop)
    };
    let (held, (shared, _)) = REGISTRY.with(|r| r.borrow_mut().acquire(key, serves, start));
    match shared.downcast::<Shared<T>>() {
        Ok(shared) => (held, shared),
        // The key holds the type id: another type cannot be there. Stay correct regardless.
        Err(_) => {
            release(&held);
            let shared = Shared::<T>::start(connection, key.2.clone(), key.3.clone());
            (key.clone(), shared)
        }
    }
}

/// Leaves a shared watch; the last reader stops it.
pub(crate) fn release(key: &Key) {
    let last = REGISTRY.with(|r| r.borrow_mut().release(key));
    if let Some((_, stop)) = last {
        // Dropping the watcher gives its place in the HTTP budget to the next waiting one.
        stop.borrow().abort();
    }
}
