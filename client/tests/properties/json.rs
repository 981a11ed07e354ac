//! Strategies for arbitrary JSON: values, hostile strings, and raw texts no value can express
//! (duplicate keys, huge numbers, deep nesting, invalid UTF-8).

use proptest::prelude::*;
use serde_json::{Map, Number, Value};

/// Strings YAML, selectors and routes treat specially, mixed with arbitrary Unicode.
pub fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        2 => "[a-z0-9 :#\\-.,/=!()\\[\\]{}|>'\"%@&*?~`+_\t\n\r]{0,12}",
        2 => prop::sample::select(vec![
            "", "true", "False", "yes", "NO", "on", "Off", "y", "N", "null", "Null", "NULL", "~",
            "0x1F", "0o17", "0b101", "017", "+12", ".5", "1_000", "1e3", "-.inf", ".NaN", ".nan",
            "2026-11-25", "2026-11-25T10:00:00Z", "1:20", "190:20:30", "12:30:45.5", "<<",
            "=", "- a", "? x", ": y", "a: b", "a #b", "#c", "!tag", "&anchor", "*alias", "|", ">",
            "---", "...", "--- x", "%YAML", "@at", "`tick", "'q'", "\"q\"", "a\u{85}b",
            "\u{feff}bom", "x\u{2028}y", "tab\tin", "trail ", " lead", "é", "🚀", "a,b", "[x]",
            "{x}", "x\n", "x\n\n", "\n", " \n", "\nx",
        ])
        .prop_map(str::to_owned),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter_map("finite", Number::from_f64)
            .prop_map(Value::Number),
        (-3i64..3).prop_map(Value::from),
    ]
}

/// Any JSON value, up to a few levels deep.
pub fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        tricky_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((tricky_string(), inner), 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Every JSON pointer of `v` (the root too).
pub fn pointers(v: &Value) -> Vec<String> {
    fn walk(v: &Value, at: String, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    let key = k.replace('~', "~0").replace('/', "~1");
                    walk(child, format!("{at}/{key}"), out);
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    walk(child, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }
    let mut out = Vec::new();
    walk(v, String::new(), &mut out);
    out
}

/// `base` with the value at one of its pointers (picked by `pick`) replaced by `with`.
pub fn replaced(base: &Value, pick: prop::sample::Index, with: Value) -> Value {
    let mut v = base.clone();
    let all = pointers(&v);
    let at = &all[pick.index(all.len())];
    match v.pointer_mut(at) {
        Some(slot) => *slot = with,
        None => unreachable!("pointers() lists only existing pointers"),
    }
    v
}

/// JSON texts a `Value` cannot express, and broken ones.
pub fn raw_text() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // Deep nesting, above and below serde_json's recursion limit.
        (1usize..3000, prop::sample::select(vec!["[", "{\"a\":"])).prop_map(|(n, open)| {
            let close = if open == "[" { "]" } else { "}" };
            format!("{}1{}", open.repeat(n), close.repeat(n)).into_bytes()
        }),
        // Huge and odd numbers.
        prop::sample::select(vec![
            "1e400",
            "-1e400",
            "123456789012345678901234567890",
            "-9223372036854775809",
            "18446744073709551616",
            "4294967296",
            "1.0",
            "-0",
            "1e-400",
            "0.1e1",
            "NaN",
            "Infinity",
            "01",
            "1.",
            ".1",
            "+1",
        ])
        .prop_map(|n| n.as_bytes().to_vec()),
        // Duplicate keys.
        (tricky_string(), value(), value()).prop_map(|(k, a, b)| {
            let k = serde_json::to_string(&k).unwrap_or_default();
            format!("{{{k}:{a},{k}:{b}}}").into_bytes()
        }),
        // Random bytes, often not UTF-8.
        prop::collection::vec(any::<u8>(), 0..64),
        // A valid value cut anywhere, or with one byte changed.
        (value(), any::<prop::sample::Index>(), any::<u8>()).prop_map(|(v, at, byte)| {
            let mut text = v.to_string().into_bytes();
            let i = at.index(text.len());
            if byte % 2 == 0 {
                text.truncate(i);
            } else {
                text[i] = byte;
            }
            text
        }),
    ]
}
