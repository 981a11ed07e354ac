//! [`Str`], the shared immutable string of stored objects, and the interner that makes the
//! strings many objects repeat (namespaces, label keys and values, node and container names,
//! phases, reasons) one allocation for all of them.
//!
//! 100,000 pods repeat a few hundred distinct namespaces, labels and nodes: interned, each pod
//! holds a pointer to them instead of a copy. Cloning a `Str` (a row, a store key) copies a pointer.

use serde::de::{Deserializer, Visitor};
use serde::Deserialize;
use std::borrow::Borrow;
#[cfg(feature = "intern")]
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
#[cfg(feature = "intern")]
use std::sync::Mutex;
use std::sync::{Arc, OnceLock};

/// An immutable, cheaply cloned string (`Arc<str>`); reads like a `&str`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Str(Arc<str>);

impl Str {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether both are the same allocation (interned copies of one string are).
    pub fn shares(&self, other: &Str) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The interned copy of `s`: the same allocation as every other interned `s` (with the
    /// `intern` feature, which the app enables; a widget's few objects need no interner, and its
    /// bundle is 4 KB brotli smaller without it: there each call makes a new `Str`).
    pub fn interned(s: &str) -> Str {
        #[cfg(feature = "intern")]
        {
            let mut interner = match INTERNER.lock() {
                Ok(guard) => guard,
                // A panic elsewhere while interning leaves a valid set: keep using it.
                Err(poisoned) => poisoned.into_inner(),
            };
            interner.get_or_insert(s)
        }
        #[cfg(not(feature = "intern"))]
        Str::from(s)
    }
}

impl Default for Str {
    /// The empty string: one allocation shared by every default (serde builds a default object
    /// per decoded object to fill in missing fields).
    fn default() -> Self {
        static EMPTY: OnceLock<Str> = OnceLock::new();
        EMPTY.get_or_init(|| Str::from("")).clone()
    }
}

impl Deref for Str {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Str {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Self {
        Str(Arc::from(s))
    }
}

impl From<String> for Str {
    fn from(s: String) -> Self {
        Str(Arc::from(s))
    }
}

impl From<&String> for Str {
    fn from(s: &String) -> Self {
        Str(Arc::from(s.as_str()))
    }
}

impl From<Str> for String {
    fn from(s: Str) -> Self {
        s.0.to_string()
    }
}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Str {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Str> for str {
    fn eq(&self, other: &Str) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Str> for &str {
    fn eq(&self, other: &Str) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Str> for String {
    fn eq(&self, other: &Str) -> bool {
        **self == *other.0
    }
}

impl serde::Serialize for Str {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Reads a JSON string as a `Str`, interned or not.
struct StrVisitor {
    intern: bool,
}

impl Visitor<'_> for StrVisitor {
    type Value = Str;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Str, E> {
        Ok(if self.intern {
            Str::interned(s)
        } else {
            Str::from(s)
        })
    }
}

impl<'de> Deserialize<'de> for Str {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor { intern: false })
    }
}

/// Deserializes a string that many objects repeat as its interned copy.
pub(crate) fn interned<'de, D: Deserializer<'de>>(d: D) -> Result<Str, D::Error> {
    d.deserialize_str(StrVisitor { intern: true })
}

/// A string decoded as its interned copy, where a type holds one (a map's keys and values).
#[derive(Deserialize)]
pub(crate) struct Interned(#[serde(deserialize_with = "interned")] pub(crate) Str);

/// Deserializes an optional, often repeated string (`null` is `None`) as its interned copy.
pub(crate) fn interned_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Str>, D::Error> {
    Ok(Option::<Interned>::deserialize(d)?.map(|i| i.0))
}

/// Interned strings. Those no object holds any more are dropped when the set has doubled since
/// the last sweep, or after as many look-ups as it holds strings (so strings of objects gone,
/// e.g. another namespace's, do not stay while only look-ups of kept ones happen): each sweep is
/// paid for by as many look-ups or insertions.
#[cfg(feature = "intern")]
struct Interner {
    set: Option<HashSet<Str>>,
    swept_at: usize,
    since_sweep: usize,
}

#[cfg(feature = "intern")]
static INTERNER: Mutex<Interner> = Mutex::new(Interner {
    set: None,
    swept_at: 0,
    since_sweep: 0,
});

/// Fewest strings kept before sweeping.
#[cfg(feature = "intern")]
const SWEEP_FLOOR: usize = 4096;

#[cfg(feature = "intern")]
impl Interner {
    fn get_or_insert(&mut self, s: &str) -> Str {
        let set = self.set.get_or_insert_with(HashSet::new);
        self.since_sweep += 1;
        if set.len() >= self.swept_at.max(SWEEP_FLOOR / 2) * 2
            || (set.len() > SWEEP_FLOOR && self.since_sweep > set.len())
        {
            set.retain(|s| Arc::strong_count(&s.0) > 1);
            self.swept_at = set.len();
            self.since_sweep = 0;
        }
        if let Some(found) = set.get(s) {
            return found.clone();
        }
        let new = Str::from(s);
        set.insert(new.clone());
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "intern")]
    #[test]
    fn interned_strings_share_one_allocation() {
        let (a, b) = (Str::interned("team-a"), Str::interned("team-a"));
        assert!(a.shares(&b));
        let plain = Str::from("team-a");
        assert!(!a.shares(&plain));
        assert_eq!(a, plain);
        assert_eq!(a, "team-a");
        assert_eq!(a.to_string(), "team-a");
    }

    #[cfg(feature = "intern")]
    /// How many strings the interner holds.
    fn interned_count() -> usize {
        let interner = INTERNER.lock().unwrap();
        interner.set.as_ref().map_or(0, HashSet::len)
    }

    #[cfg(feature = "intern")]
    #[test]
    fn unused_interned_strings_are_swept() {
        let kept = Str::interned("kept-across-sweeps");
        for i in 0..3 * SWEEP_FLOOR {
            drop(Str::interned(&format!("transient-{i}")));
        }
        let set_len = interned_count();
        assert!(set_len <= 2 * SWEEP_FLOOR, "{set_len} strings kept");
        assert!(Arc::ptr_eq(&kept.0, &Str::interned("kept-across-sweeps").0));

        // (One test: the interner is global, a parallel test would see these strings.)
        // Strings of objects gone are swept by look-ups alone.
        let gone: Vec<Str> = (0..3 * SWEEP_FLOOR)
            .map(|i| Str::interned(&format!("gone-{i}")))
            .collect();
        drop(gone);
        // Only look-ups of a kept string follow (a small namespace's objects, say).
        let still = Str::interned("still-here");
        for _ in 0..4 * SWEEP_FLOOR {
            assert!(still.shares(&Str::interned("still-here")));
        }
        let set_len = interned_count();
        assert!(set_len < SWEEP_FLOOR, "{set_len} strings kept");
    }

    #[test]
    fn escaped_and_unicode_strings_decode() {
        #[derive(Deserialize)]
        struct T {
            #[serde(deserialize_with = "interned")]
            a: Str,
            b: Str,
            #[serde(deserialize_with = "interned_opt")]
            c: Option<Str>,
        }
        let t: T =
            serde_json::from_str(r#"{"a":"q\"\u00e9\ud83d\ude80","b":"ünï","c":null}"#).unwrap();
        assert_eq!(t.a, "q\"é🚀");
        assert_eq!(t.b, "ünï");
        assert_eq!(t.c, None);
        let e = serde_json::from_str::<T>(r#"{"a":7,"b":""}"#)
            .err()
            .unwrap();
        assert!(e.to_string().contains("expected a string"), "{e}");
    }
}
