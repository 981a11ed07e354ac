//! Frame batching: watch events are applied to a [`Store`] as they arrive and published to
//! signals at most once per animation frame, rows and watch state together, so a burst of events
//! costs one render and a view never sees `Live` before the rows it is live about.

use leptos::prelude::*;
use lookout_client::{Change, KeySet, ObjectKey, Resource, Store, WatchState, WatcherEvent};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

/// Changed keys kept before a publish becomes a full rebuild, when the store holds fewer objects.
const REBUILD_FLOOR: usize = 64;

/// Room for changed keys kept from one frame to the next (a storm's frame changes a few dozen
/// objects: the set does not grow again every frame), more is given back.
const KEPT_CAPACITY: usize = 256;

/// The keys changed since the last publish, one entry per object however many events it had.
/// Once more keys changed than the store holds, it forgets them and asks for a full rebuild, so
/// its memory stays bounded by the number of objects even when frames stop (a hidden tab runs no
/// animation frames) while objects come and go.
#[derive(Debug, Default)]
pub struct Pending {
    keys: KeySet,
    rebuild: bool,
}

impl Pending {
    /// Records one change (nothing once a rebuild is due); [`Pending::bound`] follows each event.
    fn add(&mut self, change: Change) {
        if !self.rebuild {
            self.keys.insert(change.into_key());
        }
    }

    /// Applies `event` to `store`, recording each change, then bounds the keys.
    pub(crate) fn apply<T: Resource>(&mut self, store: &mut Store<T>, event: WatcherEvent<T>) {
        store.apply_each(event, |change| self.add(change));
        self.bound(store.len());
    }

    /// Turns the keys into a full rebuild once more changed than a store of `objects` holds.
    fn bound(&mut self, objects: usize) {
        if self.keys.len() > objects.max(REBUILD_FLOOR) {
            self.keys = KeySet::default();
            self.rebuild = true;
        }
    }

    /// Keys remembered (0 once a rebuild is due).
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && !self.rebuild
    }

    /// Brings `rows` (sorted, as last published) up to date with `store` and forgets the keys,
    /// keeping the set's room for the next frame's (up to [`KEPT_CAPACITY`]).
    fn publish_into<T: Resource>(&mut self, store: &Store<T>, rows: &mut Vec<Arc<T>>) {
        if std::mem::take(&mut self.rebuild) {
            *rows = store.sorted_shared().into_iter().cloned().collect();
        } else {
            // The store knows whether each key is still there: the kind of change does not matter.
            let changes: Vec<Change> = self.keys.drain().map(Change::Upserted).collect();
            store.update_sorted(rows, &changes);
        }
        self.keys.shrink_to(KEPT_CAPACITY);
    }
}

/// What a frame publishes: the rows' changes and the latest watch state, kept until then.
#[derive(Debug)]
pub struct FrameBatch<T> {
    store: Store<T>,
    pending: Pending,
    state: Option<WatchState>,
    /// How many objects the list on its way will hold, as its last page estimated.
    expected: Option<usize>,
    /// A list is arriving in pages (until the `Synced` that ends it).
    paging: bool,
}

impl<T> Default for FrameBatch<T> {
    fn default() -> Self {
        FrameBatch {
            store: Store::default(),
            pending: Pending::default(),
            state: None,
            expected: None,
            paging: false,
        }
    }
}

impl<T: Resource> FrameBatch<T> {
    /// Applies an event to the store now; returns whether the next frame has something to publish.
    pub fn apply(&mut self, event: WatcherEvent<T>) -> bool {
        match event {
            WatcherEvent::State(state) => {
                // A list that failed half-way shows what it has while it waits to retry.
                if matches!(state, WatchState::Retrying { .. }) {
                    self.paging = false;
                }
                self.state = Some(state);
            }
            page @ WatcherEvent::Page { remaining, .. } => {
                self.pending.apply(&mut self.store, page);
                // A relist's table is complete already (the last snapshot): no progress to show.
                self.expected = match self.store.is_synced() {
                    true => None,
                    false => remaining.map(|r| self.store.listed() + r as usize),
                };
                self.paging = true;
            }
            event => {
                if matches!(event, WatcherEvent::Synced(_)) {
                    self.expected = None;
                    self.paging = false;
                }
                self.pending.apply(&mut self.store, event);
            }
        }
        !self.pending.is_empty() || self.state.is_some()
    }

    /// Brings `rows` up to date and returns the watch state to publish with them, if it changed.
    pub fn publish(&mut self, rows: &mut Vec<Arc<T>>) -> Option<WatchState> {
        self.pending.publish_into(&self.store, rows);
        self.take_state()
    }

    /// The watch state to publish, if it changed (when no row changed).
    pub fn take_state(&mut self) -> Option<WatchState> {
        self.state.take()
    }

    /// What waits for the next frame (changed keys).
    pub fn pending(&self) -> &Pending {
        &self.pending
    }

    /// Whether the rows wait while a list arrives in pages: after the first page they are
    /// published each time the store has grown by more than half since (`published` rows), and at the end.
    /// Every publish costs the views O(rows): a list of 100,000 in pages of 500 is published
    /// ~13 times instead of ~200, and the first rows still show with the first page.
    pub fn holds_back(&self, published: usize) -> bool {
        self.paging && published > 0 && self.store.len() * 2 <= published * 3
    }

    /// How many objects the list on its way will hold (the server's estimate), if one is.
    pub fn expected(&self) -> Option<usize> {
        self.expected
    }

    /// The store (including changes not yet published).
    pub fn store(&self) -> &Store<T> {
        &self.store
    }
}

/// Runs a callback later: at the next animation frame in the browser.
pub type Scheduler = Rc<dyn Fn(Box<dyn FnOnce()>)>;

/// The browser's next animation frame (natively: at once, there are no frames).
fn next_frame() -> Scheduler {
    #[cfg(target_arch = "wasm32")]
    return Rc::new(frames::schedule);
    #[cfg(not(target_arch = "wasm32"))]
    return Rc::new(|f: Box<dyn FnOnce()>| f());
}

/// One `requestAnimationFrame` per frame for every store of the page, through one long-lived
/// callback: asking the browser for a frame costs tens of microseconds (a new JS closure each
/// time, more), which an update storm would otherwise pay per store and frame.
#[cfg(target_arch = "wasm32")]
mod frames {
    use std::cell::RefCell;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    #[derive(Default)]
    struct Frames {
        /// What runs at the next frame, in the order it was scheduled.
        due: Vec<Box<dyn FnOnce()>>,
        /// The frame callback and the window, made once.
        callback: Option<(Closure<dyn FnMut()>, web_sys::Window)>,
    }

    thread_local! {
        static FRAMES: RefCell<Frames> = RefCell::default();
    }

    /// Runs `f` at the next animation frame (at once where there is no window).
    pub(super) fn schedule(f: Box<dyn FnOnce()>) {
        let requested = FRAMES.with(|frames| {
            let mut frames = frames.borrow_mut();
            frames.due.push(f);
            if frames.due.len() > 1 {
                return true; // this frame is already asked for
            }
            if frames.callback.is_none() {
                let Some(window) = web_sys::window() else {
                    return false;
                };
                frames.callback = Some((Closure::new(run), window));
            }
            frames.callback.as_ref().is_some_and(|(callback, window)| {
                window
                    .request_animation_frame(callback.as_ref().unchecked_ref())
                    .is_ok()
            })
        });
        if !requested {
            run();
        }
    }

    /// The frame: runs what is due (what it schedules waits for the frame after).
    fn run() {
        let due = FRAMES.with(|frames| std::mem::take(&mut frames.borrow_mut().due));
        for f in due {
            f();
        }
    }
}

/// A store whose rows and watch state are published to signals together, at most once per
/// animation frame; publishing costs O(changes), not O(objects).
pub struct FrameStore<T: Send + Sync + 'static> {
    batch: RefCell<FrameBatch<T>>,
    scheduled: Cell<bool>,
    schedule: Scheduler,
    rows: ArcRwSignal<Vec<Arc<T>>>,
    state: ArcRwSignal<WatchState>,
    synced: ArcRwSignal<bool>,
    expected: ArcRwSignal<Option<usize>>,
}

impl<T: Resource + Send + Sync> FrameStore<T> {
    /// An empty store publishing at animation frames.
    pub fn new() -> Rc<Self> {
        Self::with_scheduler(next_frame())
    }

    /// An empty store publishing when `schedule` runs its callback.
    pub fn with_scheduler(schedule: Scheduler) -> Rc<Self> {
        Rc::new(FrameStore {
            batch: RefCell::default(),
            scheduled: Cell::new(false),
            schedule,
            rows: ArcRwSignal::new(Vec::new()),
            state: ArcRwSignal::new(WatchState::Listing),
            synced: ArcRwSignal::new(false),
            expected: ArcRwSignal::new(None),
        })
    }

    /// The objects in namespace/name order, as of the last frame.
    pub fn rows(&self) -> ArcRwSignal<Vec<Arc<T>>> {
        self.rows.clone()
    }

    /// The watch state, as of the last frame (published with the rows it describes).
    pub fn state(&self) -> ArcRwSignal<WatchState> {
        self.state.clone()
    }

    /// Whether a complete list has been published.
    pub fn synced(&self) -> ArcRwSignal<bool> {
        self.synced.clone()
    }

    /// While a list arrives in pages: how many objects it will hold (the server's estimate).
    pub fn expected(&self) -> ArcRwSignal<Option<usize>> {
        self.expected.clone()
    }

    /// Applies an event now; publishes it at the next animation frame.
    pub fn apply(self: &Rc<Self>, event: WatcherEvent<T>) {
        if !self.batch.borrow_mut().apply(event) || self.scheduled.replace(true) {
            return;
        }
        let this = self.clone();
        (self.schedule)(Box::new(move || this.flush()));
    }

    /// Publishes what was applied since the last frame: rows first, then the state, in one go
    /// (effects run after both are set).
    fn flush(&self) {
        self.scheduled.set(false);
        let mut batch = self.batch.borrow_mut();
        // A change of watch state alone (watches taking turns, retries) leaves the rows, and the
        // views over them, untouched.
        let hold = batch.holds_back(self.rows.with_untracked(Vec::len));
        let state = if batch.pending().is_empty() || hold {
            batch.take_state()
        } else {
            let mut state = None;
            self.rows.update(|rows| state = batch.publish(rows));
            state
        };
        if batch.store().is_synced() && !self.synced.get_untracked() {
            self.synced.set(true);
        }
        if batch.expected() != self.expected.get_untracked() {
            self.expected.set(batch.expected());
        }
        if let Some(state) = state {
            self.state.set(state);
        }
    }

    /// The current object with this key (including changes not yet published).
    pub fn get(&self, key: &ObjectKey) -> Option<T> {
        self.batch.borrow().store().get(key).cloned()
    }

    /// Changed keys waiting for the next frame.
    pub fn pending(&self) -> usize {
        self.batch.borrow().pending().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lookout_client::Pod;

    fn pod(name: &str, rv: u64) -> Pod {
        serde_json::from_value(serde_json::json!({
            "metadata": { "name": name, "namespace": "app", "resourceVersion": rv.to_string() }
        }))
        .expect("a valid pod")
    }

    /// Frames asked for and not run yet.
    type Frames = Rc<RefCell<Vec<Box<dyn FnOnce()>>>>;

    /// A scheduler whose frames run only when the test says so (like a hidden tab until shown).
    fn manual() -> (Scheduler, Frames) {
        let frames: Frames = Rc::default();
        let queue = frames.clone();
        (Rc::new(move |f| queue.borrow_mut().push(f)), frames)
    }

    fn run_frames(frames: &RefCell<Vec<Box<dyn FnOnce()>>>) {
        let due = std::mem::take(&mut *frames.borrow_mut());
        for f in due {
            f();
        }
    }

    fn names(store: &FrameStore<Pod>) -> Vec<String> {
        store
            .rows()
            .get_untracked()
            .iter()
            .map(|p| p.metadata.name.to_string())
            .collect()
    }

    #[test]
    fn live_is_published_in_the_same_frame_as_its_rows() {
        let (schedule, frames) = manual();
        let store = FrameStore::<Pod>::with_scheduler(schedule);
        store.apply(WatcherEvent::State(WatchState::Listing));
        store.apply(WatcherEvent::Synced(vec![pod("web", 1), pod("db", 1)]));
        store.apply(WatcherEvent::State(WatchState::Live));
        // Before the frame: neither the rows nor the state.
        assert_eq!(store.state().get_untracked(), WatchState::Listing);
        assert!(names(&store).is_empty());
        assert!(!store.synced().get_untracked());
        run_frames(&frames);
        assert_eq!(store.state().get_untracked(), WatchState::Live);
        assert_eq!(names(&store), ["db", "web"]);
        assert!(store.synced().get_untracked());
        assert_eq!(frames.borrow().len(), 0, "one frame published everything");
    }

    #[test]
    fn a_hidden_tab_keeps_one_pending_entry_per_object() {
        let (schedule, frames) = manual();
        let store = FrameStore::<Pod>::with_scheduler(schedule);
        store.apply(WatcherEvent::Synced(vec![pod("web", 1), pod("db", 1)]));
        // No frames run (hidden tab): 10,000 updates of the same two pods.
        for rv in 2..10_002 {
            store.apply(WatcherEvent::Applied(pod("web", rv)));
            store.apply(WatcherEvent::Applied(pod("db", rv)));
        }
        assert_eq!(store.pending(), 2);
        assert_eq!(
            frames.borrow().len(),
            1,
            "one frame asked for, not one per event"
        );
        run_frames(&frames);
        assert_eq!(names(&store), ["db", "web"]);
        let web = store.rows().get_untracked()[1].clone();
        assert_eq!(web.metadata.resource_version, "10001");
        assert_eq!(store.pending(), 0);
    }

    #[test]
    fn churn_while_hidden_is_bounded_and_published_exactly() {
        let (schedule, frames) = manual();
        let store = FrameStore::<Pod>::with_scheduler(schedule);
        store.apply(WatcherEvent::Synced(vec![pod("keep", 1)]));
        // Objects that come and go under new names: the keys would grow without bound.
        for i in 0..5_000 {
            let name = format!("job-{i}");
            store.apply(WatcherEvent::Applied(pod(&name, 1)));
            store.apply(WatcherEvent::Deleted(pod(&name, 2)));
            assert!(store.pending() <= REBUILD_FLOOR + 1);
        }
        store.apply(WatcherEvent::Applied(pod("last", 1)));
        run_frames(&frames);
        assert_eq!(names(&store), ["keep", "last"]);
    }

    #[test]
    fn the_changed_keys_keep_room_for_the_next_frame_but_not_a_bursts() {
        let mut batch = FrameBatch::<Pod>::default();
        batch.apply(WatcherEvent::Synced(
            (0..5_000).map(|i| pod(&format!("p{i:04}"), 1)).collect(),
        ));
        let mut rows = Vec::new();
        batch.publish(&mut rows);
        let storm = |batch: &mut FrameBatch<Pod>, n: usize, rv: u64| {
            for i in 0..n {
                batch.apply(WatcherEvent::Applied(pod(&format!("p{i:04}"), rv)));
            }
        };
        // A storm's frame: its room stays for the next one.
        storm(&mut batch, 20, 2);
        batch.publish(&mut rows);
        assert!(batch.pending.keys.capacity() >= 20);
        // A burst of 3,000 changes is published, then its room given back.
        storm(&mut batch, 3_000, 3);
        assert_eq!(batch.pending().len(), 3_000);
        batch.publish(&mut rows);
        assert!(batch.pending().is_empty());
        assert!(batch.pending.keys.capacity() <= 2 * KEPT_CAPACITY);
        assert_eq!(rows[2_999].metadata.resource_version, "3");
        assert_eq!(rows[3_000].metadata.resource_version, "1");
    }

    #[test]
    fn pages_of_a_list_show_frame_by_frame_with_the_expected_total() {
        let (schedule, frames) = manual();
        let store = FrameStore::<Pod>::with_scheduler(schedule);
        store.apply(WatcherEvent::Page {
            items: vec![pod("a", 1), pod("b", 1)],
            remaining: Some(3),
            first: true,
        });
        run_frames(&frames);
        assert_eq!(names(&store), ["a", "b"]);
        assert_eq!(store.expected().get_untracked(), Some(5));
        assert!(!store.synced().get_untracked(), "more is on its way");
        // One more object is not half as many again: the rows wait for more, the count too.
        store.apply(WatcherEvent::Page {
            items: vec![pod("c", 1)],
            remaining: Some(2),
            first: false,
        });
        run_frames(&frames);
        assert_eq!(names(&store), ["a", "b"]);
        // The list fails half-way: what it has shows while it waits to retry.
        store.apply(WatcherEvent::State(WatchState::Retrying {
            error: lookout_client::Error::from_response(503, &[], b"unavailable"),
            delay: std::time::Duration::from_secs(1),
            stale_since: 0.0,
            attempt: 1,
        }));
        run_frames(&frames);
        assert_eq!(names(&store), ["a", "b", "c"]);
        store.apply(WatcherEvent::Synced(vec![pod("d", 1)]));
        run_frames(&frames);
        assert_eq!(names(&store), ["a", "b", "c", "d"]);
        assert_eq!(store.expected().get_untracked(), None);
        assert!(store.synced().get_untracked());
        // A relist in pages: the table is complete already, no progress is shown.
        store.apply(WatcherEvent::Page {
            items: vec![pod("a", 2)],
            remaining: Some(3),
            first: true,
        });
        run_frames(&frames);
        assert_eq!(store.expected().get_untracked(), None);
    }

    #[test]
    fn a_frame_after_a_few_changes_patches_the_rows() {
        let (schedule, frames) = manual();
        let store = FrameStore::<Pod>::with_scheduler(schedule);
        store.apply(WatcherEvent::Synced(vec![
            pod("a", 1),
            pod("b", 1),
            pod("c", 1),
        ]));
        run_frames(&frames);
        store.apply(WatcherEvent::Deleted(pod("b", 2)));
        store.apply(WatcherEvent::Applied(pod("d", 1)));
        store.apply(WatcherEvent::State(WatchState::Live));
        assert_eq!(names(&store), ["a", "b", "c"], "unchanged until the frame");
        run_frames(&frames);
        assert_eq!(names(&store), ["a", "c", "d"]);
        assert_eq!(store.state().get_untracked(), WatchState::Live);
    }
}
