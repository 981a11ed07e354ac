//! JSON merge patch (RFC 7386), as `application/merge-patch+json` applies it.

use serde_json::Value;

/// Applies `patch` to `target` in place: objects merge recursively, `null` removes a member,
/// anything else replaces.
pub fn apply(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    if let Value::Object(map) = target {
        for (key, value) in patch {
            if value.is_null() {
                map.remove(key);
            } else {
                apply(map.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn rfc7386_examples() {
        let mut doc = json!({"a": "b", "c": {"d": "e", "f": "g"}, "list": [1, 2]});
        super::apply(
            &mut doc,
            &json!({"a": "z", "c": {"f": null}, "list": [3], "new": {"x": 1}}),
        );
        assert_eq!(
            doc,
            json!({"a": "z", "c": {"d": "e"}, "list": [3], "new": {"x": 1}})
        );
        let mut scalar = json!("s");
        super::apply(&mut scalar, &json!({"a": {"b": null}}));
        assert_eq!(scalar, json!({"a": {}}));
    }
}
