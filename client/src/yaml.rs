//! Objects as YAML for the detail view: a small emitter for JSON values (block style, keys sorted,
//! the way `kubectl get -o yaml` prints), and a tokenizer of its lines for syntax highlighting. Strings are
//! quoted whenever YAML would read them as something else, so what is shown parses back the same.

use serde_json::Value;

/// Removes `metadata.managedFields` (shown only on request: it is long and rarely useful).
pub fn without_managed_fields(mut value: Value) -> Value {
    if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    value
}

/// The value as a YAML document.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => write_seq(&mut out, a, 0),
        v => {
            out.push_str(&scalar(v));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, depth: usize) {
    for (k, v) in map {
        indent(out, depth);
        out.push_str(&quote_if_needed(k));
        out.push(':');
        write_child(out, v, depth);
    }
}

fn write_seq(out: &mut String, seq: &[Value], depth: usize) {
    for v in seq {
        indent(out, depth);
        out.push('-');
        match v {
            Value::Object(m) if !m.is_empty() => {
                // First member on the dash line, the rest aligned under it.
                let mut first = true;
                for (k, child) in m {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        indent(out, depth + 2);
                    }
                    out.push_str(&quote_if_needed(k));
                    out.push(':');
                    write_child(out, child, depth + 2);
                }
            }
            Value::Array(a) if !a.is_empty() => {
                out.push('\n');
                write_seq(out, a, depth + 2);
            }
            scalar_value => {
                out.push(' ');
                out.push_str(&scalar(scalar_value));
                out.push('\n');
            }
        }
    }
}

fn write_child(out: &mut String, v: &Value, depth: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, m, depth + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            write_seq(out, a, depth);
        }
        // A literal block reads back the same when the first line with text is not indented (the
        // block's indentation comes from it), it holds no CR or other character YAML cannot show
        // as is, and at most one newline ends it (`|` keeps one, `|-` none); anything else is a
        // quoted scalar.
        Value::String(s)
            if s.contains('\n')
                && !s.trim_start_matches('\n').is_empty()
                && !s.trim_start_matches('\n').starts_with([' ', '\t'])
                && !s.ends_with("\n\n")
                && s.chars().all(|c| c == '\n' || c == '\t' || plain_char(c)) =>
        {
            let (indicator, body) = match s.strip_suffix('\n') {
                Some(body) => (" |\n", body),
                None => (" |-\n", s.as_str()),
            };
            out.push_str(indicator);
            for line in body.split('\n') {
                if !line.is_empty() {
                    indent(out, depth + 2);
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quote_if_needed(s),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// Quotes a string YAML would otherwise read as another type or misparse.
fn quote_if_needed(s: &str) -> String {
    let plain_ok = !s.is_empty()
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~" | "y" | "n" | "<<"
        )
        && !reads_as_number(s)
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` ".contains(c))
        && !s.starts_with("...")
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && s.chars().all(plain_char);
    if plain_ok {
        s.to_owned()
    } else {
        double_quoted(s)
    }
}

/// Whether YAML 1.1 or 1.2 reads a plain scalar as a number or a date: Rust's floats plus
/// `0x`/`0o`/`0b` integers, `_` separators, `.inf`/`.nan`, sexagesimal `1:20` and `2026-11-25`.
fn reads_as_number(s: &str) -> bool {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let digits = unsigned.replace('_', "").to_ascii_lowercase();
    let radix = ["0x", "0o", "0b"].iter().any(|p| {
        digits
            .strip_prefix(p)
            .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_hexdigit()))
    });
    let sexagesimal = unsigned.starts_with(|c: char| c.is_ascii_digit())
        && unsigned.contains(':')
        && unsigned
            .chars()
            .all(|c| c.is_ascii_digit() || ":._".contains(c));
    let b = s.as_bytes();
    let date = b.len() >= 6 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-';
    s.parse::<f64>().is_ok()
        || digits.parse::<f64>().is_ok()
        || matches!(digits.as_str(), ".inf" | ".nan")
        || radix
        || sexagesimal
        || date
}

/// Whether YAML shows `c` as itself in a plain or literal scalar: printable, and not a line break
/// or byte order mark in any YAML version (tabs and newlines are the callers' to allow).
fn plain_char(c: char) -> bool {
    !c.is_control()
        && !matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
}

/// A double-quoted YAML scalar: every character YAML would not read back as itself escaped.
fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if plain_char(c) => out.push(c),
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
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
            to_yaml(&v),
            "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations: {}\n  labels:\n    app: web\n  name: web\n\
             spec:\n  containers:\n  - args:\n    - \"--port\"\n    - \"8080\"\n    name: web\n\
             status:\n  empty: \"\"\n  note: |-\n    line1\n    line2\n  odd: \"true\"\n  ready: true\n  restarts: 3\n"
        );
    }

    #[test]
    fn multi_line_strings_keep_their_newlines_and_indentation() {
        let v = json!({ "a": "x\ny\n", "b": "x\ny", "c": " indented\nnext", "d": "two\n\n", "e": "cr\r\nlf" });
        let y = to_yaml(&v);
        assert!(y.contains("a: |\n  x\n  y\n"), "{y}");
        assert!(y.contains("b: |-\n  x\n  y\n"), "{y}");
        assert!(y.contains("c: \" indented\\nnext\""), "{y}");
        assert!(y.contains("d: \"two\\n\\n\""), "{y}");
        assert!(y.contains("e: \"cr\\r\\nlf\""), "{y}");
    }

    #[test]
    fn hostile_strings_stay_one_quoted_scalar() {
        let v = json!({ "k": "a: b # c", "x": "<img src=x onerror=alert(1)>", "c": "tab\there" });
        let y = to_yaml(&v);
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
