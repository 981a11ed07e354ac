//! Workload health of a namespace (`?page=workloads&namespace=…`), live.

use leptos::prelude::*;
use lookout_components::WorkloadSummary;

/// The workloads page.
#[component]
pub fn WorkloadsPage() -> impl IntoView {
    let search = window().location().search().unwrap_or_default();
    let namespace = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get("namespace"))
        .filter(|n| !n.is_empty());
    view! {
        <section class="lo-page" aria-labelledby="workloads-heading">
            <h2 id="workloads-heading">"Workloads"</h2>
            <WorkloadSummary namespace=namespace />
        </section>
    }
}
