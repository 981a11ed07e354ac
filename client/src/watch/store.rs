//! The object store: the current state of one watched collection, fed by watcher events.

use crate::api::resource::{KeyHasher, KeySet, ObjectKey, Resource};
use crate::watch::watcher::WatcherEvent;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::Arc;

/// Whether `new` is the object `old` holds, at the same resourceVersion (objects without one are
/// never taken for the same).
fn same_version<T: Resource>(old: &T, new: &T) -> bool {
    let rv = &old.meta().resource_version;
    !rv.is_empty() && *rv == new.meta().resource_version
}

/// What a store update changed, so views can touch only the affected rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The object was added or its content changed.
    Upserted(ObjectKey),
    /// The object is gone.
    Removed(ObjectKey),
}

impl Change {
    /// The key of the object that changed.
    pub fn key(&self) -> &ObjectKey {
        match self {
            Change::Upserted(k) | Change::Removed(k) => k,
        }
    }

    /// The key of the object that changed, taken.
    pub fn into_key(self) -> ObjectKey {
        match self {
            Change::Upserted(k) | Change::Removed(k) => k,
        }
    }
}

/// Objects of one kind and selector, keyed by namespace/name; each event applies in O(1).
/// Objects are held behind `Arc`, so views share them with the store instead of copying.
#[derive(Debug, Clone)]
pub struct Store<T> {
    objects: HashMap<ObjectKey, Arc<T>, KeyHasher>,
    synced: bool,
    /// Keys the pages of a list on its way delivered ([`WatcherEvent::Page`]).
    listing: Option<KeySet>,
}

impl<T> Default for Store<T> {
    fn default() -> Self {
        Store {
            objects: HashMap::default(),
            synced: false,
            listing: None,
        }
    }
}

impl<T: Resource> Store<T> {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies one watcher event and returns what changed. A resync (`Synced`) replaces the whole
    /// state and reports only the difference: objects gone since are `Removed`, new or changed
    /// ones `Upserted`, unchanged ones not at all. A list's pages are upserted as they come; the
    /// `Synced` after them (the last page) removes what none of its pages held.
    pub fn apply(&mut self, event: WatcherEvent<T>) -> Vec<Change> {
        let mut changes = Vec::new();
        self.apply_each(event, |change| changes.push(change));
        changes
    }

    /// [`Store::apply`], handing each change to `changed` in the same order instead of collecting
    /// them: the event of one object (a watch's hot path) allocates nothing but its new copy.
    pub fn apply_each(&mut self, event: WatcherEvent<T>, mut changed: impl FnMut(Change)) {
        match event {
            WatcherEvent::Synced(items) => match self.listing.take() {
                Some(seen) => self.finish_listing(seen, items, &mut changed),
                None => self.replace(items, &mut changed),
            },
            WatcherEvent::Page { items, first, .. } => {
                let seen = match &mut self.listing {
                    Some(seen) if !first => seen,
                    listing => listing.insert(KeySet::default()),
                };
                seen.extend(items.iter().map(ObjectKey::of));
                for obj in items {
                    self.upsert(obj, &mut changed);
                }
            }
            WatcherEvent::Applied(obj) => self.upsert(obj, &mut changed),
            WatcherEvent::Deleted(obj) => {
                if let Some((key, _)) = self.objects.remove_entry(&ObjectKey::of(&obj)) {
                    changed(Change::Removed(key));
                }
            }
            WatcherEvent::State(_) => {}
        }
    }

    /// Stores `obj`, and reports the change unless it holds that resourceVersion already.
    fn upsert(&mut self, obj: T, changed: &mut impl FnMut(Change)) {
        // One hash lookup; the key shares the object's strings.
        match self.objects.entry(ObjectKey::of(&obj)) {
            // The copy held already stays (views compare pointers to find changed rows).
            Entry::Occupied(slot) if same_version(&**slot.get(), &obj) => {}
            Entry::Occupied(mut slot) => {
                match Arc::get_mut(slot.get_mut()) {
                    // Nobody else holds the old copy (no view has it yet): it is overwritten in
                    // its allocation, as no pointer to it can be compared.
                    Some(held) => *held = obj,
                    // Views hold the old copy and keep seeing it: the new one is a new pointer.
                    None => *slot.get_mut() = Arc::new(obj),
                }
                changed(Change::Upserted(slot.key().clone()));
            }
            Entry::Vacant(slot) => {
                changed(Change::Upserted(slot.key().clone()));
                slot.insert(Arc::new(obj));
            }
        }
    }

    /// Ends a list delivered in pages: `last` is its last page; objects no page held are gone.
    fn finish_listing(&mut self, mut seen: KeySet, last: Vec<T>, changed: &mut impl FnMut(Change)) {
        self.synced = true;
        seen.extend(last.iter().map(ObjectKey::of));
        for obj in last {
            self.upsert(obj, changed);
        }
        let mut removed: Vec<ObjectKey> = self
            .objects
            .keys()
            .filter(|k| !seen.contains(*k))
            .cloned()
            .collect();
        removed.sort();
        for key in removed {
            self.objects.remove(&key);
            changed(Change::Removed(key));
        }
    }

    fn replace(&mut self, items: Vec<T>, changed: &mut impl FnMut(Change)) {
        self.synced = true;
        let mut next = HashMap::with_capacity_and_hasher(items.len(), KeyHasher::default());
        for obj in items {
            let key = ObjectKey::of(&obj);
            // An object the store holds at this version keeps its copy (and its pointer).
            match self
                .objects
                .get(&key)
                .filter(|old| same_version(&***old, &obj))
            {
                Some(old) => {
                    next.insert(key, old.clone());
                }
                None => {
                    changed(Change::Upserted(key.clone()));
                    next.insert(key, Arc::new(obj));
                }
            }
        }
        let mut removed: Vec<&ObjectKey> = self
            .objects
            .keys()
            .filter(|k| !next.contains_key(*k))
            .collect();
        removed.sort();
        for key in removed {
            changed(Change::Removed(key.clone()));
        }
        self.objects = next;
    }

    /// The object with this key.
    pub fn get(&self, key: &ObjectKey) -> Option<&T> {
        self.objects.get(key).map(|o| &**o)
    }

    /// All objects, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.objects.values().map(|o| &**o)
    }

    /// All objects in namespace/name order.
    pub fn sorted(&self) -> Vec<&T> {
        self.sorted_shared().into_iter().map(|o| &**o).collect()
    }

    /// All objects in namespace/name order, shared with the store.
    pub fn sorted_shared(&self) -> Vec<&Arc<T>> {
        let mut all: Vec<(&ObjectKey, &Arc<T>)> = self.objects.iter().collect();
        all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        all.into_iter().map(|(_, v)| v).collect()
    }

    /// Brings `rows` (this store's objects in namespace/name order, as of before `changes`) up to
    /// date: O(log n) per change plus the moves, instead of re-sorting everything. Falls back to a
    /// full rebuild when most objects changed (a relist).
    pub fn update_sorted(&self, rows: &mut Vec<Arc<T>>, changes: &[Change]) {
        if changes.len() > 64 && changes.len() * 8 > rows.len() {
            *rows = self.sorted_shared().into_iter().cloned().collect();
            return;
        }
        for change in changes {
            let key = change.key();
            let found = rows.binary_search_by(|r| {
                let m = r.meta();
                (m.namespace.as_str(), m.name.as_str())
                    .cmp(&(key.namespace.as_str(), key.name.as_str()))
            });
            match (found, self.objects.get(key)) {
                (Ok(i), Some(obj)) => rows[i] = obj.clone(),
                (Err(i), Some(obj)) => rows.insert(i, obj.clone()),
                (Ok(i), None) => {
                    rows.remove(i);
                }
                (Err(_), None) => {}
            }
        }
    }

    /// How many objects the list arriving in pages has delivered so far (0 when none is).
    pub fn listed(&self) -> usize {
        self.listing.as_ref().map_or(0, KeySet::len)
    }

    /// Whether a complete snapshot has arrived (until then, an empty store means "loading").
    pub fn is_synced(&self) -> bool {
        self.synced
    }

    /// Number of objects.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// Applies a whole watch body (JSON lines, as recorded from a watch stream) in one go; see
    /// [`Store::apply_watch_chunk`]. Returns how many events were applied.
    pub fn apply_watch_body(&mut self, body: &[u8]) -> Result<usize, crate::Error> {
        let mut lines = crate::api::lines::LineSplitter::new();
        Ok(
            self.apply_watch_chunk(&mut lines, body)?
                + self.apply_watch_chunk(&mut lines, b"\n")?,
        )
    }

    /// Applies the complete lines of the next `chunk` of a watch body (a partial last line waits
    /// in `lines` for the next chunk), so a large recording is decoded with bounded memory.
    /// Bookmarks are skipped; a malformed line or `ERROR` event stops with its error, and the
    /// lines after it wait in `lines`: call again (with an empty chunk) to apply them.
    pub fn apply_watch_chunk(
        &mut self,
        lines: &mut crate::api::lines::LineSplitter,
        chunk: &[u8],
    ) -> Result<usize, crate::Error> {
        use crate::watch::watch_event::{decode_event, WatchEvent};
        lines.push(chunk);
        let mut applied = 0;
        while let Some(line) = lines.next_line()? {
            let event = match decode_event::<T>(line)? {
                WatchEvent::Added(o) | WatchEvent::Modified(o) => WatcherEvent::Applied(o),
                WatchEvent::Deleted(o) => WatcherEvent::Deleted(o),
                WatchEvent::Bookmark { .. } => continue,
                WatchEvent::Error(status) => {
                    return Err(crate::Error::WatchError(Box::new(status)))
                }
            };
            self.apply(event);
            applied += 1;
        }
        Ok(applied)
    }

    /// Whether the store holds nothing.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pod;

    fn pod(name: &str, rv: &str) -> Pod {
        let mut p = Pod::default();
        p.metadata.namespace = "app".into();
        p.metadata.name = name.into();
        p.metadata.resource_version = rv.into();
        p
    }

    fn key(name: &str) -> ObjectKey {
        ObjectKey {
            namespace: "app".into(),
            name: name.into(),
        }
    }

    #[test]
    fn resync_reports_only_the_difference() {
        let mut s = Store::new();
        assert!(!s.is_synced());
        s.apply(WatcherEvent::Synced(vec![
            pod("a", "1"),
            pod("b", "2"),
            pod("c", "3"),
        ]));
        let changes = s.apply(WatcherEvent::Synced(vec![
            pod("a", "1"),
            pod("b", "5"),
            pod("d", "6"),
        ]));
        assert_eq!(
            changes,
            vec![
                Change::Upserted(key("b")),
                Change::Upserted(key("d")),
                Change::Removed(key("c"))
            ]
        );
        let names: Vec<_> = s
            .sorted()
            .iter()
            .map(|p| p.metadata.name.as_str())
            .collect();
        assert_eq!(names, ["a", "b", "d"]);
        assert!(s.is_synced());
    }

    #[test]
    fn repeated_and_unknown_events_change_nothing() {
        let mut s = Store::new();
        assert_eq!(
            s.apply(WatcherEvent::Applied(pod("a", "1"))),
            vec![Change::Upserted(key("a"))]
        );
        assert_eq!(s.apply(WatcherEvent::Applied(pod("a", "1"))), vec![]);
        assert_eq!(s.apply(WatcherEvent::Deleted(pod("zz", "9"))), vec![]);
        assert_eq!(
            s.apply(WatcherEvent::Deleted(pod("a", "2"))),
            vec![Change::Removed(key("a"))]
        );
        assert!(s.is_empty());
    }

    #[test]
    fn a_recorded_watch_body_applies_in_one_go() {
        let body = br#"{"type":"ADDED","object":{"metadata":{"name":"a","namespace":"app","resourceVersion":"1"}}}
{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"2"}}}
{"type":"MODIFIED","object":{"metadata":{"name":"a","namespace":"app","resourceVersion":"3"}}}
{"type":"ADDED","object":{"metadata":{"name":"b","namespace":"app","resourceVersion":"4"}}}
{"type":"DELETED","object":{"metadata":{"name":"b","namespace":"app","resourceVersion":"5"}}}"#;
        let mut s = Store::<Pod>::new();
        assert_eq!(s.apply_watch_body(body), Ok(4));
        assert_eq!(s.len(), 1);
        let err = s
            .apply_watch_body(b"{\"type\":\"ADDED\",\"object\":7}")
            .unwrap_err();
        assert!(
            err.to_string().contains("decode") || err.to_string().contains("invalid"),
            "{err}"
        );
    }

    #[test]
    fn sorted_rows_follow_every_change_without_a_resort() {
        let mut s = Store::new();
        let mut rows = Vec::new();
        let mut step = |event, rows: &mut Vec<Arc<Pod>>| {
            let changes = s.apply(event);
            s.update_sorted(rows, &changes);
            let names: Vec<String> = rows.iter().map(|p| p.metadata.name.to_string()).collect();
            assert_eq!(
                names,
                s.sorted()
                    .iter()
                    .map(|p| p.metadata.name.clone())
                    .collect::<Vec<_>>()
            );
            names
        };
        step(
            WatcherEvent::Synced(vec![pod("b", "1"), pod("d", "1")]),
            &mut rows,
        );
        assert_eq!(
            step(WatcherEvent::Applied(pod("c", "1")), &mut rows),
            ["b", "c", "d"]
        );
        assert_eq!(
            step(WatcherEvent::Applied(pod("a", "1")), &mut rows),
            ["a", "b", "c", "d"]
        );
        step(WatcherEvent::Applied(pod("c", "2")), &mut rows);
        assert_eq!(rows[2].metadata.resource_version, "2");
        assert_eq!(
            step(WatcherEvent::Deleted(pod("b", "1")), &mut rows),
            ["a", "c", "d"]
        );
        let many: Vec<Pod> = (0..200).map(|i| pod(&format!("p{i:03}"), "1")).collect();
        assert_eq!(step(WatcherEvent::Synced(many), &mut rows).len(), 200);
    }

    fn page(names: &[(&str, &str)], first: bool) -> WatcherEvent<Pod> {
        WatcherEvent::Page {
            items: names.iter().map(|(n, rv)| pod(n, rv)).collect(),
            remaining: None,
            first,
        }
    }

    fn names(s: &Store<Pod>) -> Vec<String> {
        s.sorted()
            .iter()
            .map(|p| p.metadata.name.to_string())
            .collect()
    }

    #[test]
    fn a_list_in_pages_shows_each_page_and_its_end_removes_what_no_page_held() {
        let mut s = Store::new();
        s.apply(WatcherEvent::Synced(vec![pod("a", "1"), pod("gone", "1")]));
        // A relist in pages: each page shows at once, nothing is removed before the end.
        assert_eq!(
            s.apply(page(&[("a", "1"), ("b", "2")], true)),
            vec![Change::Upserted(key("b"))]
        );
        assert_eq!(names(&s), ["a", "b", "gone"]);
        let end = s.apply(WatcherEvent::Synced(vec![pod("c", "3")]));
        assert_eq!(
            end,
            vec![Change::Upserted(key("c")), Change::Removed(key("gone"))]
        );
        assert_eq!(names(&s), ["a", "b", "c"]);
        // The next plain Synced is a whole snapshot again.
        s.apply(WatcherEvent::Synced(vec![pod("a", "1")]));
        assert_eq!(names(&s), ["a"]);
    }

    #[test]
    fn an_object_at_the_version_held_keeps_its_copy_so_views_see_no_change() {
        let mut s = Store::new();
        s.apply(WatcherEvent::Synced(vec![pod("a", "1"), pod("b", "1")]));
        let held = |s: &Store<Pod>| s.sorted_shared().into_iter().cloned().collect::<Vec<_>>();
        let before = held(&s);
        // A relist (whole or in pages) and a repeated event at the same versions.
        assert!(s
            .apply(WatcherEvent::Synced(vec![pod("a", "1"), pod("b", "1")]))
            .is_empty());
        assert!(s.apply(page(&[("a", "1")], true)).is_empty());
        assert!(s.apply(WatcherEvent::Applied(pod("b", "1"))).is_empty());
        s.apply(WatcherEvent::Synced(vec![pod("b", "1")]));
        let after = held(&s);
        assert!(Arc::ptr_eq(&before[0], &after[0]) && Arc::ptr_eq(&before[1], &after[1]));
        // A new version is a new copy.
        s.apply(WatcherEvent::Applied(pod("b", "2")));
        assert!(!Arc::ptr_eq(&before[1], &held(&s)[1]));
    }

    #[test]
    fn a_new_version_leaves_the_copy_a_view_holds_as_it_was() {
        let mut s = Store::new();
        s.apply(WatcherEvent::Synced(vec![pod("a", "1")]));
        let shown = s.sorted_shared()[0].clone();
        assert_eq!(
            s.apply(WatcherEvent::Applied(pod("a", "2"))),
            vec![Change::Upserted(key("a"))]
        );
        // The view still shows version 1 until it takes the new copy, a new pointer.
        assert_eq!(shown.metadata.resource_version, "1");
        let newer = s.sorted_shared()[0].clone();
        assert_eq!(newer.metadata.resource_version, "2");
        assert!(!Arc::ptr_eq(&shown, &newer));
        // A copy nobody else holds is overwritten where it is; the change is still reported.
        drop((shown, newer));
        let at = Arc::as_ptr(s.sorted_shared()[0]);
        assert_eq!(
            s.apply(WatcherEvent::Applied(pod("a", "3"))),
            vec![Change::Upserted(key("a"))]
        );
        assert_eq!(Arc::as_ptr(s.sorted_shared()[0]), at);
        assert_eq!(names(&s), ["a"]);
        assert_eq!(
            s.get(&key("a"))
                .map(|p| p.metadata.resource_version.as_str()),
            Some("3")
        );
    }

    #[test]
    fn each_change_is_handed_over_in_the_order_apply_returns_them() {
        let events = || {
            vec![
                WatcherEvent::Synced(vec![pod("a", "1"), pod("b", "1"), pod("c", "1")]),
                page(&[("a", "1"), ("d", "1")], true),
                WatcherEvent::Synced(vec![pod("b", "2")]),
                WatcherEvent::Applied(pod("e", "1")),
                WatcherEvent::Deleted(pod("e", "2")),
            ]
        };
        use Change::{Removed as Gone, Upserted as Up};
        let expected = [
            vec![Up(key("a")), Up(key("b")), Up(key("c"))],
            // `a` at the version held is no change.
            vec![Up(key("d"))],
            // The list ends: `b` changed, `c` is not in it.
            vec![Up(key("b")), Gone(key("c"))],
            vec![Up(key("e"))],
            vec![Gone(key("e"))],
        ];
        let (mut collected, mut handed) = (Store::new(), Store::new());
        for ((one, two), expected) in events().into_iter().zip(events()).zip(expected) {
            let mut each = Vec::new();
            handed.apply_each(two, |c| each.push(c));
            assert_eq!(each, expected);
            assert_eq!(collected.apply(one), expected);
        }
        assert_eq!(names(&handed), ["a", "b", "d"]);
    }

    #[test]
    fn a_restarted_list_forgets_the_pages_of_the_first_attempt() {
        let mut s = Store::new();
        s.apply(page(&[("a", "1"), ("old", "1")], true));
        assert!(!s.is_synced(), "not complete before the end of the list");
        // The continue token expired; the list starts over without "old" (deleted meanwhile).
        s.apply(page(&[("a", "2")], true));
        s.apply(WatcherEvent::Synced(vec![pod("b", "2")]));
        assert!(s.is_synced());
        assert_eq!(names(&s), ["a", "b"]);
    }
}
