//! Decoding one watch line (`{"type":…,"object":…}`) and one list body.

use crate::api::api_status::ApiStatus;
use crate::api::error::Error;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor,
};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::fmt;
use std::marker::PhantomData;

/// One event of a watch stream.
#[derive(Debug, Clone, PartialEq)]
pub enum WatchEvent<T> {
    /// An object was created (or is part of the initial state of a streaming list).
    Added(T),
    /// An object changed.
    Modified(T),
    /// An object was deleted; carries its last state.
    Deleted(T),
    /// A progress marker: resume from this resourceVersion.
    Bookmark {
        /// The collection's resourceVersion.
        resource_version: String,
        /// The `k8s.io/initial-events-end` marker of a streaming list.
        initial_events_end: bool,
    },
    /// The server reported an error (410 Expired, 500, …) and will end the stream.
    Error(ApiStatus),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BookmarkObject {
    metadata: BookmarkMeta,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct BookmarkMeta {
    resource_version: String,
    annotations: Option<std::collections::BTreeMap<String, String>>,
}

fn parse<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, Error> {
    serde_json::from_slice(bytes).map_err(|e| Error::Decode(format!("{what}: {e}")))
}

/// The event types, and what their object is called in errors.
#[derive(Clone, Copy)]
enum Type {
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}

impl Type {
    fn parse(name: &str) -> Result<Type, Error> {
        Ok(match name {
            "ADDED" => Type::Added,
            "MODIFIED" => Type::Modified,
            "DELETED" => Type::Deleted,
            "BOOKMARK" => Type::Bookmark,
            "ERROR" => Type::Error,
            other => {
                let other: String = other.chars().take(40).collect();
                return Err(Error::Decode(format!("unknown watch event type {other:?}")));
            }
        })
    }

    fn object(self) -> &'static str {
        match self {
            Type::Added => "ADDED object",
            Type::Modified => "MODIFIED object",
            Type::Deleted => "DELETED object",
            Type::Bookmark => "BOOKMARK object",
            Type::Error => "ERROR status",
        }
    }

    /// Decodes the event's object with the shape its type calls for.
    fn decode<'de, T: DeserializeOwned, D: Deserializer<'de>>(
        self,
        d: D,
    ) -> Result<WatchEvent<T>, D::Error> {
        Ok(match self {
            Type::Added => WatchEvent::Added(T::deserialize(d)?),
            Type::Modified => WatchEvent::Modified(T::deserialize(d)?),
            Type::Deleted => WatchEvent::Deleted(T::deserialize(d)?),
            Type::Bookmark => {
                let b = BookmarkObject::deserialize(d)?;
                let end = b
                    .metadata
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get("k8s.io/initial-events-end"))
                    .is_some_and(|v| v == "true");
                WatchEvent::Bookmark {
                    resource_version: b.metadata.resource_version,
                    initial_events_end: end,
                }
            }
            Type::Error => WatchEvent::Error(ApiStatus::deserialize(d)?),
        })
    }
}

/// What reading an event line found, beside serde's own errors.
#[derive(Default)]
struct Found<'de> {
    /// An unknown `type`: the error to report once the line is read.
    unknown: Option<Error>,
    /// The type whose object failed to decode, if it was the object.
    failed: Option<Type>,
    /// The object, when it came before `type` (decoded once the type is known).
    early: Option<&'de RawValue>,
}

/// Reads `{"type":…,"object":…}` in one pass: once the type is known (the API server writes it
/// first), the object is decoded straight into its model, never scanned twice.
struct EventVisitor<'a, 'de, T> {
    found: &'a mut Found<'de>,
    model: PhantomData<T>,
}

/// The object of an event of a known type.
struct ObjectSeed<T>(Type, PhantomData<T>);

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for ObjectSeed<T> {
    type Value = WatchEvent<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<WatchEvent<T>, D::Error> {
        self.0.decode(d)
    }
}

/// The members of an event line.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum Member {
    Type,
    Object,
    #[serde(other)]
    Other,
}

impl<'de, T: DeserializeOwned> Visitor<'de> for EventVisitor<'_, 'de, T> {
    type Value = (Option<Type>, Option<WatchEvent<T>>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a watch event object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut kind, mut event) = (None, None);
        let mut seen_object = false;
        while let Some(key) = map.next_key::<Member>()? {
            match key {
                Member::Type => {
                    if kind.is_some() || self.found.unknown.is_some() {
                        return Err(de::Error::duplicate_field("type"));
                    }
                    match Type::parse(map.next_value::<&'de str>()?) {
                        Ok(t) => kind = Some(t),
                        Err(e) => self.found.unknown = Some(e),
                    }
                }
                Member::Object => {
                    if seen_object {
                        return Err(de::Error::duplicate_field("object"));
                    }
                    seen_object = true;
                    match kind {
                        Some(t) => {
                            self.found.failed = Some(t);
                            event = Some(map.next_value_seed(ObjectSeed(t, PhantomData))?);
                            self.found.failed = None;
                        }
                        None if self.found.unknown.is_some() => {
                            map.next_value::<IgnoredAny>()?;
                        }
                        None => self.found.early = Some(map.next_value()?),
                    }
                }
                Member::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if kind.is_none() && self.found.unknown.is_none() {
            return Err(de::Error::missing_field("type"));
        }
        if !seen_object {
            return Err(de::Error::missing_field("object"));
        }
        Ok((kind, event))
    }
}

/// Decodes one line of a watch stream. Bookmarks and errors are read with their own slim shapes,
/// so a bookmark never has to look like a full object.
pub fn decode_event<T: DeserializeOwned>(line: &[u8]) -> Result<WatchEvent<T>, Error> {
    let mut found = Found::default();
    let mut de = serde_json::Deserializer::from_slice(line);
    let read = de
        .deserialize_map(EventVisitor {
            found: &mut found,
            model: PhantomData,
        })
        .and_then(|event| de.end().map(|()| event));
    let (kind, event) = match read {
        Ok(read) => read,
        Err(e) => {
            let what = found.failed.map_or("watch event", Type::object);
            return Err(Error::Decode(format!("{what}: {e}")));
        }
    };
    if let Some(unknown) = found.unknown {
        return Err(unknown);
    }
    match (kind, event, found.early) {
        (_, Some(event), _) => Ok(event),
        // The object came before the type: decoded now that the type is known.
        (Some(t), None, Some(raw)) => {
            // From a slice, as the line itself: one decoder per model in the bundle, not two.
            let mut de = serde_json::Deserializer::from_slice(raw.get().as_bytes());
            t.decode(&mut de)
                .and_then(|event| de.end().map(|()| event))
                .map_err(|e| Error::Decode(format!("{}: {e}", t.object())))
        }
        _ => Err(Error::Decode("watch event: no object".into())),
    }
}

/// A list response: the items and where to go on.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
pub struct ObjectList<T> {
    /// List metadata.
    #[serde(default)]
    pub metadata: ListMeta,
    /// The objects (`null` when empty, on some servers).
    #[serde(default, deserialize_with = "crate::api::resource::null_as_default")]
    pub items: Vec<T>,
}

/// `metadata` of a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ListMeta {
    /// The collection's resourceVersion at list time: watch from here.
    pub resource_version: String,
    /// Token for the next page, when more items remain.
    #[serde(rename = "continue")]
    pub continue_token: Option<String>,
    /// Items left after this page (approximate).
    pub remaining_item_count: Option<u64>,
}

/// Decodes a list body.
pub fn decode_list<T: DeserializeOwned>(body: &[u8]) -> Result<ObjectList<T>, Error> {
    parse(body, "list")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pod;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}{name}")).unwrap()
    }

    #[test]
    fn real_apiserver_pod_watch_decodes_every_line() {
        let body = fixture("watch-pods.jsonl");
        let mut kinds = Vec::new();
        for line in body.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            match decode_event::<Pod>(line).unwrap() {
                WatchEvent::Added(p) => kinds.push(format!("ADDED {}", p.metadata.name)),
                WatchEvent::Modified(p) => kinds.push(format!("MODIFIED {}", p.metadata.name)),
                WatchEvent::Deleted(p) => kinds.push(format!("DELETED {}", p.metadata.name)),
                WatchEvent::Bookmark {
                    resource_version, ..
                } => {
                    assert!(!resource_version.is_empty());
                    kinds.push("BOOKMARK".into())
                }
                WatchEvent::Error(s) => panic!("unexpected error {s:?}"),
            }
        }
        assert_eq!(kinds.first().map(String::as_str), Some("ADDED watch-demo"));
        assert_eq!(kinds.last().map(String::as_str), Some("BOOKMARK"));
        assert!(kinds.iter().any(|k| k.starts_with("DELETED")));
    }

    #[test]
    fn error_event_in_a_200_stream_is_an_expired_status() {
        let ev = decode_event::<Pod>(&fixture("watch-rv1-after-restart.jsonl")).unwrap();
        match ev {
            WatchEvent::Error(s) => assert!(s.is_expired(), "{s:?}"),
            other => panic!("expected ERROR, got {other:?}"),
        }
    }

    #[test]
    fn initial_events_end_bookmark_is_recognised() {
        let line = br#"{"type":"BOOKMARK","object":{"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"resourceVersion":"488","annotations":{"k8s.io/initial-events-end":"true"}}}}"#;
        assert_eq!(
            decode_event::<Pod>(line).unwrap(),
            WatchEvent::Bookmark {
                resource_version: "488".into(),
                initial_events_end: true
            }
        );
    }

    #[test]
    fn bad_lines_give_specific_errors() {
        let e =
            decode_event::<Pod>(b"{\"type\":\"ADDED\",\"object\":{\"metadata\":7}}").unwrap_err();
        assert!(e.to_string().contains("ADDED object"), "{e}");
        let e = decode_event::<Pod>(b"not json").unwrap_err();
        assert!(e.to_string().contains("watch event"), "{e}");
        let e = decode_event::<Pod>(br#"{"type":"WAT","object":{}}"#).unwrap_err();
        assert!(
            e.to_string().contains("unknown watch event type \"WAT\""),
            "{e}"
        );
    }

    #[test]
    fn the_object_may_come_before_the_type() {
        let line =
            br#"{"object":{"metadata":{"name":"web","resourceVersion":"7"}},"type":"DELETED"}"#;
        match decode_event::<Pod>(line).unwrap() {
            WatchEvent::Deleted(p) => assert_eq!(p.metadata.name, "web"),
            other => panic!("expected DELETED, got {other:?}"),
        }
        let e = decode_event::<Pod>(br#"{"object":{"metadata":7},"type":"ADDED"}"#).unwrap_err();
        assert!(e.to_string().contains("ADDED object: invalid type"), "{e}");
    }

    #[test]
    fn an_envelope_without_its_members_or_with_trailing_bytes_is_refused() {
        for (line, want) in [
            (
                &br#"{"object":{}}"#[..],
                "watch event: missing field `type`",
            ),
            (
                br#"{"type":"ADDED"}"#,
                "watch event: missing field `object`",
            ),
            (
                br#"{"type":"ADDED","type":"ADDED","object":{}}"#,
                "duplicate field `type`",
            ),
            (
                br#"{"type":"ADDED","object":{}} x"#,
                "watch event: trailing characters",
            ),
            (
                br#"{"type":"ADDED","object":{"metadata":{"name":"a"}"#,
                "ADDED object: EOF",
            ),
            (br#"{"type":"WAT","object":{"x":["#, "watch event: EOF"),
        ] {
            let e = decode_event::<Pod>(line).unwrap_err().to_string();
            assert!(e.contains(want), "{e}");
        }
    }

    #[test]
    fn real_paginated_list_has_continue_and_rv() {
        let list: ObjectList<Pod> = decode_list(&fixture("list-pods-limit2.json")).unwrap();
        assert_eq!(list.items.len(), 2);
        assert!(list.metadata.continue_token.is_some());
        assert!(!list.metadata.resource_version.is_empty());
    }
}
