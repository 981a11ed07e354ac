//! Strategic merge patch (`application/strategic-merge-patch+json`) for built-in kinds: a JSON
//! merge patch, except that the lists Kubernetes marks with a `patchMergeKey` merge element by
//! element (containers by `name`, ports by `containerPort`, conditions by `type`, …), lists of
//! strings marked `merge` (finalizers) are unions, and the directives `$patch: delete` and
//! `$patch: replace` (in a list element or a map) and `$setElementOrder/…` are understood.

use serde_json::{Map, Value};

/// The merge key of the list at `field` under a parent named `parent` (`None`: the list is
/// atomic and replaced whole, as in a JSON merge patch).
fn merge_key(parent: &str, field: &str) -> Option<&'static str> {
    Some(match (parent, field) {
        (_, "containers" | "initContainers" | "ephemeralContainers") => "name",
        (_, "env" | "volumes" | "imagePullSecrets" | "resourceClaims") => "name",
        (_, "volumeMounts") => "mountPath",
        (_, "volumeDevices") => "devicePath",
        (_, "hostAliases") => "ip",
        (_, "topologySpreadConstraints") => "topologyKey",
        (_, "conditions" | "addresses") => "type",
        (_, "ownerReferences") => "uid",
        // A Service's ports merge by port; a container's by containerPort.
        ("spec", "ports") => "port",
        (_, "ports") => "containerPort",
        _ => return None,
    })
}

/// Lists of strings that merge as sets.
fn merges_as_set(field: &str) -> bool {
    field == "finalizers"
}

/// Applies `patch` to `target` in place. `parent` is the name of the field holding `target`.
pub fn apply(target: &mut Value, patch: &Map<String, Value>, parent: &str) {
    if patch.get("$patch").and_then(Value::as_str) == Some("replace") {
        let mut replaced = patch.clone();
        replaced.remove("$patch");
        *target = Value::Object(replaced);
        return;
    }
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(map) = target else {
        return;
    };
    for (key, value) in patch {
        if key.starts_with("$setElementOrder/") || key.starts_with("$retainKeys") || key == "$patch"
        {
            continue;
        }
        if let Some(field) = key.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(items)), Value::Array(gone)) = (map.get_mut(field), value) {
                items.retain(|i| !gone.contains(i));
            }
            continue;
        }
        match value {
            Value::Null => drop(map.remove(key)),
            Value::Object(inner)
                if inner.get("$patch").and_then(Value::as_str) == Some("delete") =>
            {
                drop(map.remove(key))
            }
            Value::Object(inner) => {
                apply(map.entry(key.clone()).or_insert(Value::Null), inner, key)
            }
            Value::Array(items) => {
                let merged = match (map.remove(key), merge_key(parent, key)) {
                    (Some(Value::Array(current)), Some(mk)) => merge_list(current, items, mk, key),
                    (Some(Value::Array(current)), None) if merges_as_set(key) => {
                        let mut all = current;
                        for i in items {
                            if !all.contains(i) {
                                all.push(i.clone());
                            }
                        }
                        all
                    }
                    (_, Some(mk)) => merge_list(Vec::new(), items, mk, key),
                    _ => items.clone(),
                };
                map.insert(key.clone(), Value::Array(merged));
            }
            other => drop(map.insert(key.clone(), other.clone())),
        }
    }
}

/// Merges patch elements into `current` by `mk`: a matching element is patched (or deleted with
/// `$patch: delete`), a new one is appended; `[{"$patch": "replace"}, …]` replaces the list.
fn merge_list(mut current: Vec<Value>, items: &[Value], mk: &str, field: &str) -> Vec<Value> {
    let replace = items.iter().any(|i| i["$patch"] == "replace");
    if replace {
        return items
            .iter()
            .filter(|i| i["$patch"] != "replace")
            .cloned()
            .collect();
    }
    for item in items {
        let Value::Object(fields) = item else {
            if !current.contains(item) {
                current.push(item.clone());
            }
            continue;
        };
        let key = &item[mk];
        let at = current.iter().position(|c| !key.is_null() && &c[mk] == key);
        match (at, fields.get("$patch").and_then(Value::as_str)) {
            (Some(i), Some("delete")) => drop(current.remove(i)),
            (None, Some("delete")) => {}
            (Some(i), _) => apply(&mut current[i], fields, field),
            (None, _) => {
                let mut new = Value::Object(Map::new());
                apply(&mut new, fields, field);
                current.push(new);
            }
        }
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patched(mut target: Value, patch: Value) -> Value {
        apply(&mut target, patch.as_object().unwrap(), "");
        target
    }

    #[test]
    fn containers_merge_by_name_and_env_by_name() {
        let pod = json!({ "spec": { "containers": [
            { "name": "web", "image": "web:1", "env": [{ "name": "A", "value": "1" }] },
            { "name": "envoy", "image": "envoy:1" },
        ] } });
        let out = patched(
            pod,
            json!({ "spec": { "containers": [{ "name": "web", "image": "web:2", "env": [{ "name": "B", "value": "2" }] }] } }),
        );
        assert_eq!(
            out,
            json!({ "spec": { "containers": [
                { "name": "web", "image": "web:2", "env": [{ "name": "A", "value": "1" }, { "name": "B", "value": "2" }] },
                { "name": "envoy", "image": "envoy:1" },
            ] } })
        );
    }

    #[test]
    fn delete_and_replace_directives_and_service_ports() {
        let obj = json!({
            "metadata": { "finalizers": ["a"] },
            "spec": { "ports": [{ "port": 80, "name": "http" }, { "port": 443, "name": "https" }],
                      "template": { "spec": { "containers": [{ "name": "c", "ports": [{ "containerPort": 80 }] }] } },
                      "tolerations": [{ "key": "x" }] },
            "status": { "conditions": [{ "type": "Ready", "status": "False" }, { "type": "Available", "status": "True" }] },
        });
        let out = patched(
            obj,
            json!({
                "metadata": { "finalizers": ["b", "a"] },
                "spec": { "ports": [{ "port": 443, "$patch": "delete" }, { "port": 8080, "name": "alt" }],
                          "template": { "spec": { "containers": [{ "name": "c", "ports": [{ "containerPort": 81 }] }] } },
                          "tolerations": [{ "key": "y" }] },
                "status": { "conditions": [{ "type": "Ready", "status": "True" }] },
                "$setElementOrder/ports": [],
            }),
        );
        assert_eq!(out["metadata"]["finalizers"], json!(["a", "b"]));
        assert_eq!(
            out["spec"]["ports"],
            json!([{ "port": 80, "name": "http" }, { "port": 8080, "name": "alt" }])
        );
        assert_eq!(
            out["spec"]["template"]["spec"]["containers"][0]["ports"],
            json!([{ "containerPort": 80 }, { "containerPort": 81 }])
        );
        assert_eq!(
            out["spec"]["tolerations"],
            json!([{ "key": "y" }]),
            "atomic list"
        );
        assert_eq!(
            out["status"]["conditions"],
            json!([{ "type": "Ready", "status": "True" }, { "type": "Available", "status": "True" }])
        );
        let out = patched(
            out,
            json!({ "spec": { "ports": [{ "$patch": "replace" }, { "port": 1 }], "template": { "$patch": "delete" } } }),
        );
        assert_eq!(out["spec"]["ports"], json!([{ "port": 1 }]));
        assert!(out["spec"].get("template").is_none());
    }
}
