//! Decoding one watch line (`{"type":…,"object":…}`) and one list body.

use crate::api::api_status::ApiStatus;
use crate::api::error::Error;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;

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

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "type", borrow)]
    kind: &'a str,
    #[serde(borrow)]
    object: &'a RawValue,
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

/// Decodes one line of a watch stream. Bookmarks and errors are read with their own slim shapes,
/// so a bookmark never has to look like a full object.
pub fn decode_event<T: DeserializeOwned>(line: &[u8]) -> Result<WatchEvent<T>, Error> {
    let env: Envelope =
        serde_json::from_slice(line).map_err(|e| Error::Decode(format!("watch event: {e}")))?;
    let object = env.object.get().as_bytes();
    Ok(match env.kind {
        "ADDED" => WatchEvent::Added(parse(object, "ADDED object")?),
        "MODIFIED" => WatchEvent::Modified(parse(object, "MODIFIED object")?),
        "DELETED" => WatchEvent::Deleted(parse(object, "DELETED object")?),
        "BOOKMARK" => {
            let b: BookmarkObject = parse(object, "BOOKMARK object")?;
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
        "ERROR" => WatchEvent::Error(parse(object, "ERROR status")?),
        other => {
            let other: String = other.chars().take(40).collect();
            return Err(Error::Decode(format!("unknown watch event type {other:?}")));
        }
    })
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
    fn real_paginated_list_has_continue_and_rv() {
        let list: ObjectList<Pod> = decode_list(&fixture("list-pods-limit2.json")).unwrap();
        assert_eq!(list.items.len(), 2);
        assert!(list.metadata.continue_token.is_some());
        assert!(!list.metadata.resource_version.is_empty());
    }
}
