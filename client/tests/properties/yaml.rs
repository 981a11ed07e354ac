//! The YAML view: what it prints parses back (with a real YAML parser) to the JSON it printed, and
//! its highlighter covers every line.

use crate::json::{tricky_string, value};
use lookout_client::view::yaml::{to_yaml, tokens};
use proptest::prelude::*;
use serde_json::Value;

/// Parses YAML back into JSON; numbers compare by value (YAML has one number type per kind).
fn parse(text: &str) -> Result<Value, String> {
    serde_saphyr::from_str::<Value>(text).map_err(|e| e.to_string())
}

/// Whether two values are equal, numbers by their f64 value when not both integers.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y || (x.as_f64().is_some() && x.as_f64() == y.as_f64())
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn round_trips(v: &Value) -> Result<(), TestCaseError> {
    let text = to_yaml(v).map_err(TestCaseError::fail)?;
    let back = parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    prop_assert!(
        same(&back, v),
        "printed\n{}\nread back {} instead of {}",
        text,
        back,
        v
    );
    for line in text.lines() {
        let joined: String = tokens(line).iter().map(|(_, s)| *s).collect();
        prop_assert_eq!(joined, line);
    }
    Ok(())
}

proptest! {
    #[test]
    fn yaml_reads_back_as_the_json_printed(v in value()) {
        round_trips(&v)?;
    }

    #[test]
    fn any_string_reads_back_as_itself(key in tricky_string(), s in tricky_string()) {
        round_trips(&serde_json::json!({ key: s.clone(), "list": [s.clone()], "s": s }))?;
    }
}

#[test]
fn strings_that_yaml_reads_as_other_types_are_quoted() {
    assert_read_back(&[
        "0x1F",
        "0o17",
        "0b101",
        "2026-11-25",
        "1:20",
        ".inf",
        "-.Inf",
        ".NaN",
        "1_000",
        "+12",
        "<<",
        "...",
    ]);
    // YAML 1.1 readers (kubectl's) also take these for numbers and dates; the test's parser does not.
    for s in [
        "2026-11-25",
        "2026-11-25T10:00:00Z",
        "1:20",
        "190:20:30.15",
        "1_000",
        "-1_0.5",
    ] {
        assert_eq!(
            to_yaml(&serde_json::json!(s)).unwrap(),
            format!("\"{s}\"\n")
        );
    }
}

#[test]
fn line_breaks_of_every_yaml_version_read_back() {
    assert_read_back(&[
        "\n",
        "\n x",
        "\n\n  y\n",
        "a\u{85}b",
        "x\u{2028}y\n",
        "\u{feff}bom",
        "del\u{7f}",
        "a\u{1b}[31mred",
    ]);
}

/// Each string, as a key, a value and a list item, and alone, reads back as itself.
fn assert_read_back(strings: &[&str]) {
    let wrong: Vec<String> = strings
        .iter()
        .flat_map(|s| [serde_json::json!({ "k": s, *s: [s] }), serde_json::json!(s)])
        .filter_map(|v| {
            let text = to_yaml(&v).unwrap();
            (parse(&text).as_ref() != Ok(&v)).then(|| format!("{v} printed as\n{text}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
