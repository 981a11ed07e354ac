//! [`use_objects`]: the live objects of one kind that a selector picks, as signals.

use super::narrowed::{combined, readable_namespaces, Narrowed};
use super::watches::{acquire, refusal, release, Key, Shared};
use leptos::prelude::*;
use lookout_client::{ApiResource, Connection, Resource, Selector, WatchState};
use std::any::TypeId;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

/// Options of [`use_objects_with_options`].
#[derive(Clone, Default)]
pub struct UseObjectsOptions {
    /// The connection to watch through. Default: the [`Connection`] in context.
    pub connection: Option<Connection>,
}

impl UseObjectsOptions {
    /// Watches through `connection` instead of the one in context.
    pub fn connection(mut self, connection: Connection) -> Self {
        self.connection = Some(connection);
        self
    }
}

/// What [`use_objects`] returns: the live objects of one collection and the health of its watch.
/// Rows and state are published in the same animation frame.
pub struct UseObjectsReturn<T: Send + Sync + 'static> {
    /// Objects in namespace/name order, shared with the store (for large views: no copies).
    pub rows: Signal<Vec<Arc<T>>>,
    /// Objects in namespace/name order, copied (for small views).
    pub items: Signal<Vec<T>>,
    /// Listing, waiting for a place, live, or retrying after an error.
    pub state: Signal<WatchState>,
    /// Whether a complete list has arrived (until then, no rows means "not known yet").
    pub synced: Signal<bool>,
    /// Whether the first list is still awaited.
    pub loading: Signal<bool>,
    /// While the first list arrives in pages: how many of its objects are in and how many it
    /// will hold, for "loading N of M".
    pub progress: Signal<Option<ListProgress>>,
    /// Set when the cluster-wide list was refused and only some namespaces are shown.
    pub narrowed: Signal<Option<Narrowed>>,
    /// Retries now instead of after the backoff (for a "Retry now" button).
    pub retry: Callback<()>,
}

/// How far a collection's first list has arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListProgress {
    /// Objects in: the collection's rows so far.
    pub arrived: usize,
    /// Objects the list will hold (the server's estimate).
    pub expected: usize,
}

impl ListProgress {
    /// The progress of the lists of `sources` taken together, while one of them is arriving
    /// (it has the server's estimate and is not waiting to retry). Each counts its whole watch,
    /// rows another selector's reader filters out included, so both numbers describe the same
    /// lists; one already in (a namespace listed in one page) counts what it holds.
    fn of<'a, T: Send + Sync + 'static>(
        sources: impl Iterator<Item = &'a Source<T>>,
    ) -> Option<ListProgress> {
        let mut total: Option<ListProgress> = None;
        let mut in_hand = 0;
        for s in sources {
            let arrived = s.rows.with(Vec::len);
            let retrying = s.state.with(|st| matches!(st, WatchState::Retrying { .. }));
            match s.expected.get().filter(|_| !retrying) {
                Some(expected) => {
                    let sum = total.get_or_insert(ListProgress {
                        arrived: 0,
                        expected: 0,
                    });
                    sum.arrived += arrived;
                    // A list restarted after its continue token expired holds the failed
                    // attempt's rows until its last page: never more in than expected.
                    sum.expected += expected.max(arrived);
                }
                None => in_hand += arrived,
            }
        }
        total.map(|t| ListProgress {
            arrived: t.arrived + in_hand,
            expected: t.expected + in_hand,
        })
    }
}

impl<T: Send + Sync + 'static> Clone for UseObjectsReturn<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for UseObjectsReturn<T> {}

/// What one watch held publishes to this reader; `filter` is set when a wider watch serves it.
struct Source<T: Send + Sync + 'static> {
    rows: ArcRwSignal<Vec<Arc<T>>>,
    state: ArcRwSignal<WatchState>,
    synced: ArcRwSignal<bool>,
    expected: ArcRwSignal<Option<usize>>,
    filter: Option<Selector>,
}

impl<T: Send + Sync + 'static> Clone for Source<T> {
    fn clone(&self) -> Self {
        Source {
            rows: self.rows.clone(),
            state: self.state.clone(),
            synced: self.synced.clone(),
            expected: self.expected.clone(),
            filter: self.filter.clone(),
        }
    }
}

impl<T: Resource + Send + Sync> Source<T> {
    fn of(asked: &Key, held: &Key, shared: &Shared<T>) -> Self {
        Source {
            rows: shared.frame.rows(),
            state: shared.frame.state(),
            synced: shared.frame.synced(),
            expected: shared.frame.expected(),
            // Served by a wider watch: keep only what this selector picks.
            filter: (held != asked).then(|| asked.3.clone()),
        }
    }

    fn rows(&self) -> Vec<Arc<T>> {
        match &self.filter {
            None => self.rows.get(),
            Some(filter) => self.rows.with(|all| {
                let picks = filter.meta_matcher();
                all.iter().filter(|o| picks(o.meta())).cloned().collect()
            }),
        }
    }
}

/// A watch held: the key asked for, the key held (maybe a wider one), the watch.
type Holding<T> = (Key, Key, Rc<Shared<T>>);

/// The live objects of `api` that `selector` picks, through the connection in context; see
/// [`use_objects_with_options`].
pub fn use_objects<T>(
    api: ApiResource,
    selector: impl Fn() -> Selector + 'static,
) -> UseObjectsReturn<T>
where
    T: Resource + Send + Sync,
{
    use_objects_with_options(api, selector, UseObjectsOptions::default())
}

/// The live objects of `api` that `selector` picks, shared with every other reader of the same
/// collection. Re-targets when the selector's signals change; leaves the watch when the component
/// is cleaned up. When the API server refuses a collection of all namespaces (403), shows the
/// [readable namespaces](super::set_readable_namespaces) instead and says so in `narrowed`.
pub fn use_objects_with_options<T>(
    api: ApiResource,
    selector: impl Fn() -> Selector + 'static,
    options: UseObjectsOptions,
) -> UseObjectsReturn<T>
where
    T: Resource + Send + Sync,
{
    let connection = options
        .connection
        .unwrap_or_else(expect_context::<Connection>);
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
        primary.set(Some(Source::of(&key, &held_key, &shared)));
        requested.set(Some(key.clone()));
        if let Some((_, old_key, _)) = held_by_effect.borrow_mut().replace((key, held_key, shared))
        {
            release(&old_key);
        }
    });
    // Refused cluster-wide: one watch per readable namespace instead.
    let held_narrow_by_effect = held_narrow.clone();
    Effect::new(move |_| {
        let Some(key) = requested.get() else { return };
        let why = primary.with(|p| p.as_ref().and_then(|s| s.state.with(refusal)));
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
            narrow.set(now.iter().map(|(a, h, s)| Source::of(a, h, s)).collect());
            for (_, old_key, _) in held_narrow_by_effect.replace(now) {
                release(&old_key);
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
    // `on_cleanup` and callbacks need Send closures; the registry is thread-local, so the
    // holdings stay on this thread behind a SendWrapper.
    let (held_for_retry, narrow_for_retry) = (held.clone(), held_narrow.clone());
    let retry_all = send_wrapper::SendWrapper::new(move || {
        let narrow = narrow_for_retry.borrow();
        for (_, _, shared) in held_for_retry.borrow().iter().chain(narrow.iter()) {
            shared.retry();
        }
    });
    let retry = Callback::new(move |()| retry_all());
    let leave = send_wrapper::SendWrapper::new(move || {
        let narrow = std::mem::take(&mut *held_narrow.borrow_mut());
        for (_, key, _) in held.borrow_mut().take().into_iter().chain(narrow) {
            release(&key);
        }
    });
    on_cleanup(move || (leave.take())());
    // Memos: every reader of a frame shares one copy (a derived signal would copy per read).
    let rows = Memo::new_with_compare(
        move |_| {
            narrow.with(|n| {
                if n.is_empty() {
                    primary.with(|p| p.as_ref().map(Source::rows).unwrap_or_default())
                } else {
                    // Namespaces in name order: the rows stay in namespace/name order.
                    n.iter().flat_map(Source::rows).collect()
                }
            })
        },
        |_, _| true,
    );
    let items = Memo::new_with_compare(
        move |_| rows.with(|r| r.iter().map(|o| T::clone(o)).collect::<Vec<T>>()),
        |_, _| true,
    );
    let synced = Signal::derive(move || {
        narrow.with(|n| {
            if n.is_empty() {
                primary.with(|p| p.as_ref().is_some_and(|s| s.synced.get()))
            } else {
                n.iter().all(|s| s.synced.get())
            }
        })
    });
    UseObjectsReturn {
        rows: rows.into(),
        items: items.into(),
        state: Signal::derive(move || {
            narrow.with(|n| {
                if n.is_empty() {
                    primary.with(|p| p.as_ref().map_or(WatchState::Listing, |s| s.state.get()))
                } else {
                    combined(n.iter().map(|s| s.state.get()))
                }
            })
        }),
        synced,
        loading: Signal::derive(move || !synced.get()),
        progress: Signal::derive(move || {
            narrow.with(|n| {
                if n.is_empty() {
                    primary.with(|p| ListProgress::of(p.iter()))
                } else {
                    ListProgress::of(n.iter())
                }
            })
        }),
        narrowed: narrowed.into(),
        retry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lookout_client::{Error, Pod};
    use std::time::Duration;

    /// A watch's source holding `rows` objects, with the server's estimate `expected`.
    fn source(rows: usize, expected: Option<usize>, state: WatchState) -> Source<Pod> {
        Source {
            rows: ArcRwSignal::new((0..rows).map(|_| Arc::new(Pod::default())).collect()),
            state: ArcRwSignal::new(state),
            synced: ArcRwSignal::new(expected.is_none()),
            expected: ArcRwSignal::new(expected),
            filter: None,
        }
    }

    #[test]
    fn progress_counts_the_same_lists_on_both_sides() {
        let of = |sources: &[Source<Pod>]| ListProgress::of(sources.iter());
        let progress = |arrived, expected| Some(ListProgress { arrived, expected });
        // One list arriving.
        assert_eq!(
            of(&[source(500, Some(20_000), WatchState::Listing)]),
            progress(500, 20_000)
        );
        // Namespace by namespace: one done (no estimate any more), one arriving.
        let ns = [
            source(20_000, None, WatchState::Live),
            source(1_000, Some(5_000), WatchState::Listing),
        ];
        assert_eq!(of(&ns), progress(21_000, 25_000));
        // Nothing arriving, or only a list waiting to retry: no line.
        assert_eq!(of(&[source(20_000, None, WatchState::Live)]), None);
        let retrying = WatchState::Retrying {
            error: Error::Network("dropped".into()),
            delay: Duration::from_secs(1),
            stale_since: 0.0,
            attempt: 1,
        };
        assert_eq!(of(&[source(500, Some(20_000), retrying)]), None);
        // A restarted list holding more than its estimate: never more in than expected.
        assert_eq!(
            of(&[source(900, Some(600), WatchState::Listing)]),
            progress(900, 900)
        );
    }
}
