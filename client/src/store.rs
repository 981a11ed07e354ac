//! The object store: the current state of one watched collection, fed by watcher events.

use crate::resource::{ObjectKey, Resource};
use crate::watcher::WatcherEvent;
use std::collections::HashMap;

/// What a store update changed, so views can touch only the affected rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The object was added or its content changed.
    Upserted(ObjectKey),
    /// The object is gone.
    Removed(ObjectKey),
}

/// Objects of one kind and selector, keyed by namespace/name; each event applies in O(1).
#[derive(Debug, Clone)]
pub struct Store<T> {
    objects: HashMap<ObjectKey, T>,
    synced: bool,
}

impl<T> Default for Store<T> {
    fn default() -> Self {
        Store {
            objects: HashMap::new(),
            synced: false,
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
    /// ones `Upserted`, unchanged ones not at all.
    pub fn apply(&mut self, event: WatcherEvent<T>) -> Vec<Change> {
        match event {
            WatcherEvent::Synced(items) => self.replace(items),
            WatcherEvent::Applied(obj) => {
                let key = ObjectKey::of(&obj);
                let unchanged = self
                    .objects
                    .get(&key)
                    .is_some_and(|old| old.meta().resource_version == obj.meta().resource_version);
                self.objects.insert(key.clone(), obj);
                if unchanged {
                    vec![]
                } else {
                    vec![Change::Upserted(key)]
                }
            }
            WatcherEvent::Deleted(obj) => {
                let key = ObjectKey::of(&obj);
                match self.objects.remove(&key) {
                    Some(_) => vec![Change::Removed(key)],
                    None => vec![],
                }
            }
            WatcherEvent::State(_) => vec![],
        }
    }

    fn replace(&mut self, items: Vec<T>) -> Vec<Change> {
        self.synced = true;
        let mut next = HashMap::with_capacity(items.len());
        let mut changes = Vec::new();
        for obj in items {
            let key = ObjectKey::of(&obj);
            let same = self
                .objects
                .get(&key)
                .is_some_and(|old| old.meta().resource_version == obj.meta().resource_version);
            if !same {
                changes.push(Change::Upserted(key.clone()));
            }
            next.insert(key, obj);
        }
        let mut removed: Vec<&ObjectKey> = self
            .objects
            .keys()
            .filter(|k| !next.contains_key(*k))
            .collect();
        removed.sort();
        changes.extend(removed.into_iter().map(|k| Change::Removed(k.clone())));
        self.objects = next;
        changes
    }

    /// The object with this key.
    pub fn get(&self, key: &ObjectKey) -> Option<&T> {
        self.objects.get(key)
    }

    /// All objects, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.objects.values()
    }

    /// All objects in namespace/name order.
    pub fn sorted(&self) -> Vec<&T> {
        let mut all: Vec<(&ObjectKey, &T)> = self.objects.iter().collect();
        all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        all.into_iter().map(|(_, v)| v).collect()
    }

    /// Whether a complete snapshot has arrived (until then, an empty store means "loading").
    pub fn is_synced(&self) -> bool {
        self.synced
    }

    /// Number of objects.
    pub fn len(&self) -> usize {
        self.objects.len()
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
}
