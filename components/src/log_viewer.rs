//! A live pod log: follow or pause, container picker, timestamps, search with highlight, and a
//! bounded buffer that drops the oldest lines and says so.

use futures_util::future::{abortable, AbortHandle};
use leptos::prelude::*;
use lookout_client::log_text::display_text;
use lookout_client::logs::{stream_logs, LogOptions};
use lookout_client::Connection;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// Lines kept by default; older ones are dropped (and counted).
pub const DEFAULT_MAX_LINES: usize = 5_000;

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

/// One buffered log line: the bytes as received (downloads) and, made once on arrival, the text
/// as shown (escape sequences dropped, controls visible).
#[derive(Clone)]
struct LogLine {
    raw: String,
    shown: String,
}

impl LogLine {
    fn new(raw: String) -> Self {
        let shown = display_text(&raw);
        LogLine { raw, shown }
    }
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

/// The containers of a pod (from a live watch of that pod), for the log viewer's picker.
pub fn use_containers(namespace: &str, pod: &str) -> Signal<Vec<String>> {
    let selector = lookout_client::Selector::named(namespace, pod);
    let live = crate::live::use_collection::<lookout_client::Pod>(
        expect_context::<Connection>(),
        move || selector.clone(),
    );
    Signal::derive(move || {
        live.rows.with(|p| {
            p.first()
                .map(|p| p.spec.containers.iter().map(|c| c.name.clone()).collect())
                .unwrap_or_default()
        })
    })
}

/// The log of one pod.
///
/// Props:
/// - `namespace`, `pod`: the pod.
/// - `containers`: its containers (the first is shown first; a picker appears when there are several).
/// - `max_lines`: buffer bound (default [`DEFAULT_MAX_LINES`]).
///
/// Download saves the buffered lines as `<pod>-<container>.log`.
#[component]
pub fn LogViewer(
    namespace: String,
    pod: String,
    #[prop(into)] containers: Signal<Vec<String>>,
    #[prop(optional)] max_lines: Option<usize>,
) -> impl IntoView {
    let connection = expect_context::<Connection>();
    let download_name = pod.clone();
    let max_lines = max_lines.unwrap_or(DEFAULT_MAX_LINES);
    let container = RwSignal::new(None::<String>);
    let timestamps = RwSignal::new(false);
    let paused = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let wrap = RwSignal::new(true);
    let previous = RwSignal::new(false);
    let lines = RwSignal::new(Vec::<LogLine>::new());
    let dropped = RwSignal::new(0usize);
    let ended = RwSignal::new(None::<String>);
    let running: Rc<RefCell<Option<AbortHandle>>> = Rc::default();
    let stop = {
        let running = running.clone();
        move || {
            if let Some(h) = running.borrow_mut().take() {
                h.abort();
            }
        }
    };
    let stop_on_change = stop.clone();
    Effect::new(move |_| {
        let chosen = container
            .get()
            .or_else(|| containers.with(|c| c.first().cloned()));
        // The previous (crashed) instance's log is complete: no follow.
        let previous = previous.get();
        let opts = LogOptions {
            container: chosen,
            follow: !previous,
            previous,
            tail_lines: Some(500),
            timestamps: timestamps.get(),
            ..LogOptions::default()
        };
        stop_on_change();
        lines.set(Vec::new());
        dropped.set(0);
        ended.set(None);
        let buffer = Rc::new(RefCell::new(VecDeque::<LogLine>::new()));
        let flush_pending = Rc::new(std::cell::Cell::new(false));
        let (conn, ns, name) = (connection.clone(), namespace.clone(), pod.clone());
        let publish = {
            let buffer = buffer.clone();
            move || {
                if !paused.get_untracked() {
                    let _ = lines.try_set(buffer.borrow().iter().cloned().collect());
                }
            }
        };
        let on_line = {
            let publish = publish.clone();
            move |line: String| {
                let mut b = buffer.borrow_mut();
                b.push_back(LogLine::new(line));
                if b.len() > max_lines {
                    b.pop_front();
                    let _ = dropped.try_update(|d| *d += 1);
                }
                drop(b);
                if !flush_pending.replace(true) {
                    let (flush_pending, publish) = (flush_pending.clone(), publish.clone());
                    request_animation_frame(move || {
                        flush_pending.set(false);
                        publish();
                    });
                }
            }
        };
        let opts_previous = previous;
        let (task, handle) = abortable(async move {
            let transport = crate::live::transport();
            let result = stream_logs(transport.as_ref(), &conn, &ns, &name, &opts, on_line).await;
            let _ = ended.try_set(Some(match result {
                Ok(()) if opts_previous => "End of the previous container's log.".to_owned(),
                Ok(()) => "The log ended (the container stopped).".to_owned(),
                Err(e) => format!("Cannot read the log: {e}"),
            }));
        });
        *running.borrow_mut() = Some(handle);
        leptos::task::spawn_local(async move {
            let _ = task.await;
        });
    });
    let cleanup = send_wrapper::SendWrapper::new(stop);
    on_cleanup(move || (cleanup.take())());
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
