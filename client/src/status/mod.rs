//! Health of objects: kstatus semantics for every kind ([`kstatus`]), Flux's readiness and
//! GitLab-style sync badge ([`flux`]), and a pod's one status word ([`pod`]). Rules read a whole object as JSON, so they serve the CLI
//! (`lookout-dev status`), detail views and any custom resource alike.

pub mod flux;
pub mod kstatus;
pub mod pod;
pub mod tone;

pub use tone::Tone;

use serde_json::Value;

/// One `status.conditions[]` entry, read leniently as kstatus does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition<'a> {
    /// `type`.
    pub kind: &'a str,
    /// `True`, `False` or `Unknown`.
    pub status: &'a str,
    /// `reason` ("" when absent).
    pub reason: &'a str,
    /// `message` ("" when absent).
    pub message: &'a str,
}

/// `status.conditions` in order. Malformed shapes (not a list, an entry that is not an object, a
/// non-string `type`/`status`) are errors naming the field.
pub fn conditions(obj: &Value) -> Result<Vec<Condition<'_>>, String> {
    let list = match obj.pointer("/status/conditions") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(_) => return Err("status.conditions is not a list".into()),
    };
    list.iter()
        .enumerate()
        .map(|(i, c)| {
            let field = |name: &str| -> Result<&str, String> {
                match c.get(name) {
                    Some(Value::String(s)) => Ok(s),
                    _ => Err(format!("status.conditions[{i}].{name} is not a string")),
                }
            };
            if !c.is_object() {
                return Err(format!("status.conditions[{i}] is not an object"));
            }
            let text = |name: &str| c.get(name).and_then(Value::as_str).unwrap_or("");
            Ok(Condition {
                kind: field("type")?,
                status: field("status")?,
                reason: text("reason"),
                message: text("message"),
            })
        })
        .collect()
}

/// What one condition says about an object's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionHealth {
    /// As it should be.
    Good,
    /// Something is wrong.
    Bad,
    /// Work in progress.
    Progressing,
    /// Unknown status.
    Unknown,
}

/// Reads a condition with its polarity: normal-true types (`Ready`, `Available`, …) are good when
/// True; abnormal-true ones (`Reconciling`, `Stalled`, `…Failed`, `…Pressure`, …) are good when False.
pub fn condition_health(kind: &str, status: &str) -> ConditionHealth {
    let abnormal = matches!(
        kind,
        "Reconciling"
            | "Stalled"
            | "ArtifactOutdated"
            | "FetchFailed"
            | "Drifted"
            | "ReplicaFailure"
    ) || kind.ends_with("Failed")
        || kind.ends_with("Pressure");
    match (status, abnormal) {
        ("True", false) | ("False", true) => ConditionHealth::Good,
        ("False", false) => ConditionHealth::Bad,
        ("True", true) if kind == "Reconciling" => ConditionHealth::Progressing,
        ("True", true) => ConditionHealth::Bad,
        _ => ConditionHealth::Unknown,
    }
}

/// An integer field at a JSON pointer: only JSON integers count (`1.0`, strings and null are
/// absent, as in kstatus).
pub(crate) fn int(obj: &Value, pointer: &str) -> Option<i64> {
    match obj.pointer(pointer)? {
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
}

/// A string field at a JSON pointer.
pub(crate) fn string<'a>(obj: &'a Value, pointer: &str) -> Option<&'a str> {
    obj.pointer(pointer)?.as_str()
}

#[cfg(test)]
mod tests {
    use super::{condition_health, ConditionHealth::*};

    #[test]
    fn condition_polarity() {
        assert_eq!(condition_health("Ready", "True"), Good);
        assert_eq!(condition_health("Ready", "False"), Bad);
        assert_eq!(condition_health("Stalled", "True"), Bad);
        assert_eq!(condition_health("Stalled", "False"), Good);
        assert_eq!(condition_health("Reconciling", "True"), Progressing);
        assert_eq!(condition_health("MemoryPressure", "False"), Good);
        assert_eq!(condition_health("Ready", "Unknown"), Unknown);
    }
}
