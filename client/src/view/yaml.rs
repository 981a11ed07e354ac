//! Objects as YAML for the detail view: JSON values printed by `serde-saphyr` (block style, keys
//! sorted, the way `kubectl get -o yaml` prints), and a tokenizer of its lines for syntax
//! highlighting. Strings are quoted whenever YAML would read them as something else, so what is
//! shown parses back the same.

use serde_json::Value;

/// Removes `metadata.managedFields` (shown only on request: it is long and rarely useful).
pub fn without_managed_fields(mut value: Value) -> Value {
    if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    value
}

/// The value as a YAML document, emitted by `serde-saphyr`: block style, keys sorted (JSON maps
/// are), list items under their key as `kubectl get -o yaml` prints them, multi-line strings as
/// literal blocks, and every string YAML 1.1 or 1.2 would read as another type (`0x1F`, `0o17`,
/// `2026-11-25`, `1:20`, `yes`, …) quoted, so it parses back to `value`.
pub fn to_yaml(value: &Value) -> Result<String, String> {
    let mut options = serde_saphyr::SerializerOptions::default();
    // Long one-line strings stay on one line (as kubectl shows them), not folded at 80 columns.
    options.folded_wrap_chars = usize::MAX;
    serde_saphyr::to_string_with_options(value, options)
        .map_err(|e| format!("cannot show the object as YAML: {e}"))
}

/// What a piece of a YAML line is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// Indentation, dashes and colons.
    Punct,
    /// A mapping key.
    Key,
    /// A string value.
    Str,
    /// A number, boolean or null.
    Literal,
}

impl Token {
    /// CSS class suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            Token::Punct => "punct",
            Token::Key => "key",
            Token::Str => "str",
            Token::Literal => "lit",
        }
    }
}

/// Splits one line of [`to_yaml`]'s output into coloured pieces (concatenated, they are the line).
pub fn tokens(line: &str) -> Vec<(Token, &str)> {
    let mut out = Vec::new();
    let body_start = line
        .find(|c: char| c != ' ' && c != '-')
        .unwrap_or(line.len());
    if body_start > 0 {
        out.push((Token::Punct, &line[..body_start]));
    }
    let body = &line[body_start..];
    let key_end = if let Some(quoted) = body.strip_prefix('"') {
        // A quoted key: find its closing quote, then the colon.
        quoted
            .find('"')
            .map(|q| q + 2)
            .filter(|&e| body[e..].starts_with(':'))
    } else {
        body.find(": ")
            .or_else(|| body.ends_with(':').then(|| body.len() - 1))
    };
    let value = match key_end {
        Some(e) => {
            out.push((Token::Key, &body[..e]));
            let sep = if body[e..].starts_with(": ") { 2 } else { 1 };
            out.push((Token::Punct, &body[e..e + sep]));
            &body[e + sep..]
        }
        None => body,
    };
    if !value.is_empty() {
        let literal = value.parse::<f64>().is_ok() || matches!(value, "true" | "false" | "null");
        out.push((if literal { Token::Literal } else { Token::Str }, value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prints_like_kubectl() {
        let v = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": { "name": "web", "labels": { "app": "web" }, "annotations": {} },
            "spec": { "containers": [{ "name": "web", "args": ["--port", "8080"] }] },
            "status": { "ready": true, "restarts": 3, "note": "line1\nline2", "odd": "true", "empty": "" }
        });
        assert_eq!(
            to_yaml(&v).unwrap(),
            "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations: {}\n  labels:\n    app: web\n  name: web\n\
             spec:\n  containers:\n  - args:\n    - --port\n    - \"8080\"\n    name: web\n\
             status:\n  empty: \"\"\n  note: |-\n    line1\n    line2\n  odd: \"true\"\n  ready: true\n  restarts: 3\n"
        );
    }

    #[test]
    fn multi_line_strings_keep_their_newlines_and_indentation() {
        let v = json!({ "a": "x\ny\n", "b": "x\ny", "c": " indented\nnext", "d": "two\n\n", "e": "cr\r\nlf" });
        let y = to_yaml(&v).unwrap();
        assert!(y.contains("a: |\n  x\n  y\n"), "{y}");
        assert!(y.contains("b: |-\n  x\n  y\n"), "{y}");
        // A leading space needs an indentation indicator, two final newlines "keep" chomping.
        assert!(y.contains("c: |2-\n   indented\n  next\n"), "{y}");
        assert!(y.contains("d: |+\n  two\n\n"), "{y}");
        assert!(y.contains("e: \"cr\\r\\nlf\""), "{y}");
    }

    #[test]
    fn hostile_strings_stay_one_quoted_scalar() {
        let v = json!({ "k": "a: b # c", "x": "<img src=x onerror=alert(1)>", "c": "tab\there" });
        let y = to_yaml(&v).unwrap();
        assert!(y.contains("k: \"a: b # c\""), "{y}");
        assert!(y.contains("x: <img src=x onerror=alert(1)>"), "{y}");
        assert!(y.contains("c: \"tab\\there\""), "{y}");
    }

    #[test]
    fn managed_fields_are_dropped_on_request() {
        let v = json!({ "metadata": { "name": "a", "managedFields": [{ "manager": "kubectl" }] } });
        assert_eq!(
            without_managed_fields(v),
            json!({ "metadata": { "name": "a" } })
        );
    }

    #[test]
    fn tokens_cover_the_line() {
        for line in [
            "  name: web",
            "  - name: web",
            "    - --port",
            "  ready: true",
            "metadata:",
            "  \"a:b\": 1",
        ] {
            let joined: String = tokens(line).iter().map(|(_, s)| *s).collect();
            assert_eq!(joined, line);
        }
        assert_eq!(
            tokens("  ready: true"),
            vec![
                (Token::Punct, "  "),
                (Token::Key, "ready"),
                (Token::Punct, ": "),
                (Token::Literal, "true")
            ]
        );
        assert_eq!(
            tokens("  - name: web")[1..],
            [
                (Token::Key, "name"),
                (Token::Punct, ": "),
                (Token::Str, "web")
            ]
        );
    }
}
