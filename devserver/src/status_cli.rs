//! `lookout-dev status [FILE|-] [--now RFC3339]`: the status rules as a command-line check.
//!
//! Reads Kubernetes objects as JSON or YAML (one object, a `List`, a JSON stream such as
//! `kubectl get -o json` output, or `---`-separated YAML documents) and prints one JSON line per
//! object with its kstatus word and message, plus Lookout's Flux state and GitLab's sync state for
//! Flux kinds.

use lookout_client::status::{flux, kstatus};
use serde_json::{json, Value};

/// Splits the input into documents: a JSON stream when it starts with `{` or `[`, YAML otherwise.
fn documents(input: &[u8]) -> Result<Vec<Value>, String> {
    let text = std::str::from_utf8(input).map_err(|e| format!("the input is not UTF-8: {e}"))?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let mut docs = Vec::new();
        for (i, doc) in serde_json::Deserializer::from_str(trimmed)
            .into_iter::<Value>()
            .enumerate()
        {
            docs.push(doc.map_err(|e| format!("document {}: invalid JSON: {e}", i + 1))?);
        }
        return Ok(docs);
    }
    // Empty and null documents are skipped; an error names its line and column.
    serde_saphyr::from_multiple::<Value>(text).map_err(|e| format!("invalid YAML: {e}"))
}

/// Flattens `List`s (and JSON arrays) into their items.
fn objects(docs: Vec<Value>) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (i, doc) in docs.into_iter().enumerate() {
        let label = format!("document {}", i + 1);
        match doc {
            Value::Array(items) => out.extend(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(j, o)| (format!("{label} item {}", j + 1), o)),
            ),
            Value::Object(ref map)
                if map
                    .get("kind")
                    .and_then(Value::as_str)
                    .is_some_and(|k| k.ends_with("List")) =>
            {
                let items = map
                    .get("items")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                out.extend(
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(j, o)| (format!("{label} item {}", j + 1), o)),
                );
            }
            other => out.push((label, other)),
        }
    }
    out
}

/// The output line for one object, or an error naming the document and field.
fn status_line(label: &str, obj: &Value, now: i64) -> Result<Value, String> {
    let field = |pointer: &str, name: &str| -> Result<String, String> {
        match obj.pointer(pointer) {
            Some(Value::String(s)) => Ok(s.clone()),
            None if name == "metadata.namespace" => Ok(String::new()),
            None => Err(format!("{label}: {name} is missing")),
            Some(_) => Err(format!("{label}: {name} is not a string")),
        }
    };
    if !obj.is_object() {
        return Err(format!("{label}: not an object"));
    }
    let kind = field("/kind", "kind")?;
    let api_version = field("/apiVersion", "apiVersion")?;
    let name = field("/metadata/name", "metadata.name")?;
    let namespace = field("/metadata/namespace", "metadata.namespace")?;
    let computed =
        kstatus::compute(obj, now).map_err(|e| format!("{label} ({kind} {name}): {e}"))?;
    let mut line = json!({
        "kind": kind,
        "namespace": namespace,
        "name": name,
        "status": computed.status.as_str(),
        "message": computed.message,
    });
    if api_version
        .split('/')
        .next()
        .is_some_and(|g| g.ends_with(".toolkit.fluxcd.io"))
    {
        let state = flux::flux_status(obj, now);
        let (sync, _) = flux::sync_status(obj);
        line["flux"] = json!(state.state.as_str());
        line["sync"] = json!(sync.as_str());
    }
    Ok(line)
}

/// Computes every object's status: output lines, and errors for the inputs that could not be read.
pub fn run(input: &[u8], now: i64) -> (Vec<String>, Vec<String>) {
    let docs = match documents(input) {
        Ok(d) => d,
        Err(e) => return (vec![], vec![e]),
    };
    let (mut lines, mut errors) = (Vec::new(), Vec::new());
    for (label, obj) in objects(docs) {
        match status_line(&label, &obj, now) {
            Ok(line) => lines.push(line.to_string()),
            Err(e) => errors.push(e),
        }
    }
    (lines, errors)
}

/// The command: returns the process exit code (2 on malformed input or bad arguments).
pub fn main(args: &[String]) -> i32 {
    let usage = "usage: lookout-dev status [FILE|-] [--now RFC3339]";
    let (mut path, mut now) = (None, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--now" => match it
                .next()
                .map(|v| (v, lookout_client::model::time::parse_rfc3339(v)))
            {
                Some((_, Some(t))) => now = Some(t),
                Some((v, None)) => {
                    eprintln!("--now: {v:?} is not an RFC 3339 time (e.g. 2026-11-25T10:00:00Z)");
                    return 2;
                }
                None => {
                    eprintln!("--now needs a value\n{usage}");
                    return 2;
                }
            },
            "-h" | "--help" => {
                println!("{usage}");
                return 0;
            }
            other if path.is_none() => path = Some(other.to_owned()),
            other => {
                eprintln!("unexpected argument {other:?}\n{usage}");
                return 2;
            }
        }
    }
    let input = match path.as_deref() {
        None | Some("-") => {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map(|_| buf)
        }
        Some(p) => std::fs::read(p),
    };
    let input = match input {
        Ok(i) => i,
        Err(e) => {
            eprintln!(
                "cannot read {}: {e}",
                path.as_deref().unwrap_or("standard input")
            );
            return 2;
        }
    };
    let now = now.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    });
    let (lines, errors) = run(&input, now);
    for line in &lines {
        println!("{line}");
    }
    for e in &errors {
        eprintln!("malformed input: {e}");
    }
    if errors.is_empty() {
        0
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_585_091;

    #[test]
    fn json_stream_list_and_flux_objects() {
        let input = br#"{"kind":"PodList","apiVersion":"v1","items":[
              {"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","namespace":"app"},"status":{"phase":"Succeeded"}}]}
            {"kind":"Kustomization","apiVersion":"kustomize.toolkit.fluxcd.io/v1","metadata":{"name":"apps","namespace":"flux-system","generation":1},
             "status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"True","message":"Applied revision: main@sha1:1"}]}}"#;
        let (lines, errors) = run(input, NOW);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            lines[0],
            r#"{"kind":"Pod","message":"Pod has completed successfully","name":"a","namespace":"app","status":"Current"}"#
        );
        let ks: Value = serde_json::from_str(&lines[1]).unwrap();
        assert_eq!(
            (
                ks["status"].as_str(),
                ks["flux"].as_str(),
                ks["sync"].as_str()
            ),
            (Some("Current"), Some("ready"), Some("reconciled"))
        );
    }

    #[test]
    fn yaml_documents_and_the_clock() {
        let input = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: app\n  creationTimestamp: '2026-11-25T05:38:01Z'\nstatus:\n  phase: Pending\n  conditions:\n  - type: PodScheduled\n    status: 'False'\n    reason: Unschedulable\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";
        let (lines, errors) = run(input, NOW);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            lines[0].contains(r#""status":"InProgress""#),
            "{}",
            lines[0]
        );
        let (later, _) = run(input, NOW + 60);
        assert!(later[0].contains(r#""status":"Failed""#), "{}", later[0]);
        assert!(lines[1].contains("Resource is always ready"));
    }

    #[test]
    fn malformed_input_names_the_document_and_field() {
        let (_, errors) = run(b"{\"kind\":\"Pod\"", NOW);
        assert!(
            errors[0].starts_with("document 1: invalid JSON"),
            "{errors:?}"
        );
        let (lines, errors) = run(br#"{"kind":"Pod","apiVersion":"v1","metadata":{}} {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"d"},"status":{"conditions":7}}"#, NOW);
        assert!(lines.is_empty());
        assert_eq!(
            errors,
            [
                "document 1: metadata.name is missing",
                "document 2 (Deployment d): status.conditions is not a list"
            ]
        );
        let (_, errors) = run(b"kind: [unclosed", NOW);
        assert!(
            errors[0].starts_with("invalid YAML") && errors[0].contains("line 1"),
            "{errors:?}"
        );
    }
}
