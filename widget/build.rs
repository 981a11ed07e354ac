//! Writes `$OUT_DIR/flux-status.css`: Lookout's tokens and, of its component styles, only the rules
//! `<lookout-flux-status>` renders (by class), so the small bundle does not carry every page's CSS.

use std::path::Path;

/// The classes `<lookout-flux-status>` renders (see `src/flux_status.rs`).
const CLASSES: [&str; 8] = [
    "lo-widget",
    "lo-sync",
    "lo-status",
    "lo-mono",
    "lo-message",
    "lo-panel",
    "lo-button",
    "lo-error",
];

/// Whether a selector list names one of `CLASSES` (or an element or modifier of it:
/// `lo-sync__rev`, `lo-panel--error`), or is the focus ring every control gets.
fn wanted(selector: &str) -> bool {
    selector.trim() == ":focus-visible"
        || CLASSES.iter().any(|class| {
            selector.match_indices(&format!(".{class}")).any(|(at, m)| {
                let after = &selector[at + m.len()..];
                after.starts_with("__")
                    || after.starts_with("--")
                    || !after
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            })
        })
}

/// The rules of `css` (comments removed) that [`wanted`] keeps; inside `@media`, the same.
fn keep(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let head = rest[..open].trim();
        // The matching brace of this block (blocks nest inside @media).
        let mut depth = 0;
        let mut close = open;
        for (i, c) in rest[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                close = open + i;
                break;
            }
        }
        let body = &rest[open + 1..close];
        if head.starts_with('@') {
            let inner = keep(body);
            if !inner.is_empty() {
                out.push_str(&format!("{head}{{{inner}}}"));
            }
        } else if wanted(head) {
            out.push_str(&format!("{head}{{{}}}", body.trim()));
        }
        rest = &rest[close + 1..];
    }
    out
}

fn without_comments(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

fn main() {
    // At run time: a build script binary may be reused for another checkout of this package.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let styles = Path::new(&manifest).join("../styles");
    let read = |name: &str| {
        let path = styles.join(name);
        println!("cargo::rerun-if-changed={}", path.display());
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let tokens = without_comments(&read("tokens.css"));
    let components = keep(&without_comments(&read("components.css")));
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("flux-status.css");
    std::fs::write(&out, format!("{tokens}\n{components}\n"))
        .unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}
