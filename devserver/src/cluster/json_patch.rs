//! JSON patch (RFC 6902), as `application/json-patch+json` applies it.

use serde_json::Value;

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Splits a JSON pointer into its parent pointer and last token.
fn split(path: &str) -> Result<(&str, String), String> {
    let i = path
        .rfind('/')
        .ok_or_else(|| format!("invalid JSON pointer {path:?}"))?;
    Ok((&path[..i], unescape(&path[i + 1..])))
}

fn parent<'a>(doc: &'a mut Value, path: &str) -> Result<(&'a mut Value, String), String> {
    let (parent, last) = split(path)?;
    let target = doc
        .pointer_mut(parent)
        .ok_or_else(|| format!("path {parent:?} does not exist"))?;
    Ok((target, last))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (target, last) = parent(doc, path)?;
    match target {
        Value::Object(map) => {
            map.insert(last, value);
            Ok(())
        }
        Value::Array(list) if last == "-" => {
            list.push(value);
            Ok(())
        }
        Value::Array(list) => {
            let i: usize = last
                .parse()
                .map_err(|_| format!("invalid array index {last:?}"))?;
            if i > list.len() {
                return Err(format!("array index {i} out of bounds"));
            }
            list.insert(i, value);
            Ok(())
        }
        _ => Err(format!("cannot add to a scalar at {path:?}")),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, String> {
    let (target, last) = parent(doc, path)?;
    let missing = || format!("path {path:?} does not exist");
    match target {
        Value::Object(map) => map.remove(&last).ok_or_else(missing),
        Value::Array(list) => {
            let i: usize = last
                .parse()
                .map_err(|_| format!("invalid array index {last:?}"))?;
            (i < list.len()).then(|| list.remove(i)).ok_or_else(missing)
        }
        _ => Err(missing()),
    }
}

/// Applies every operation in order; on any failure the document is left unchanged.
pub fn apply(doc: &mut Value, patch: &Value) -> Result<(), String> {
    let ops = patch
        .as_array()
        .ok_or("a JSON patch must be an array of operations")?;
    let mut work = doc.clone();
    for (i, op) in ops.iter().enumerate() {
        let field = |name: &str| {
            op.get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("operation {i}: missing {name:?}"))
        };
        let path = field("path")?;
        let value = || {
            op.get("value")
                .cloned()
                .ok_or_else(|| format!("operation {i}: missing \"value\""))
        };
        match field("op")? {
            "add" => add(&mut work, path, value()?)?,
            "remove" => drop(remove(&mut work, path)?),
            "replace" => {
                remove(&mut work, path)?;
                add(&mut work, path, value()?)?;
            }
            "move" => {
                let v = remove(&mut work, field("from")?)?;
                add(&mut work, path, v)?;
            }
            "copy" => {
                let v = work
                    .pointer(field("from")?)
                    .cloned()
                    .ok_or_else(|| format!("operation {i}: \"from\" does not exist"))?;
                add(&mut work, path, v)?;
            }
            "test" => {
                if work.pointer(path) != Some(&value()?) {
                    return Err(format!("operation {i}: test failed at {path:?}"));
                }
            }
            other => return Err(format!("operation {i}: unknown op {other:?}")),
        }
    }
    *doc = work;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::apply;
    use serde_json::json;

    #[test]
    fn rfc6902_operations() {
        let mut doc = json!({"metadata": {"annotations": {"a": "1"}}, "spec": {"list": [1, 2]}});
        let patch = json!([
            {"op": "add", "path": "/metadata/annotations/reconcile.fluxcd.io~1requestedAt", "value": "now"},
            {"op": "replace", "path": "/spec/list/0", "value": 9},
            {"op": "add", "path": "/spec/list/-", "value": 3},
            {"op": "remove", "path": "/metadata/annotations/a"},
            {"op": "copy", "from": "/spec/list", "path": "/spec/copy"},
            {"op": "test", "path": "/spec/copy/2", "value": 3}
        ]);
        apply(&mut doc, &patch).unwrap();
        assert_eq!(
            doc,
            json!({"metadata": {"annotations": {"reconcile.fluxcd.io/requestedAt": "now"}}, "spec": {"list": [9, 2, 3], "copy": [9, 2, 3]}})
        );
        let before = doc.clone();
        let err = apply(&mut doc, &json!([{"op": "remove", "path": "/spec/list/0"}, {"op": "test", "path": "/spec/list/0", "value": 9}])).unwrap_err();
        assert_eq!(err, "operation 1: test failed at \"/spec/list/0\"");
        assert_eq!(doc, before, "a failed patch changes nothing");
        assert!(apply(&mut doc, &json!({"op": "add"})).is_err());
    }
}
