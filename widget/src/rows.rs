//! Keyed table rows without the DOM: which rows a store change inserts (and before which row),
//! updates in place, or removes, keeping namespace/name order — so a table touches only the rows
//! that changed and never rebuilds the others.

use lookout_client::{Change, ObjectKey};

/// What to do to the rendered rows for one change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOp {
    /// Render a new row for the key, before the row of `before` (at the end when `None`).
    Insert {
        /// The new row's object.
        key: ObjectKey,
        /// The row it goes before.
        before: Option<ObjectKey>,
    },
    /// The object changed: update its row's cells in place.
    Update(ObjectKey),
    /// The object is gone: remove its row.
    Remove(ObjectKey),
}

/// The keys of the rendered rows, in namespace/name order.
#[derive(Debug, Default)]
pub struct KeyedRows {
    keys: Vec<ObjectKey>,
}

impl KeyedRows {
    /// The operations that bring the rows up to date with `changes`; `exists` says whether the
    /// store still holds a key (a change's kind alone cannot: a resync reports every key once).
    pub fn apply(&mut self, changes: &[Change], exists: impl Fn(&ObjectKey) -> bool) -> Vec<RowOp> {
        let mut ops = Vec::with_capacity(changes.len());
        for change in changes {
            let key = change.key();
            match (self.keys.binary_search(key), exists(key)) {
                (Ok(_), true) => ops.push(RowOp::Update(key.clone())),
                (Err(at), true) => {
                    let before = self.keys.get(at).cloned();
                    self.keys.insert(at, key.clone());
                    ops.push(RowOp::Insert {
                        key: key.clone(),
                        before,
                    });
                }
                (Ok(at), false) => {
                    self.keys.remove(at);
                    ops.push(RowOp::Remove(key.clone()));
                }
                (Err(_), false) => {}
            }
        }
        ops
    }

    /// Number of rows.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there is no row.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn key(namespace: &str, name: &str) -> ObjectKey {
        ObjectKey {
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    #[test]
    fn new_objects_go_before_the_next_row_in_namespace_name_order() {
        let mut rows = KeyedRows::default();
        let store: BTreeSet<_> = [key("a", "web"), key("a", "api"), key("b", "db")].into();
        let changes: Vec<Change> = store.iter().rev().cloned().map(Change::Upserted).collect();
        let ops = rows.apply(&changes, |k| store.contains(k));
        assert_eq!(
            ops,
            [
                RowOp::Insert {
                    key: key("b", "db"),
                    before: None
                },
                RowOp::Insert {
                    key: key("a", "web"),
                    before: Some(key("b", "db"))
                },
                RowOp::Insert {
                    key: key("a", "api"),
                    before: Some(key("a", "web"))
                },
            ]
        );
        assert_eq!(rows.len(), 3);
    }

    #[test]
    fn a_changed_object_updates_its_row_and_a_deleted_one_removes_it() {
        let mut rows = KeyedRows::default();
        let mut store: BTreeSet<_> = [key("a", "web"), key("a", "api")].into();
        let all: Vec<Change> = store.iter().cloned().map(Change::Upserted).collect();
        rows.apply(&all, |k| store.contains(k));
        store.remove(&key("a", "api"));
        let ops = rows.apply(
            &[
                Change::Upserted(key("a", "web")),
                Change::Removed(key("a", "api")),
                // Gone before it was ever shown: nothing to do.
                Change::Removed(key("a", "never")),
            ],
            |k| store.contains(k),
        );
        assert_eq!(
            ops,
            [
                RowOp::Update(key("a", "web")),
                RowOp::Remove(key("a", "api"))
            ]
        );
        assert_eq!(rows.len(), 1);
    }

    #[test]
    fn a_resync_reports_gone_objects_as_removals_whatever_the_change_says() {
        let mut rows = KeyedRows::default();
        let store: BTreeSet<_> = [key("a", "web")].into();
        rows.apply(&[Change::Upserted(key("a", "web"))], |k| store.contains(k));
        let ops = rows.apply(&[Change::Upserted(key("a", "web"))], |_| false);
        assert_eq!(ops, [RowOp::Remove(key("a", "web"))]);
        assert!(rows.is_empty());
    }
}
