//! Reactive glue: shared, reference-counted watches exposed as signals.
//!
//! Every open watch holds one of the browser's ~6 HTTP/1.1 connections per origin, so components
//! never own watches. [`use_collection`] asks the page-wide registry for the collection it needs;
//! all readers of the same (kind, selector) share one [`Watcher`], which stops (aborting its
//! request) when the last reader is cleaned up. Watch events are applied to the collection's
//! [`Store`] as they arrive and published to signals at most once per animation frame, so a burst of
//! events costs one render.

use futures_util::future::{abortable, AbortHandle};
use leptos::prelude::*;
use lookout_client::transport::Transport;
use lookout_client::{
    ApiResource, Change, Connection, ObjectKey, Resource, Selector, Store, TypedResource,
    WatchState, Watcher, WatcherConfig, WatcherEvent,
};
use std::any::{Any, TypeId};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

/// The live objects of one collection and the health of its watch.
pub struct LiveCollection<T: Send + Sync + 'static> {
    /// Objects in namespace/name order, shared with the store (for large views: no copies).
    pub rows: Signal<Vec<Arc<T>>>,
    /// Objects in namespace/name order, copied (for small views).
    pub items: Signal<Vec<T>>,
    /// Listing, live, or retrying after an error.
    pub state: Signal<WatchState>,
}

impl<T: Send + Sync + 'static> Clone for LiveCollection<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for LiveCollection<T> {}

/// One shared watch and what it publishes.
struct Shared<T: Send + Sync + 'static> {
    items: ArcRwSignal<Vec<Arc<T>>>,
    state: ArcRwSignal<WatchState>,
    readers: Cell<usize>,
    /// Stops the running watch; `None` while waiting for a connection.
    stop: RefCell<Option<AbortHandle>>,
    /// Starts the watch (taken when it starts).
    launch: RefCell<Option<Box<dyn FnOnce() -> AbortHandle>>>,
    /// Whether the running watch counts against the HTTP budget.
    counted: Cell<bool>,
    /// Whether its transport multiplexes watches (then the HTTP budget does not apply).
    multiplexed: bool,
}

/// Watch streams a page may hold over HTTP/1.1: browsers allow ~6 connections per origin; one
/// stays free for ordinary requests and one for a log stream.
pub const HTTP_WATCH_BUDGET: usize = 4;

type Key = (TypeId, String, ApiResource, Selector);

thread_local! {
    /// The page's open watches, by kind and selector.
    static REGISTRY: RefCell<HashMap<Key, Rc<dyn Any>>> = RefCell::new(HashMap::new());
    /// Watches running over their own HTTP stream.
    static RUNNING: Cell<usize> = const { Cell::new(0) };
    /// Watches waiting for a free stream, oldest first; each starts itself if it still has readers.
    static WAITING: RefCell<std::collections::VecDeque<Box<dyn FnOnce() -> bool>>> = RefCell::new(Default::default());
}

/// Watch streams this page holds over HTTP right now.
fn running_watches() -> usize {
    RUNNING.with(Cell::get)
}

/// Starts a prepared watch now. Counts it against the budget unless watches are multiplexed.
fn launch<T: Send + Sync + 'static>(shared: &Shared<T>) {
    if let Some(start) = shared.launch.borrow_mut().take() {
        if !shared.multiplexed {
            RUNNING.with(|r| r.set(r.get() + 1));
            shared.counted.set(true);
        }
        *shared.stop.borrow_mut() = Some(start());
    }
}

/// Starts waiting watches while the budget allows.
fn start_waiting() {
    while running_watches() < HTTP_WATCH_BUDGET {
        let Some(next) = WAITING.with(|w| w.borrow_mut().pop_front()) else {
            return;
        };
        next();
    }
}

thread_local! {
    /// The transport watches use, when the app chose one (e.g. the WebSocket multiplexer).
    static TRANSPORT: RefCell<Option<Rc<dyn Transport>>> = const { RefCell::new(None) };
    /// Transports chosen for one connection's scope (widgets of different agents on one page).
    static SCOPED: RefCell<HashMap<String, Rc<dyn Transport>>> = RefCell::new(HashMap::new());
}

/// Makes every watch opened from now on use `transport` (call before mounting views).
pub fn set_transport(transport: Rc<dyn Transport>) {
    TRANSPORT.with(|t| *t.borrow_mut() = Some(transport));
}

/// Makes watches of `connection`'s scope (its proxy and agent) use the transport `make` builds,
/// unless one was chosen already; e.g. one WebSocket multiplexer per agent.
pub fn use_transport_for(connection: &Connection, make: impl FnOnce() -> Rc<dyn Transport>) {
    SCOPED.with(|s| {
        s.borrow_mut()
            .entry(connection.scope())
            .or_insert_with(make);
    });
}

/// The transport for watches of `connection`.
fn transport_for(connection: &Connection) -> Rc<dyn Transport> {
    SCOPED
        .with(|s| s.borrow().get(&connection.scope()).cloned())
        .unwrap_or_else(platform_transport)
}

/// The transport requests and watches use.
pub fn transport() -> Rc<dyn Transport> {
    platform_transport()
}

/// The chosen transport, else the platform's: `fetch` in the browser.
fn platform_transport() -> Rc<dyn Transport> {
    if let Some(t) = TRANSPORT.with(|t| t.borrow().clone()) {
        return t;
    }
    #[cfg(target_arch = "wasm32")]
    return Rc::new(lookout_client::transport::web::WebTransport);
    #[cfg(not(target_arch = "wasm32"))]
    return Rc::new(lookout_client::transport::native::NativeTransport::default());
}

/// A store whose rows are published to a signal at most once per animation frame, so a burst
/// of events costs one render, and publishing costs O(changes), not O(objects).
pub struct FrameStore<T: Send + Sync + 'static> {
    store: RefCell<Store<T>>,
    pending: RefCell<Vec<Change>>,
    scheduled: Cell<bool>,
    rows: ArcRwSignal<Vec<Arc<T>>>,
}

impl<T: Resource + Send + Sync> FrameStore<T> {
    /// An empty store.
    pub fn new() -> Rc<Self> {
        Rc::new(FrameStore {
            store: RefCell::new(Store::new()),
            pending: RefCell::default(),
            scheduled: Cell::new(false),
            rows: ArcRwSignal::new(Vec::new()),
        })
    }

    /// The objects in namespace/name order, as of the last frame.
    pub fn rows(&self) -> ArcRwSignal<Vec<Arc<T>>> {
        self.rows.clone()
    }

    /// Applies an event now; publishes the change at the next animation frame.
    pub fn apply(self: &Rc<Self>, event: WatcherEvent<T>) {
        let changes = self.store.borrow_mut().apply(event);
        if changes.is_empty() {
            return;
        }
        self.pending.borrow_mut().extend(changes);
        if self.scheduled.replace(true) {
            return;
        }
        let this = self.clone();
        request_animation_frame(move || this.flush());
    }

    /// Publishes the changes applied since the last frame.
    fn flush(&self) {
        self.scheduled.set(false);
        let changes = std::mem::take(&mut *self.pending.borrow_mut());
        let store = self.store.borrow();
        self.rows.update(|rows| store.update_sorted(rows, &changes));
    }

    /// The current object with this key (including changes not yet published).
    pub fn get(&self, key: &ObjectKey) -> Option<T> {
        self.store.borrow().get(key).cloned()
    }
}

/// Prepares the watcher for `key` (started by [`launch`]); events go to a [`FrameStore`].
fn prepare<T: Resource + Send + Sync>(
    connection: &Connection,
    api: ApiResource,
    selector: Selector,
) -> Rc<Shared<T>> {
    let state = ArcRwSignal::new(WatchState::Listing);
    let store = FrameStore::<T>::new();
    let items = store.rows();
    let transport = transport_for(connection);
    let multiplexed = transport.multiplexes_watches();
    // Over a multiplexed socket, the first list goes over plain HTTP instead of as a streaming
    // list on the socket: it does not wait for the socket (a token request and an upgrade, two
    // more round trips), and a list request gives its connection back when done.
    let config = WatcherConfig {
        streaming_list: !multiplexed,
        ..WatcherConfig::default()
    };
    let watcher =
        Watcher::<T>::new(connection.clone(), transport, api, selector).with_config(config);
    let publish_state = state.clone();
    let run = watcher.run(move |event| match event {
        WatcherEvent::State(s) => publish_state.set(s),
        event => store.apply(event),
    });
    let start = move || {
        let (task, stop) = abortable(run);
        leptos::task::spawn_local(async move {
            let _ = task.await;
        });
        stop
    };
    Rc::new(Shared {
        items,
        state,
        readers: Cell::new(0),
        stop: RefCell::new(None),
        launch: RefCell::new(Some(Box::new(start))),
        counted: Cell::new(false),
        multiplexed,
    })
}

/// Joins the shared watch for `key`, or one whose selector covers it (a namespace-wide or
/// cluster-wide watch of the same kind serves any narrower request, filtered here), or opens one.
/// Returns the key actually held.
fn acquire<T: Resource + Send + Sync>(connection: &Connection, key: &Key) -> (Key, Rc<Shared<T>>) {
    let found = REGISTRY.with(|r| {
        let registry = r.borrow();
        let exact = registry.get(key).map(|s| (key.clone(), s.clone()));
        exact.or_else(|| {
            registry
                .iter()
                .find(|(k, _)| k.0 == key.0 && k.1 == key.1 && k.2 == key.2 && k.3.covers(&key.3))
                .map(|(k, s)| (k.clone(), s.clone()))
        })
    });
    let (held, shared) =
        match found.and_then(|(k, any)| Some((k, any.downcast::<Shared<T>>().ok()?))) {
            Some(found) => found,
            None => {
                let shared = prepare::<T>(connection, key.2.clone(), key.3.clone());
                REGISTRY.with(|r| r.borrow_mut().insert(key.clone(), shared.clone()));
                if shared.multiplexed || running_watches() < HTTP_WATCH_BUDGET {
                    launch(&shared);
                } else {
                    shared.state.set(WatchState::Waiting);
                    let waiting = shared.clone();
                    let start = move || {
                        let wanted = waiting.readers.get() > 0;
                        if wanted {
                            launch(&waiting);
                        }
                        wanted
                    };
                    WAITING.with(|w| w.borrow_mut().push_back(Box::new(start)));
                }
                (key.clone(), shared)
            }
        };
    shared.readers.set(shared.readers.get() + 1);
    (held, shared)
}

/// Leaves a shared watch; the last reader stops it.
fn release<T: Resource + Send + Sync>(key: &Key, shared: &Shared<T>) {
    let left = shared.readers.get().saturating_sub(1);
    shared.readers.set(left);
    if left == 0 {
        REGISTRY.with(|r| r.borrow_mut().remove(key));
        if let Some(stop) = shared.stop.borrow_mut().take() {
            stop.abort();
            if shared.counted.replace(false) {
                RUNNING.with(|r| r.set(r.get().saturating_sub(1)));
            }
            start_waiting();
        }
    }
}

/// The live objects of a typed kind that `selector` picks; see [`use_objects`].
pub fn use_collection<T>(
    connection: Connection,
    selector: impl Fn() -> Selector + 'static,
) -> LiveCollection<T>
where
    T: TypedResource + Send + Sync,
{
    use_objects(connection, T::API, selector)
}

/// The live objects of `api` that `selector` picks, shared with every other reader of the same
/// collection. Re-targets when the selector's signals change; leaves the watch when the component
/// is cleaned up.
pub fn use_objects<T>(
    connection: Connection,
    api: ApiResource,
    selector: impl Fn() -> Selector + 'static,
) -> LiveCollection<T>
where
    T: Resource + Send + Sync,
{
    type Source<T> = (
        ArcRwSignal<Vec<Arc<T>>>,
        ArcRwSignal<WatchState>,
        Option<Selector>,
    );
    let current = RwSignal::new(None::<Source<T>>);
    type Held<T> = Rc<RefCell<Option<(Key, Rc<Shared<T>>)>>>;
    let held: Held<T> = Rc::default();
    let held_by_effect = held.clone();
    Effect::new(move |_| {
        let selector = selector();
        let key = (
            TypeId::of::<T>(),
            connection.scope(),
            api.clone(),
            selector.clone(),
        );
        let (held_key, shared) = acquire::<T>(&connection, &key);
        // Served by a wider watch: keep only what this selector picks.
        let filter = (held_key != key).then_some(selector);
        current.set(Some((shared.items.clone(), shared.state.clone(), filter)));
        if let Some((old_key, old)) = held_by_effect.borrow_mut().replace((held_key, shared)) {
            release(&old_key, &old);
        }
    });
    // `on_cleanup` needs a Send closure; the registry is thread-local, so hand it over by key.
    let leave = send_wrapper::SendWrapper::new(move || {
        if let Some((key, shared)) = held.borrow_mut().take() {
            release(&key, &shared);
        }
    });
    on_cleanup(move || (leave.take())());
    // Memos: every reader of a frame shares one copy (a derived signal would copy per read).
    let rows = Memo::new_with_compare(
        move |_| {
            current.with(|c| match c {
                None => Vec::new(),
                Some((items, _, None)) => items.get(),
                Some((items, _, Some(filter))) => items.with(|all| {
                    all.iter()
                        .filter(|o| filter.matches_meta(o.meta()))
                        .cloned()
                        .collect()
                }),
            })
        },
        |_, _| true,
    );
    let items = Memo::new_with_compare(
        move |_| rows.with(|r| r.iter().map(|o| T::clone(o)).collect::<Vec<T>>()),
        |_, _| true,
    );
    LiveCollection {
        rows: rows.into(),
        items: items.into(),
        state: Signal::derive(move || {
            current.with(|c| c.as_ref().map_or(WatchState::Listing, |(_, s, _)| s.get()))
        }),
    }
}

/// The live objects of each of `kinds` (all namespaces), each with its kind.
pub fn use_kinds(
    connection: &Connection,
    kinds: impl IntoIterator<Item = ApiResource>,
) -> Vec<(ApiResource, LiveCollection<lookout_client::models::Object>)> {
    kinds
        .into_iter()
        .map(|api| {
            let live = use_objects(connection.clone(), api.clone(), Selector::default);
            (api, live)
        })
        .collect()
}

/// One object of `api`, live, as its (pruned) JSON: `Null` while loading or when it does not
/// exist. The collection is returned too, for its watch state.
pub fn use_object(
    connection: &Connection,
    api: ApiResource,
    namespace: &str,
    name: &str,
) -> (
    Signal<serde_json::Value>,
    LiveCollection<lookout_client::models::Object>,
) {
    let selector = Selector::named(namespace, name);
    let live = use_objects(connection.clone(), api, move || selector.clone());
    let value = Signal::derive(move || {
        live.rows
            .with(|r: &Vec<Arc<lookout_client::models::Object>>| {
                r.first()
                    .map(|o| o.value.clone())
                    .unwrap_or(serde_json::Value::Null)
            })
    });
    (value, live)
}
