//! Shared live collections for the Leptos-free widgets: one [`Watcher`] per (connection scope,
//! type, kind, selector), feeding a [`Store`], joined by every reader of that collection on the
//! page and stopped, aborting its request, when the last reader leaves. Watches of one agent go
//! over one WebSocket to KAS's watch aggregator (falling back to HTTP watches, which share the
//! page's HTTP budget), as the Leptos views' watches do.

use futures_util::future::{abortable, AbortHandle};
use lookout_client::api::transport::{platform, Transport};
use lookout_client::watch::budget::gate_for;
use lookout_client::watch::registry::Registry;
use lookout_client::{
    ApiResource, Change, Connection, ObjectKey, Resource, Selector, Store, WatchState, Watcher,
    WatcherConfig, WatcherEvent,
};
use std::any::{Any, TypeId};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// What a reader is told: the store after the change, what changed in it, and the watch state.
pub struct Update<'a, T> {
    /// The collection's current objects.
    pub store: &'a Store<T>,
    /// The objects changed since the last update (every object, for a new reader).
    pub changes: &'a [Change],
    /// The watch's state.
    pub state: &'a WatchState,
}

/// A reader's callback.
type Reader<T> = Rc<dyn Fn(Update<'_, T>)>;

/// One shared watch: its objects, state, readers, and the handle that stops it.
struct Shared<T> {
    store: RefCell<Store<T>>,
    state: RefCell<WatchState>,
    readers: RefCell<Vec<(u64, Reader<T>)>>,
    stop: RefCell<Option<AbortHandle>>,
    connection: Connection,
    api: ApiResource,
    selector: Selector,
}

/// What a shared watch is keyed by: the object type, the connection's scope, kind and selector.
type Key = (TypeId, String, ApiResource, Selector);

/// A registry entry: the typed watch, and how to stop it without knowing its type.
type Entry = (Rc<dyn Any>, Rc<dyn Fn()>);

thread_local! {
    /// The page's open watches.
    static REGISTRY: RefCell<Registry<Key, Entry>> = RefCell::new(Registry::default());
    /// One watch transport per connection scope (a WebSocket multiplexer per agent).
    static TRANSPORTS: RefCell<HashMap<String, Rc<dyn Transport>>> = RefCell::new(HashMap::new());
    /// Numbers readers, so each can leave its watch.
    static NEXT_READER: Cell<u64> = const { Cell::new(0) };
}

/// The transport for watches of `connection`: one WebSocket multiplexer per scope in the
/// browser, `fetch` (hyper natively) otherwise.
fn watch_transport(connection: &Connection) -> Rc<dyn Transport> {
    TRANSPORTS.with(|t| {
        t.borrow_mut()
            .entry(connection.scope())
            .or_insert_with(|| {
                #[cfg(target_arch = "wasm32")]
                return Rc::new(lookout_client::api::transport::ws_mux::WsMuxTransport::new(
                    connection.clone(),
                ));
                #[cfg(not(target_arch = "wasm32"))]
                return platform();
            })
            .clone()
    })
}

/// The transport for other requests (actions, single GETs): the platform's.
pub fn request_transport() -> Rc<dyn Transport> {
    platform()
}

impl<T: Resource> Shared<T> {
    /// (Re)starts the watcher, stopping the running one; the objects stay until the new list
    /// replaces them.
    fn run(this: &Rc<Self>) {
        let transport = watch_transport(&this.connection);
        let gate = gate_for(transport.multiplexes_watches());
        // A plain list first, as the Leptos views do: it answers at once, needs no place in the
        // HTTP budget, and does not wait for the socket.
        let config = WatcherConfig {
            streaming_list: false,
            ..WatcherConfig::default()
        };
        let mut watcher = Watcher::<T>::new(
            this.connection.clone(),
            transport,
            this.api.clone(),
            this.selector.clone(),
        )
        .with_config(config);
        if let Some(gate) = gate {
            watcher = watcher.with_gate(gate);
        }
        let shared = Rc::downgrade(this);
        let (task, stop) = abortable(watcher.run(move |event| {
            if let Some(shared) = shared.upgrade() {
                shared.apply(event);
            }
        }));
        if let Some(old) = this.stop.replace(Some(stop)) {
            old.abort();
        }
        wasm_bindgen_futures::spawn_local(async move {
            let _ = task.await;
        });
    }

    /// Applies one event and tells every reader.
    fn apply(&self, event: WatcherEvent<T>) {
        let changes = match event {
            WatcherEvent::State(state) => {
                *self.state.borrow_mut() = state;
                Vec::new()
            }
            event => self.store.borrow_mut().apply(event),
        };
        // Readers may join or leave while being told: tell the ones there now.
        let readers: Vec<Reader<T>> = self
            .readers
            .borrow()
            .iter()
            .map(|(_, r)| r.clone())
            .collect();
        let (store, state) = (self.store.borrow(), self.state.borrow());
        for reader in readers {
            reader(Update {
                store: &store,
                changes: &changes,
                state: &state,
            });
        }
    }

    fn abort(&self) {
        if let Some(stop) = self.stop.borrow_mut().take() {
            stop.abort();
        }
    }
}

/// A reader's place in a shared watch: dropping it leaves (the last reader stops the watch).
pub struct Subscription {
    key: Key,
    reader: u64,
    leave: Box<dyn Fn(u64)>,
    retry: Box<dyn Fn()>,
}

impl Subscription {
    /// Restarts the watch at once (skipping its back-off), for "Retry now".
    pub fn retry(&self) {
        (self.retry)();
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        (self.leave)(self.reader);
        let last = REGISTRY.with(|r| r.borrow_mut().release(&self.key));
        if let Some((_, stop)) = last {
            stop();
        }
    }
}

/// Reads the objects of `api` that `selector` picks, live: `reader` gets every object at once
/// when the watch already runs, then each change. `reader` runs inside this call and inside the
/// watch's event handling, so it must not call host page code (events wait: [`crate::emit`]).
pub fn watch<T: Resource>(
    connection: &Connection,
    api: ApiResource,
    selector: Selector,
    reader: impl Fn(Update<'_, T>) + 'static,
) -> Subscription {
    let key: Key = (TypeId::of::<T>(), connection.scope(), api, selector);
    // Only the same collection serves a reader (no wider watch filtered down: a reader's rows
    // would then need the selector's rules for objects that left it).
    let serves = |_: &Key, _: &Entry| false;
    let start = || -> Entry {
        let shared = Rc::new(Shared::<T> {
            store: RefCell::new(Store::new()),
            state: RefCell::new(WatchState::Listing),
            readers: RefCell::new(Vec::new()),
            stop: RefCell::new(None),
            connection: connection.clone(),
            api: key.2.clone(),
            selector: key.3.clone(),
        });
        Shared::run(&shared);
        let stopper = shared.clone();
        (shared, Rc::new(move || stopper.abort()))
    };
    let (held, (shared, _)) = REGISTRY.with(|r| r.borrow_mut().acquire(&key, serves, start));
    let Ok(shared) = shared.downcast::<Shared<T>>() else {
        // Proven: only the entry of `key` itself is joined (`serves` is never true), and only
        // `start` above fills it, with a `Shared<T>` for the `T` whose type id the key holds.
        unreachable!("a shared watch of another type under this type's key")
    };
    let id = NEXT_READER.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    let reader: Reader<T> = Rc::new(reader);
    // Catch up with what the running watch holds.
    let everything: Vec<Change> = shared
        .store
        .borrow()
        .iter()
        .map(|o| Change::Upserted(ObjectKey::of(o)))
        .collect();
    reader(Update {
        store: &shared.store.borrow(),
        changes: &everything,
        state: &shared.state.borrow(),
    });
    shared.readers.borrow_mut().push((id, reader));
    let (leaving, retrying) = (Rc::downgrade(&shared), Rc::downgrade(&shared));
    Subscription {
        key: held,
        reader: id,
        leave: Box::new(move |id| {
            if let Some(s) = leaving.upgrade() {
                s.readers.borrow_mut().retain(|(r, _)| *r != id);
            }
        }),
        retry: Box::new(move || {
            if let Some(s) = retrying.upgrade() {
                Shared::run(&s);
            }
        }),
    }
}
