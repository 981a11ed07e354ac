//! Reactive glue: shared, reference-counted watches exposed as signals.
//!
//! Every open watch holds one of the browser's ~6 HTTP/1.1 connections per origin, so components
//! never own watches, and over plain HTTP a [`WatchGate`] lets [`HTTP_WATCH_BUDGET`] watches run at
//! once: every collection lists at once (a short request) and shows its objects, and only its
//! watch waits for a place ([`WatchState::Waiting`]); watches that end give their place to the
//! waiting ones, so kinds take turns being live. [`use_collection`] asks the page-wide registry for the collection it needs;
//! all readers of the same (kind, selector) share one [`Watcher`], which stops (aborting its
//! request) when the last reader is cleaned up. Watch events are applied to the collection's
//! [`Store`] as they arrive and published to signals at most once per animation frame, so a burst of
//! events costs one render.

use futures_util::future::{abortable, AbortHandle};
use leptos::prelude::*;
use lookout_client::transport::Transport;
use lookout_client::{
    ApiResource, Change, Connection, ErrorKind, ObjectKey, Resource, Selector, Store,
    TypedResource, WatchGate, WatchState, Watcher, WatcherConfig, WatcherEvent,
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
    /// Set when the cluster-wide list was refused and only some namespaces are shown.
    pub narrowed: Signal<Option<Narrowed>>,
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
    /// Stops the watcher.
    stop: AbortHandle,
}

/// Watch streams a page may hold over HTTP/1.1: browsers allow ~6 connections per origin; one
/// stays free for ordinary requests and one for a log stream.
pub const HTTP_WATCH_BUDGET: usize = 4;

type Key = (TypeId, String, ApiResource, Selector);

thread_local! {
    /// The page's open watches, by kind and selector.
    static REGISTRY: RefCell<HashMap<Key, Rc<dyn Any>>> = RefCell::new(HashMap::new());
    /// Places for watch streams over plain HTTP, shared by every watcher of the page.
    static HTTP_GATE: WatchGate = WatchGate::new(HTTP_WATCH_BUDGET);
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

/// Starts the watcher for `key`; events go to a [`FrameStore`].
fn start<T: Resource + Send + Sync>(
    connection: &Connection,
    api: ApiResource,
    selector: Selector,
) -> Rc<Shared<T>> {
    let state = ArcRwSignal::new(WatchState::Listing);
    let store = FrameStore::<T>::new();
    let items = store.rows();
    let transport = transport_for(connection);
    let multiplexed = transport.multiplexes_watches();
    // The first list is a plain (paginated) list, not a streaming list: it answers at once, while
    // a real API server ends a streaming list's initial events only at etcd's next progress
    // notification (seconds); it needs no place in the HTTP budget; and over a multiplexed
    // socket it does not wait for the socket (a token request and an upgrade, two more round trips).
    let config = WatcherConfig {
        streaming_list: false,
        ..WatcherConfig::default()
    };
    let mut watcher =
        Watcher::<T>::new(connection.clone(), transport, api, selector).with_config(config);
    if !multiplexed {
        watcher = watcher.with_gate(HTTP_GATE.with(WatchGate::clone));
    }
    let publish_state = state.clone();
    let run = watcher.run(move |event| match event {
        WatcherEvent::State(s) => publish_state.set(s),
        event => store.apply(event),
    });
    let (task, stop) = abortable(run);
    leptos::task::spawn_local(async move {
        let _ = task.await;
    });
    Rc::new(Shared {
        items,
        state,
        readers: Cell::new(0),
        stop,
    })
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
/// cluster-wide watch of the same kind serves any narrower request, filtered here, unless the
/// server refused it), or opens one. Returns the key actually held.
fn acquire<T: Resource + Send + Sync>(connection: &Connection, key: &Key) -> (Key, Rc<Shared<T>>) {
    let found = REGISTRY.with(|r| {
        let registry = r.borrow();
        let exact = registry
            .get(key)
            .and_then(|s| Some((key.clone(), s.clone().downcast::<Shared<T>>().ok()?)));
        exact.or_else(|| {
            registry.iter().find_map(|(k, s)| {
                if !(k.0 == key.0 && k.1 == key.1 && k.2 == key.2 && k.3.covers(&key.3)) {
                    return None;
                }
                let shared = s.clone().downcast::<Shared<T>>().ok()?;
                let refused = shared.state.with_untracked(|st| refusal(st).is_some());
                (!refused).then(|| (k.clone(), shared))
            })
        })
    });
    let (held, shared) = found.unwrap_or_else(|| {
        let shared = start::<T>(connection, key.2.clone(), key.3.clone());
        REGISTRY.with(|r| r.borrow_mut().insert(key.clone(), shared.clone()));
        (key.clone(), shared)
    });
    shared.readers.set(shared.readers.get() + 1);
    (held, shared)
}

/// Leaves a shared watch; the last reader stops it.
fn release<T: Resource + Send + Sync>(key: &Key, shared: &Shared<T>) {
    let left = shared.readers.get().saturating_sub(1);
    shared.readers.set(left);
    if left == 0 {
        REGISTRY.with(|r| r.borrow_mut().remove(key));
        // Dropping the watcher gives its place in the HTTP budget to the next waiting one.
        shared.stop.abort();
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

/// A collection shown for some namespaces only: the API server refused the cluster-wide list.
#[derive(Debug, Clone, PartialEq)]
pub struct Narrowed {
    /// The namespaces shown instead (from [`set_readable_namespaces`]).
    pub namespaces: Vec<String>,
    /// The server's refusal of the cluster-wide list.
    pub because: String,
}

thread_local! {
    /// Namespaces the user can read, for collections refused cluster-wide.
    static READABLE: ArcRwSignal<Vec<String>> = ArcRwSignal::new(Vec::new());
}

/// Names the namespaces the user can read (e.g. from the URL). A collection of all namespaces
/// that the API server refuses (403: no cluster-wide list) then shows these namespaces instead,
/// one watch each, as a user with a Role in a few namespaces expects.
pub fn set_readable_namespaces(mut namespaces: Vec<String>) {
    namespaces.retain(|n| !n.is_empty());
    namespaces.sort();
    namespaces.dedup();
    READABLE.with(|r| {
        if r.get_untracked() != namespaces {
            r.set(namespaces);
        }
    });
}

/// The namespaces named by [`set_readable_namespaces`].
pub fn readable_namespaces() -> Vec<String> {
    READABLE.with(|r| r.get())
}

/// The combined state of several collections: the first trouble, else still listing, else
/// waiting, else live.
fn combined(states: impl Iterator<Item = WatchState>) -> WatchState {
    let mut all = WatchState::Live;
    for state in states {
        match (&state, &all) {
            (WatchState::Retrying { .. }, _) => return state,
            (WatchState::Listing, _) | (WatchState::Waiting, WatchState::Live) => all = state,
            _ => {}
        }
    }
    all
}

/// The live objects of `api` that `selector` picks, shared with every other reader of the same
/// collection. Re-targets when the selector's signals change; leaves the watch when the component
/// is cleaned up. When the API server refuses a collection of all namespaces (403), shows the
/// [readable namespaces](set_readable_namespaces) instead and says so in `narrowed`.
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
    /// A watch held: the key asked for, the key held (maybe a wider one), the watch.
    type Holding<T> = (Key, Key, Rc<Shared<T>>);
    let source_of = |asked: &Key, held: &Key, shared: &Shared<T>| -> Source<T> {
        // Served by a wider watch: keep only what this selector picks.
        let filter = (held != asked).then(|| asked.3.clone());
        (shared.items.clone(), shared.state.clone(), filter)
    };
    let primary = RwSignal::new(None::<Source<T>>);
    let narrow = RwSignal::new(Vec::<Source<T>>::new());
    let narrowed = RwSignal::new(None::<Narrowed>);
    let requested = RwSignal::new(None::<Key>);
    let held: Rc<RefCell<Option<Holding<T>>>> = Rc::default();
    let held_narrow: Rc<RefCell<Vec<Holding<T>>>> = Rc::default();
    let (held_by_effect, connection_for_narrow) = (held.clone(), connection.clone());
    Effect::new(move |_| {
        let selector = selector();
        let key = (
            TypeId::of::<T>(),
            connection.scope(),
            api.clone(),
            selector.clone(),
        );
        let (held_key, shared) = acquire::<T>(&connection, &key);
        primary.set(Some(source_of(&key, &held_key, &shared)));
        requested.set(Some(key.clone()));
        if let Some((_, old_key, old)) =
            held_by_effect.borrow_mut().replace((key, held_key, shared))
        {
            release(&old_key, &old);
        }
    });
    // Refused cluster-wide: one watch per readable namespace instead.
    let held_narrow_by_effect = held_narrow.clone();
    Effect::new(move |_| {
        let Some(key) = requested.get() else { return };
        let why = primary.with(|p| p.as_ref().and_then(|(_, state, _)| state.with(refusal)));
        let namespaces = match &why {
            Some(_) if key.2.namespaced && key.3.namespace.is_none() => readable_namespaces(),
            _ => Vec::new(),
        };
        let wanted: Vec<Key> = namespaces
            .iter()
            .map(|ns| {
                let mut k = key.clone();
                k.3.namespace = Some(ns.clone());
                k
            })
            .collect();
        let unchanged = held_narrow_by_effect
            .borrow()
            .iter()
            .map(|(asked, _, _)| asked)
            .eq(wanted.iter());
        if !unchanged {
            let now: Vec<Holding<T>> = wanted
                .into_iter()
                .map(|asked| {
                    let (held_key, shared) = acquire::<T>(&connection_for_narrow, &asked);
                    (asked, held_key, shared)
                })
                .collect();
            narrow.set(now.iter().map(|(a, h, s)| source_of(a, h, s)).collect());
            for (_, old_key, old) in held_narrow_by_effect.replace(now) {
                release(&old_key, &old);
            }
        }
        let is = why
            .filter(|_| !namespaces.is_empty())
            .map(|because| Narrowed {
                namespaces,
                because,
            });
        if narrowed.get_untracked() != is {
            narrowed.set(is);
        }
    });
    // `on_cleanup` needs a Send closure; the registry is thread-local, so hand it over by key.
    let leave = send_wrapper::SendWrapper::new(move || {
        let narrow = std::mem::take(&mut *held_narrow.borrow_mut());
        for (_, key, shared) in held.borrow_mut().take().into_iter().chain(narrow) {
            release(&key, &shared);
        }
    });
    on_cleanup(move || (leave.take())());
    let rows_of = |(items, _, filter): &Source<T>| match filter {
        None => items.get(),
        Some(filter) => items.with(|all| {
            all.iter()
                .filter(|o| filter.matches_meta(o.meta()))
                .cloned()
                .collect()
        }),
    };
    // Memos: every reader of a frame shares one copy (a derived signal would copy per read).
    let rows = Memo::new_with_compare(
        move |_| {
            narrow.with(|n| {
                if n.is_empty() {
                    primary.with(|p| p.as_ref().map(rows_of).unwrap_or_default())
                } else {
                    // Namespaces in name order: the rows stay in namespace/name order.
                    n.iter().flat_map(rows_of).collect()
                }
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
            narrow.with(|n| {
                if n.is_empty() {
                    primary.with(|p| p.as_ref().map_or(WatchState::Listing, |(_, s, _)| s.get()))
                } else {
                    combined(n.iter().map(|(_, s, _)| s.get()))
                }
            })
        }),
        narrowed: narrowed.into(),
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
