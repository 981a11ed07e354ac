//! The page's shared watches: reference-counted entries by key, where a wider entry may serve a
//! narrower key (a namespace-wide watch serves a watch of one object in it).

use std::collections::HashMap;
use std::hash::Hash;

/// Entries by key with their reader counts.
#[derive(Debug)]
pub struct Registry<K, V> {
    entries: HashMap<K, (V, usize)>,
}

impl<K, V> Default for Registry<K, V> {
    fn default() -> Self {
        Registry {
            entries: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash + Clone, V: Clone> Registry<K, V> {
    /// Joins the entry of `key`, else one that `serves(held_key, entry)` says covers it, else
    /// the new entry `start` makes. Returns the key actually held, for [`Registry::release`].
    pub fn acquire(
        &mut self,
        key: &K,
        serves: impl Fn(&K, &V) -> bool,
        start: impl FnOnce() -> V,
    ) -> (K, V) {
        let held = if self.entries.contains_key(key) {
            key.clone()
        } else {
            self.entries
                .iter()
                .find(|(k, (v, _))| serves(k, v))
                .map_or_else(|| key.clone(), |(k, _)| k.clone())
        };
        let (value, readers) = self
            .entries
            .entry(held.clone())
            .or_insert_with(|| (start(), 0));
        *readers += 1;
        (held, value.clone())
    }

    /// Leaves the entry of `key`; returns it when its last reader left (the caller stops it).
    pub fn release(&mut self, key: &K) -> Option<V> {
        let (_, readers) = self.entries.get_mut(key)?;
        *readers = readers.saturating_sub(1);
        if *readers > 0 {
            return None;
        }
        self.entries.remove(key).map(|(v, _)| v)
    }

    /// Readers of the entry of `key` (0 when there is none).
    pub fn readers(&self, key: &K) -> usize {
        self.entries.get(key).map_or(0, |(_, r)| *r)
    }

    /// Open entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no entry is open.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Selector;

    /// Serves by selector coverage, except entries marked refused (`true`).
    fn covering(asked: &Selector) -> impl Fn(&Selector, &bool) -> bool + '_ {
        move |held, refused| !refused && held.covers(asked)
    }

    #[test]
    fn readers_of_one_key_share_one_entry_until_the_last_leaves() {
        let mut r = Registry::<Selector, bool>::default();
        let key = Selector::named("app", "web");
        let mut started = 0;
        for _ in 0..3 {
            r.acquire(&key, covering(&key), || {
                started += 1;
                false
            });
        }
        assert_eq!((started, r.readers(&key)), (1, 3));
        assert_eq!(r.release(&key), None);
        assert_eq!(r.release(&key), None);
        assert_eq!(r.release(&key), Some(false), "the last reader stops it");
        assert!(r.is_empty());
        assert_eq!(r.release(&key), None, "releasing twice is harmless");
    }

    #[test]
    fn a_wider_watch_serves_a_narrower_one_unless_refused() {
        let mut r = Registry::<Selector, bool>::default();
        let wide = Selector::default();
        r.acquire(&wide, covering(&wide), || false);
        let one = Selector::named("app", "web");
        let (held, _) = r.acquire(&one, covering(&one), || {
            unreachable!("served by the wide one")
        });
        assert_eq!(held, wide);
        assert_eq!((r.len(), r.readers(&wide)), (1, 2));

        let mut refused = Registry::<Selector, bool>::default();
        refused.acquire(&wide, covering(&wide), || true);
        let (held, _) = refused.acquire(&one, covering(&one), || false);
        assert_eq!(held, one, "a refused wide watch serves nobody");
        assert_eq!(refused.len(), 2);
    }

    #[test]
    fn a_narrower_watch_never_serves_a_wider_one() {
        let mut r = Registry::<Selector, bool>::default();
        let one = Selector::named("app", "web");
        r.acquire(&one, covering(&one), || false);
        let ns = Selector {
            namespace: Some("app".into()),
            ..Selector::default()
        };
        let (held, _) = r.acquire(&ns, covering(&ns), || false);
        assert_eq!(held, ns);
        assert_eq!(r.len(), 2);
    }
}
