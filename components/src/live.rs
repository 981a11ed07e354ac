//! Reactive glue: runs a [`Watcher`] for as long as the calling component lives and exposes its
//! objects and connection state as signals.

use futures_util::future::{abortable, AbortHandle};
use leptos::prelude::*;
use lookout_client::transport::Transport;
use lookout_client::{Connection, Resource, Selector, Store, WatchState, Watcher, WatcherEvent};
use std::rc::Rc;

/// The live objects of one collection and the health of its watch.
pub struct LiveCollection<T: Send + Sync + 'static> {
    /// Objects in namespace/name order; replaced when anything changes.
    pub items: ReadSignal<Vec<T>>,
    /// Listing, live, or retrying after an error.
    pub state: ReadSignal<WatchState>,
}

impl<T: Send + Sync + 'static> Clone for LiveCollection<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for LiveCollection<T> {}

/// The platform's transport: `fetch` in the browser.
fn platform_transport() -> Rc<dyn Transport> {
    #[cfg(target_arch = "wasm32")]
    return Rc::new(lookout_client::transport::web::WebTransport);
    #[cfg(not(target_arch = "wasm32"))]
    return Rc::new(lookout_client::transport::native::NativeTransport::default());
}

/// Watches the objects `selector` picks; re-targets when the selector's signals change and stops
/// (aborting the request) when the owning component is cleaned up.
pub fn use_collection<T>(
    connection: Connection,
    selector: impl Fn() -> Selector + 'static,
) -> LiveCollection<T>
where
    T: Resource + Send + Sync,
{
    let (items, set_items) = signal(Vec::<T>::new());
    let (state, set_state) = signal(WatchState::Listing);
    let running = StoredValue::new(None::<AbortHandle>);
    let stop = move || {
        running.try_update_value(|h| h.take().map(|h| h.abort()));
    };
    Effect::new(move |_| {
        let selector = selector();
        stop();
        let watcher = Watcher::<T>::new(connection.clone(), platform_transport(), selector);
        let mut store = Store::<T>::new();
        let _ = set_items.try_set(Vec::new());
        let (task, handle) = abortable(watcher.run(move |event| {
            if let WatcherEvent::State(s) = &event {
                let _ = set_state.try_set(s.clone());
            }
            if !store.apply(event).is_empty() {
                let _ = set_items.try_set(store.iter().cloned().collect());
            }
        }));
        running.try_set_value(Some(handle));
        leptos::task::spawn_local(async move {
            let _ = task.await;
        });
    });
    on_cleanup(stop);
    LiveCollection { items, state }
}
