//! A live pod log: follow or pause, container picker, timestamps, search with highlight, and a
//! bounded buffer that drops the oldest lines and says so.

use crate::live::{LogLine, UsePodLogReturn};
use leptos::prelude::*;

/// Splits `line` around case-insensitive matches of `query` (ASCII case folding), for highlighting.
fn split_matches(line: &str, query: &str) -> Vec<(String, bool)> {
    if query.is_empty() {
        return vec![(line.to_owned(), false)];
    }
    let (hay, needle) = (line.to_ascii_lowercase(), query.to_ascii_lowercase());
    let mut parts = Vec::new();
    let mut at = 0;
    while let Some(found) = hay[at..].find(&needle) {
        let start = at + found;
        if start > at {
            parts.push((line[at..start].to_owned(), false));
        }
        parts.push((line[start..start + needle.len()].to_owned(), true));
        at = start + needle.len();
    }
    if at < line.len() {
        parts.push((line[at..].to_owned(), false));
    }
    parts
}

/// Saves the raw `lines` as a text file named `name` (the browser's download, from a Blob:
/// nothing is sent anywhere).
fn download(name: &str, lines: &[LogLine]) {
    use wasm_bindgen::JsCast;
    let mut text = String::new();
    for line in lines {
        text.push_str(&line.raw);
        text.push('\n');
    }
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = document()
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// The log of one pod, from [`use_pod_log`](crate::live::use_pod_log): its reading options as
/// controls, search with highlight, and a count of the lines kept and dropped.
/// Download saves the buffered lines as `<pod>-<container>.log`.
#[component]
pub fn LogViewer(
    /// The pod's log and reading options.
    log: UsePodLogReturn,
) -> impl IntoView {
    let UsePodLogReturn {
        pod,
        containers,
        lines,
        dropped,
        ended,
        container,
        timestamps,
        previous,
        paused,
    } = log;
    let download_name = pod.get_value();
    let query = RwSignal::new(String::new());
    let wrap = RwSignal::new(true);
    // What the lines show (escape sequences dropped, controls visible); downloads stay raw.
    let shown = Memo::new(move |_| {
        let q = query.get().to_ascii_lowercase();
        lines.with(|all| {
            all.iter()
                .filter(|l| q.is_empty() || l.shown.to_ascii_lowercase().contains(&q))
                .map(|l| l.shown.clone())
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="lo-log">
            <div class="lo-toolbar">
                <Show when=move || containers.with(|c| c.len() > 1)>
                    <label class="lo-field">
                        <span>"Container"</span>
                        <select aria-label="Container" on:change=move |ev| container.set(Some(event_target_value(&ev)))>
                            {move || containers.get().into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                </Show>
                <label class="lo-field">
                    <input type="checkbox" prop:checked=move || timestamps.get() on:change=move |_| timestamps.update(|t| *t = !*t) />
                    <span>"Timestamps"</span>
                </label>
                <label class="lo-field">
                    <input type="checkbox" prop:checked=move || previous.get() on:change=move |_| previous.update(|p| *p = !*p) />
                    <span>"Previous container"</span>
                </label>
                <label class="lo-field">
                    <input type="checkbox" prop:checked=move || wrap.get() on:change=move |_| wrap.update(|w| *w = !*w) />
                    <span>"Wrap lines"</span>
                </label>
                <button type="button" class="lo-button" aria-pressed=move || paused.get().to_string() on:click=move |_| paused.update(|p| *p = !*p)>
                    {move || if paused.get() { "Follow" } else { "Pause" }}
                </button>
                <label class="lo-field">
                    <span>"Search"</span>
                    <input type="search" prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) />
                </label>
                <button type="button" class="lo-button" on:click=move |_| {
                    let name = format!("{}-{}.log", download_name, container.get_untracked().or_else(|| containers.with_untracked(|c| c.first().cloned())).unwrap_or_default());
                    lines.with_untracked(|all| download(&name, all));
                }>"Download"</button>
                <span class="lo-log__count" aria-live="polite">
                    {move || format!("{} lines", shown.with(Vec::len))}
                    {move || (dropped.get() > 0).then(|| format!(" · {} older lines dropped", dropped.get()))}
                </span>
            </div>
            <pre class="lo-log__lines" data-wrap=move || wrap.get().to_string() aria-label="Log lines" tabindex="0">
                {move || shown.get().into_iter().map(|line| {
                    let parts = split_matches(&line, &query.get_untracked());
                    view! {
                        <div class="lo-log__line">
                            {parts.into_iter().map(|(text, hit)| if hit { view! { <mark>{text}</mark> }.into_any() } else { text.into_any() }).collect_view()}
                        </div>
                    }
                }).collect_view()}
            </pre>
            <Show when=move || ended.with(Option::is_some)>
                <p class="lo-empty" role="status">{move || ended.get().unwrap_or_default()}</p>
            </Show>
        </div>
    }
}
