//! The reconciliation timeline of a Flux object: its Events and its conditions' transitions
//! (`lastTransitionTime`) merged in time order, newest first.

use crate::model::event::facts;
use crate::model::time::parse_rfc3339;
use crate::status::{condition_health, Tone};
use serde_json::Value;

/// What a timeline entry comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// An Event about the object (`count` occurrences).
    Event {
        /// How many times it was reported.
        count: u64,
    },
    /// A condition that took its current status at this time.
    Condition {
        /// The condition type (`Ready`, `Reconciling`, …).
        kind: String,
        /// Its status (`True`, `False`, `Unknown`).
        status: String,
    },
}

/// One moment of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// When (RFC 3339, as the object says it).
    pub time: String,
    /// When, in epoch seconds (what the order follows).
    pub at: i64,
    /// Event or condition transition.
    pub source: Source,
    /// The reason (`ReconciliationSucceeded`, `DependencyNotReady`, …).
    pub reason: String,
    /// The message (text).
    pub message: String,
    /// Its tone: a Warning event or a bad condition is an error.
    pub tone: Tone,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The timeline of `object` from its `events` (core/v1 or events.k8s.io/v1; the caller selects
/// those about the object): newest first, an event before a transition of the same second.
/// Entries without a readable time are left out.
pub fn timeline(object: &Value, events: &[&Value]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = events
        .iter()
        .filter_map(|e| {
            let facts = facts(e);
            let time = facts.last?;
            Some(Entry {
                at: parse_rfc3339(&time)?,
                time,
                source: Source::Event { count: facts.count },
                reason: facts.reason,
                message: facts.message,
                tone: Tone::of_event(facts.warning),
            })
        })
        .collect();
    let conditions = object
        .pointer("/status/conditions")
        .and_then(Value::as_array);
    entries.extend(conditions.into_iter().flatten().filter_map(|c| {
        let time = text(c, "lastTransitionTime");
        let (kind, status) = (text(c, "type"), text(c, "status"));
        Some(Entry {
            at: parse_rfc3339(&time)?,
            time,
            tone: condition_health(&kind, &status).tone(),
            source: Source::Condition { kind, status },
            reason: text(c, "reason"),
            message: text(c, "message"),
        })
    }));
    entries.sort_by(|a, b| {
        let is_event = |e: &Entry| matches!(e.source, Source::Event { .. });
        b.at.cmp(&a.at).then(is_event(b).cmp(&is_event(a)))
    });
    entries
}

#[cfg(test)]
mod tests;
