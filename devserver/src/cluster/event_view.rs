//! events.k8s.io/v1 Events are a second view of core Events, as on a real server: one stored
//! object, its fields named differently (`involvedObject` ↔ `regarding`, `message` ↔ `note`, the
//! core-only fields as `deprecated…`).

use serde_json::{json, Map, Value};

/// (core/v1 field, events.k8s.io/v1 field).
const RENAMED: &[(&str, &str)] = &[
    ("involvedObject", "regarding"),
    ("message", "note"),
    ("source", "deprecatedSource"),
    ("firstTimestamp", "deprecatedFirstTimestamp"),
    ("lastTimestamp", "deprecatedLastTimestamp"),
    ("count", "deprecatedCount"),
    ("reportingComponent", "reportingController"),
];

fn renamed(obj: &Value, to_v1: bool) -> Map<String, Value> {
    let mut out = obj.as_object().cloned().unwrap_or_default();
    for (core, v1) in RENAMED {
        let (from, to) = if to_v1 { (core, v1) } else { (v1, core) };
        if let Some(v) = out.remove(*from) {
            out.insert((*to).to_owned(), v);
        }
    }
    out
}

/// The core/v1 field an events.k8s.io/v1 field selector names (`regarding.kind` →
/// `involvedObject.kind`, `reportingController` → `reportingComponent`); others are the same.
pub fn core_field(path: &str) -> String {
    let (head, rest) = path.split_once('.').unwrap_or((path, ""));
    match RENAMED.iter().find(|(_, v1)| *v1 == head) {
        Some((core, _)) if rest.is_empty() => (*core).to_owned(),
        Some((core, _)) => format!("{core}.{rest}"),
        None => path.to_owned(),
    }
}

/// A core Event as events.k8s.io/v1 shows it. `eventTime` is required there: an Event recorded
/// without one shows its first (or last) timestamp, in microseconds.
pub fn to_events_v1(core: &Value) -> Value {
    let mut out = renamed(core, true);
    out.insert("apiVersion".into(), json!("events.k8s.io/v1"));
    out.insert("kind".into(), json!("Event"));
    if out.get("eventTime").is_none_or(Value::is_null) {
        let at = ["deprecatedFirstTimestamp", "deprecatedLastTimestamp"]
            .iter()
            .find_map(|f| out.get(*f).and_then(Value::as_str))
            .or(core["metadata"]["creationTimestamp"].as_str())
            .unwrap_or("1970-01-01T00:00:00Z");
        out.insert("eventTime".into(), json!(at.replace('Z', ".000000Z")));
    }
    Value::Object(out)
}

/// An events.k8s.io/v1 Event in its stored (core/v1) form.
pub fn to_core(v1: &Value) -> Value {
    let mut out = renamed(v1, false);
    out.insert("apiVersion".into(), json!("v1"));
    out.insert("kind".into(), json!("Event"));
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_views_map_field_for_field() {
        let core = json!({ "apiVersion": "v1", "kind": "Event", "metadata": { "name": "e" },
            "involvedObject": { "kind": "Pod", "name": "p" }, "message": "m", "count": 2, "reason": "BackOff",
            "firstTimestamp": "2026-11-25T10:00:00Z", "source": { "component": "kubelet" } });
        let v1 = to_events_v1(&core);
        assert_eq!(
            (
                v1["regarding"]["name"].as_str(),
                v1["note"].as_str(),
                v1["deprecatedCount"].as_u64()
            ),
            (Some("p"), Some("m"), Some(2))
        );
        assert_eq!(v1["eventTime"], "2026-11-25T10:00:00.000000Z");
        assert_eq!(v1["apiVersion"], "events.k8s.io/v1");
        let mut back = to_core(&v1);
        back.as_object_mut().unwrap().remove("eventTime");
        assert_eq!(back, core);
    }

    #[test]
    fn field_selectors_of_the_view_name_the_core_fields() {
        assert_eq!(core_field("regarding.name"), "involvedObject.name");
        assert_eq!(core_field("reportingController"), "reportingComponent");
        assert_eq!(core_field("reason"), "reason");
        assert_eq!(core_field("metadata.name"), "metadata.name");
    }
}
