//! Label and field selectors, parsed and matched as the API server does. The simulated cluster
//! filters with them, and the watch planner uses them to serve a narrow request from a wider watch.

use serde_json::Value;
use std::borrow::Cow;

/// One requirement of a label selector.
#[derive(Debug, Clone, PartialEq)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

/// A parsed `labelSelector` (requirements ANDed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelSelector(Vec<Requirement>);

/// Splits on commas that are not inside parentheses.
fn split_top_level(s: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// A field selector's terms: split at commas a backslash does not escape (kept escaped).
fn split_field_terms(s: &str) -> Vec<&str> {
    let (mut terms, mut start, mut escaped) = (Vec::new(), 0, false);
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ',' => {
                terms.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    terms.push(&s[start..]);
    terms
}

/// A term's field, whether it negates, and its raw value, split at the first operator.
fn split_field_term(term: &str) -> Option<(&str, bool, &str)> {
    term.char_indices().find_map(|(i, _)| {
        let rest = &term[i..];
        [("!=", true), ("==", false), ("=", false)]
            .into_iter()
            .find(|(op, _)| rest.starts_with(op))
            .map(|(op, negate)| (&term[..i], negate, &rest[op.len()..]))
    })
}

/// A field selector value with its escapes resolved.
fn unescape_field_value(value: &str) -> Result<String, String> {
    let (mut out, mut escaped) = (String::with_capacity(value.len()), false);
    for c in value.chars() {
        match c {
            '\\' | ',' | '=' if escaped => {
                out.push(c);
                escaped = false;
            }
            _ if escaped => {
                return Err(format!(
                    "invalid field selector: invalid escape sequence: \\{c}"
                ))
            }
            '\\' => escaped = true,
            ',' | '=' => {
                return Err(format!(
                    "invalid field selector: unescaped character in value: {c}"
                ))
            }
            _ => out.push(c),
        }
    }
    if escaped {
        return Err("invalid field selector: invalid escape sequence: \\".into());
    }
    Ok(out)
}

fn parse_set(s: &str) -> Result<Vec<String>, String> {
    let inner = s
        .trim()
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| format!("expected a (value, …) set, found {s:?}"))?;
    let values: Vec<String> = inner
        .split(',')
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect();
    if values.is_empty() {
        return Err("for 'in', 'notin' operators, values set can't be empty".into());
    }
    Ok(values)
}

/// A label name or value: at most 63 alphanumerics, `-`, `_` or `.`, alphanumeric at both ends.
fn is_label_name(s: &str) -> bool {
    s.len() <= 63
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

/// A label key as the API validates it: `name` or `prefix/name`, the prefix a DNS subdomain.
fn check_key(key: &str) -> Result<(), String> {
    let (prefix, name) = key.split_once('/').unwrap_or(("", key));
    let subdomain = prefix.len() <= 253
        && prefix.split('.').all(|part| {
            part.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                && part.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        });
    if (key.contains('/') && !subdomain) || !is_label_name(name) {
        return Err(format!(
            "invalid label key {key:?}: a name of at most 63 alphanumerics, '-', '_' or '.' \
             that starts and ends with an alphanumeric, optionally after a DNS subdomain and '/'"
        ));
    }
    Ok(())
}

/// A label value as the API validates it: empty, or a label name.
fn check_value(value: &str) -> Result<(), String> {
    if !value.is_empty() && !is_label_name(value) {
        return Err(format!(
            "invalid label value {value:?}: at most 63 alphanumerics, '-', '_' or '.' that \
             start and end with an alphanumeric"
        ));
    }
    Ok(())
}

impl Requirement {
    fn parse(part: &str) -> Result<Self, String> {
        let req = if let Some(key) = part.strip_prefix('!') {
            Requirement::NotExists(key.trim().to_owned())
        } else if let Some((k, v)) = part.split_once("!=") {
            Requirement::NotEquals(k.trim().to_owned(), v.trim().to_owned())
        } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
            Requirement::Equals(k.trim().to_owned(), v.trim().to_owned())
        } else if let Some((k, set)) = part.split_once(" notin ") {
            Requirement::NotIn(k.trim().to_owned(), parse_set(set)?)
        } else if let Some((k, set)) = part.split_once(" in ") {
            Requirement::In(k.trim().to_owned(), parse_set(set)?)
        } else {
            Requirement::Exists(part.to_owned())
        };
        let (key, values) = match &req {
            Requirement::Equals(k, v) | Requirement::NotEquals(k, v) => {
                (k, std::slice::from_ref(v))
            }
            Requirement::In(k, set) | Requirement::NotIn(k, set) => (k, &set[..]),
            Requirement::Exists(k) | Requirement::NotExists(k) => (k, &[][..]),
        };
        check_key(key)?;
        values.iter().try_for_each(|v| check_value(v))?;
        Ok(req)
    }
}

impl LabelSelector {
    /// Parses `a=b,c!=d,e in (x,y),f notin (z),g,!h`; keys and values are validated as the
    /// API server validates them, and every error starts `unable to parse requirement: `.
    pub fn parse(s: &str) -> Result<Self, String> {
        split_top_level(s)
            .into_iter()
            .map(|part| {
                Requirement::parse(part).map_err(|e| format!("unable to parse requirement: {e}"))
            })
            .collect::<Result<_, _>>()
            .map(LabelSelector)
    }

    /// Whether an object's labels (JSON) satisfy every requirement.
    pub fn matches(&self, obj: &Value) -> bool {
        // The common case, no selector: no lookup at all (lists scan every object).
        if self.0.is_empty() {
            return true;
        }
        let labels = obj.pointer("/metadata/labels");
        self.matches_labels(|k| labels.and_then(|l| l.get(k)).and_then(Value::as_str))
    }

    /// Whether the labels `get` returns satisfy every requirement.
    pub fn matches_labels<'a>(&self, get: impl Fn(&str) -> Option<&'a str>) -> bool {
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => get(k) == Some(v.as_str()),
            Requirement::NotEquals(k, v) => get(k) != Some(v.as_str()),
            Requirement::In(k, set) => get(k).is_some_and(|x| set.iter().any(|v| v == x)),
            Requirement::NotIn(k, set) => get(k).is_none_or(|x| set.iter().all(|v| v != x)),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::NotExists(k) => get(k).is_none(),
        })
    }
}

/// A parsed `fieldSelector`: `path=value` / `path!=value` pairs on dotted JSON paths.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldSelector(Vec<(String, bool, String)>);

impl FieldSelector {
    /// Parses `metadata.name=x,status.phase!=Running` as the API server's `fields.ParseSelector`
    /// does: terms split at unescaped commas and sorted, each at its first `!=`, `==` or `=`, the
    /// value unescaped (`\\`, `\,`, `\=`; a bare `,` or `=` in it is an error), nothing trimmed.
    /// Syntax only: which field labels a kind supports is the server's to say
    /// ([`FieldSelector::transform`]).
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut terms = split_field_terms(s);
        terms.sort_unstable();
        let mut reqs = Vec::new();
        for term in terms.into_iter().filter(|t| !t.is_empty()) {
            let Some((path, negate, value)) = split_field_term(term) else {
                return Err(format!(
                    "invalid selector: '{s}'; can't understand '{term}'"
                ));
            };
            reqs.push((path.to_owned(), negate, unescape_field_value(value)?));
        }
        Ok(FieldSelector(reqs))
    }

    /// Whether the object's fields (JSON) satisfy every requirement.
    pub fn matches(&self, obj: &Value) -> bool {
        if self.0.is_empty() {
            return true;
        }
        self.matches_fields(|path| {
            let pointer = format!("/{}", path.replace('.', "/"));
            obj.pointer(&pointer)
                .and_then(Value::as_str)
                .map(Cow::Borrowed)
        })
    }

    /// Whether the fields `get` returns (by dotted path; absent is "") satisfy every requirement.
    pub fn matches_fields<'a>(&self, get: impl Fn(&str) -> Option<Cow<'a, str>>) -> bool {
        self.0.iter().all(|(path, negate, want)| {
            let have = get(path).unwrap_or_default();
            (*have == **want) != *negate
        })
    }

    /// The same requirements with each field label converted by `convert` (a server's field label
    /// conversion for one kind: a supported label, maybe renamed, or why it is not supported). The
    /// first label refused, in term order, is the error.
    pub fn transform(
        self,
        convert: impl Fn(&str) -> Result<String, String>,
    ) -> Result<FieldSelector, String> {
        self.0
            .into_iter()
            .map(|(path, negate, value)| Ok((convert(&path)?, negate, value)))
            .collect::<Result<_, _>>()
            .map(FieldSelector)
    }

    /// Whether the selector has no requirement (selects everything).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The dotted field paths this selector tests.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(path, _, _)| path.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn label_selectors_match_like_the_api() {
        let obj = json!({"metadata": {"labels": {"app": "web", "tier": "front"}}});
        let yes = [
            "app=web",
            "app==web",
            "app!=db",
            "app in (web, api)",
            "tier notin (db)",
            "app",
            "!missing",
            "app=web,tier=front",
            "",
        ];
        let no = [
            "app=db",
            "app in (db)",
            "!app",
            "missing",
            "app=web,tier=back",
            "missing in (x)",
        ];
        for s in yes {
            assert!(LabelSelector::parse(s).unwrap().matches(&obj), "{s}");
        }
        for s in no {
            assert!(!LabelSelector::parse(s).unwrap().matches(&obj), "{s}");
        }
        assert!(LabelSelector::parse("app in web").is_err());
        assert!(LabelSelector::parse("a b c").is_err());
        assert!(LabelSelector::parse("example.com/team=a-b_c.d").is_ok());
        for bad in [
            "a=b=c",
            "=x",
            "a in ()",
            "-a",
            "Example.com/a",
            "a/b/c",
            "a!=b c",
            "!",
        ] {
            let e = LabelSelector::parse(bad).unwrap_err();
            assert!(e.starts_with("unable to parse requirement: "), "{bad}: {e}");
        }
    }

    #[test]
    fn field_selectors_match_and_are_checked_for_syntax_only() {
        let obj = json!({"metadata": {"name": "p1"}, "status": {"phase": "Running"}});
        assert!(FieldSelector::parse("status.phase=Running")
            .unwrap()
            .matches(&obj));
        assert!(
            FieldSelector::parse("status.phase!=Failed,metadata.name=p1")
                .unwrap()
                .matches(&obj)
        );
        assert!(!FieldSelector::parse("metadata.name=p2")
            .unwrap()
            .matches(&obj));
        // Any label parses; a term without an operator does not.
        assert!(FieldSelector::parse("spec.foo=x").is_ok());
        assert_eq!(
            FieldSelector::parse("a=b,spec").unwrap_err(),
            "invalid selector: 'a=b,spec'; can't understand 'spec'"
        );
        // As apimachinery: `==` is `=`, escapes in values, a bare `=` or `,` in one is an error,
        // nothing is trimmed.
        let terms = |s: &str| FieldSelector::parse(s).map(|f| f.0);
        assert_eq!(
            terms(r"metadata.name==a\,b\=c\\,x!=").unwrap(),
            [
                ("metadata.name".to_owned(), false, r"a,b=c\".to_owned()),
                ("x".to_owned(), true, String::new()),
            ]
        );
        assert_eq!(
            terms(" a = b ").unwrap(),
            [(" a ".to_owned(), false, " b ".to_owned())]
        );
        assert_eq!(
            terms("a=b=c").unwrap_err(),
            "invalid field selector: unescaped character in value: ="
        );
        assert_eq!(
            terms("a=b!=c").unwrap_err(),
            "invalid field selector: unescaped character in value: ="
        );
        assert_eq!(
            terms(r"a=\x").unwrap_err(),
            r"invalid field selector: invalid escape sequence: \x"
        );
        assert_eq!(
            terms("a=b\\").unwrap_err(),
            r"invalid field selector: invalid escape sequence: \"
        );
        // An empty label parses (the server's conversion refuses it).
        assert_eq!(
            terms("=x").unwrap(),
            [(String::new(), false, "x".to_owned())]
        );
    }

    #[test]
    fn a_transform_renames_labels_or_names_the_first_refused_in_sorted_order() {
        let refuse_spec = |label: &str| match label.strip_prefix("old.") {
            Some(rest) => Ok(format!("new.{rest}")),
            None if label.starts_with("spec.") => Err(format!("not supported: {label}")),
            None => Ok(label.to_owned()),
        };
        let renamed = FieldSelector::parse("old.name=x,metadata.name=y")
            .unwrap()
            .transform(refuse_spec)
            .unwrap();
        assert_eq!(
            renamed.fields().collect::<Vec<_>>(),
            ["metadata.name", "new.name"]
        );
        // Terms are sorted as the API server sorts them: `spec.a` comes before `spec.b`.
        let refused = FieldSelector::parse("spec.b=1,spec.a=2")
            .unwrap()
            .transform(refuse_spec);
        assert_eq!(refused.unwrap_err(), "not supported: spec.a");
    }
}
