//! One pod's live log (`?page=logs&namespace=…&pod=…`).

use leptos::prelude::*;
use lookout_components::{use_pod_log, LogViewer, UsePodLogOptions};

/// The logs page.
#[component]
pub fn LogsPage() -> impl IntoView {
    let params =
        web_sys::UrlSearchParams::new_with_str(&window().location().search().unwrap_or_default())
            .ok();
    let get = |k: &str| params.as_ref().and_then(|p| p.get(k)).unwrap_or_default();
    let (namespace, pod) = (get("namespace"), get("pod"));
    // `&lines=N` bounds the buffer (default 5,000).
    let max_lines = get("lines").parse::<usize>().ok().filter(|n| *n > 0);
    let mut options = UsePodLogOptions::default();
    if let Some(n) = max_lines {
        options = options.max_lines(n);
    }
    let log = use_pod_log(&namespace, &pod, options);
    let containers = log.containers;
    let title = format!("Logs of {namespace}/{pod}");
    view! {
        <section class="lo-page" aria-labelledby="logs-heading">
            <h2 id="logs-heading">{title}</h2>
            <Show when=move || containers.with(|c| !c.is_empty()) fallback=|| view! { <p class="lo-empty">"Loading the pod…"</p> }>
                <LogViewer log=log />
            </Show>
        </section>
    }
}
