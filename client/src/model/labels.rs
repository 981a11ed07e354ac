//! [`Labels`]: an object's labels as a sorted slice of interned pairs (a pod's five labels
//! take five pairs of pointers, not a tree of ten owned strings).

use super::text::Str;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// Labels, sorted by key, each key once; keys and values are interned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels(Box<[(Str, Str)]>);

impl Labels {
    /// The value of label `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| self.0[i].1.as_str())
    }

    /// Every label, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Sets label `key` to `value`.
    pub fn insert(&mut self, key: &str, value: &str) {
        let mut all = std::mem::take(&mut self.0).into_vec();
        match all.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
            Ok(i) => all[i].1 = Str::interned(value),
            Err(i) => all.insert(i, (Str::interned(key), Str::interned(value))),
        }
        self.0 = all.into_boxed_slice();
    }

    /// Removes every label.
    pub fn clear(&mut self) {
        self.0 = Box::default();
    }

    /// Number of labels.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for Labels {
    /// Labels from pairs; of a key given twice, the last value counts (as in a JSON object).
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        // Inserted in order: an API server sends a map's keys sorted (Go's encoding/json), so
        // each lands at the end; no sort is linked into the widgets for it.
        let mut kept: Vec<(Str, Str)> = Vec::new();
        for (k, v) in pairs {
            insert_sorted(
                &mut kept,
                Str::interned(k.as_ref()),
                Str::interned(v.as_ref()),
            );
        }
        Labels(kept.into_boxed_slice())
    }
}

/// Puts `(k, v)` in key order, the last value of a repeated key winning.
fn insert_sorted(kept: &mut Vec<(Str, Str)>, k: Str, v: Str) {
    match kept.binary_search_by(|(x, _)| x.as_str().cmp(k.as_str())) {
        Ok(i) => kept[i].1 = v,
        Err(i) => kept.insert(i, (k, v)),
    }
}

impl<'de> Deserialize<'de> for Labels {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(LabelsVisitor)
    }
}

struct LabelsVisitor;

impl<'de> Visitor<'de> for LabelsVisitor {
    type Value = Labels;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of strings")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Labels, A::Error> {
        // Decoded as interned strings already: sorted in, not interned a second time.
        let mut kept = Vec::new();
        while let Some((super::text::Interned(k), super::text::Interned(v))) = map.next_entry()? {
            insert_sorted(&mut kept, k, v);
        }
        Ok(Labels(kept.into_boxed_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_decode_sorted_with_the_last_of_a_repeated_key() {
        let l: Labels =
            serde_json::from_str(r#"{"tier":"web","app":"a","tier":"db","x.io/ü":"é"}"#).unwrap();
        assert_eq!(
            l.iter().collect::<Vec<_>>(),
            [("app", "a"), ("tier", "db"), ("x.io/ü", "é")]
        );
        assert_eq!(l.get("tier"), Some("db"));
        assert_eq!(l.get("nope"), None);
        let e = serde_json::from_str::<Labels>(r#"{"app":7}"#).unwrap_err();
        assert!(e.to_string().contains("expected a string"), "{e}");
    }

    #[test]
    fn insert_keeps_the_order() {
        let mut l = Labels::default();
        l.insert("b", "1");
        l.insert("a", "2");
        l.insert("b", "3");
        assert_eq!(l.iter().collect::<Vec<_>>(), [("a", "2"), ("b", "3")]);
        l.clear();
        assert!(l.is_empty());
    }
}
