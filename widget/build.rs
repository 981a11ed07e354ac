//! Writes one stylesheet per Leptos-free element into `$OUT_DIR` (`flux-status.css`,
//! `environment.css`): Lookout's tokens and, of its component styles, only the rules the element
//! renders (by class), so a small bundle does not carry every page's CSS.

use std::path::Path;

/// The classes `<lookout-flux-status>` renders (see `src/flux_status.rs`).
const FLUX_STATUS: &[&str] = &[
    "lo-widget",
    "lo-sync",
    "lo-status",
    "lo-mono",
    "lo-message",
    "lo-panel",
    "lo-button",
    "lo-error",
];

/// The classes `<lookout-environment>`'s first view renders (see `src/environment/`); its drawer
/// has its own bundle and styles.
const ENVIRONMENT: &[&str] = &[
    "lo-widget",
    "lo-env",
    "lo-toolbar",
    "lo-sync",
    "lo-status",
    "lo-mono",
    "lo-message",
    "lo-time",
    "lo-panel",
    "lo-button",
    "lo-confirm",
    "lo-error",
    "lo-cards",
    "lo-card",
    "lo-coverage",
    "lo-conn",
    "lo-rtable",
    "lo-input",
    "lo-chips",
    "lo-chip",
    "lo-count",
    "lo-sort",
    "lo-vscroll",
    "lo-table",
    "lo-vrow",
    "lo-name",
    "lo-num",
    "lo-actions",
    "lo-empty",
    "lo-skeleton",
];

/// Whether a selector list names one of `classes` (or an element or modifier of it:
/// `lo-sync__rev`, `lo-panel--error`), or is the focus ring every control gets.
fn wanted(selector: &str, classes: &[&str]) -> bool {
    selector.trim() == ":focus-visible"
        || classes.iter().any(|class| {
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
fn keep(css: &str, classes: &[&str]) -> String {
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
            let inner = keep(body, classes);
            if !inner.is_empty() {
                out.push_str(&format!("{head}{{{inner}}}"));
            }
        } else if wanted(head, classes) {
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
    let components = without_comments(&read("components.css"));
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for (name, classes) in [
        ("flux-status.css", FLUX_STATUS),
        ("environment.css", ENVIRONMENT),
    ] {
        let out = Path::new(&out_dir).join(name);
        let rules = keep(&components, classes);
        std::fs::write(&out, format!("{tokens}\n{rules}\n"))
            .unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    }
}
