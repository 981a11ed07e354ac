//! What an Event says, read the same way from either API version (core/v1 `involvedObject`,
//! `message`, `count`, `lastTimestamp`; events.k8s.io/v1 `regarding`, `note`, `series`).

use crate::model::time::parse_rfc3339;
use serde_json::Value;

/// The facts of one Event that views show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFacts {
    /// A `Warning` (else `Normal`).
    pub warning: bool,
    /// Why (`BackOff`, `ReconciliationSucceeded`, …).
    pub reason: String,
    /// What happened (text).
    pub message: String,
    /// How many times it was reported (1 when not counted).
    pub count: u64,
    /// When it last happened (RFC 3339, as written), if the Event says so readably.
    pub last: Option<String>,
    /// The object it is about: kind and name.
    pub regarding: (String, String),
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// The facts of `event`. Its time is its last occurrence: a series' last observation, else the
/// last timestamp, the event time, the creation time — the first that reads as a time.
pub fn facts(event: &Value) -> EventFacts {
    let field = |key: &str| event.get(key).unwrap_or(&Value::Null);
    let regarding = if field("involvedObject").is_object() {
        field("involvedObject")
    } else {
        field("regarding")
    };
    let last = [
        event.pointer("/series/lastObservedTime"),
        event.get("lastTimestamp"),
        event.get("eventTime"),
        event.pointer("/metadata/creationTimestamp"),
    ]
    .into_iter()
    .flatten()
    .filter_map(Value::as_str)
    .find(|t| parse_rfc3339(t).is_some())
    .map(str::to_owned);
    EventFacts {
        warning: field("type") == "Warning",
        reason: text(field("reason")),
        message: if field("message").is_string() {
            text(field("message"))
        } else {
            text(field("note"))
        },
        count: field("count")
            .as_u64()
            .or_else(|| event.pointer("/series/count").and_then(Value::as_u64))
            .unwrap_or(1),
        last,
        regarding: (text(&regarding["kind"]), text(&regarding["name"])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_api_versions_read_alike_and_a_series_gives_the_last_time() {
        let core = facts(
            &json!({ "type": "Warning", "reason": "BackOff", "message": "restarting",
            "count": 4, "lastTimestamp": "2026-11-25T10:00:00Z", "eventTime": null,
            "involvedObject": { "kind": "Pod", "name": "web-1" } }),
        );
        let v1 = facts(
            &json!({ "type": "Warning", "reason": "BackOff", "note": "restarting",
            "eventTime": "2026-11-25T09:00:00.000000Z",
            "series": { "count": 4, "lastObservedTime": "2026-11-25T10:00:00Z" },
            "regarding": { "kind": "Pod", "name": "web-1" } }),
        );
        assert_eq!(core, v1);
        assert_eq!(core.last.as_deref(), Some("2026-11-25T10:00:00Z"));
        assert_eq!(core.regarding, ("Pod".to_owned(), "web-1".to_owned()));
        // An unreadable time is skipped; none at all is None; malformed fields are empty.
        let odd = facts(
            &json!({ "lastTimestamp": "yesterday", "eventTime": "2026-11-25T08:00:00Z",
            "reason": 7, "count": "x", "involvedObject": "?" }),
        );
        assert_eq!(odd.last.as_deref(), Some("2026-11-25T08:00:00Z"));
        assert_eq!(
            (odd.reason.as_str(), odd.count, odd.warning),
            ("", 1, false)
        );
        assert_eq!(facts(&json!(null)).last, None);
    }
}
