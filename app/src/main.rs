//! The Lookout single-page app: mounts [`App`] into the page.

mod events_page;
mod flux_page;
mod logs_page;
mod pods_page;
mod storybook;
mod workloads_page;

use leptos::prelude::*;
use lookout_client::{Auth, Connection};

/// Where the same-origin proxy (`lookout-dev`) serves the Kubernetes API.
const PROXY_PATH: &str = "/k8s-proxy";

/// The app shell: the connection every view uses, and the pods page.
#[component]
fn App() -> impl IntoView {
    let connection = Connection::new(PROXY_PATH, Auth::None);
    // Every watch over one WebSocket to the watch aggregator (falls back to HTTP watches when the
    // proxy has none); `?transport=http` forces one HTTP stream per watch.
    let search = window().location().search().unwrap_or_default();
    if !search.contains("transport=http") {
        let mux = lookout_client::transport::ws_mux::WsMuxTransport::new(connection.clone());
        lookout_components::set_transport(std::rc::Rc::new(mux));
    }
    provide_context(connection);
    let flux = search.contains("page=flux");
    let workloads = search.contains("page=workloads");
    let events = search.contains("page=events");
    let logs = search.contains("page=logs");
    let path = window().location().pathname().unwrap_or_default();
    let stories = path.strip_prefix("/stories").map(str::to_owned);
    view! {
        <header class="lo-header">
            <h1 class="lo-title">"Lookout"</h1>
            <nav class="lo-nav" aria-label="Pages">
                <a href="/?page=pods" aria-current=(!flux && !workloads && !events && stories.is_none()).then_some("page")>"Pods"</a>
                <a href="/?page=workloads" aria-current=(workloads && stories.is_none()).then_some("page")>"Workloads"</a>
                <a href="/?page=flux" aria-current=(flux && stories.is_none()).then_some("page")>"Flux"</a>
                <a href="/?page=events" aria-current=(events && stories.is_none()).then_some("page")>"Events"</a>
                <a href="/stories" aria-current=stories.is_some().then_some("page")>"Stories"</a>
            </nav>
        </header>
        <main class="lo-main">
            {match stories {
                Some(path) => view! { <storybook::Storybook path=path /> }.into_any(),
                None if flux => flux_page::FluxPage().into_any(),
                None if workloads => workloads_page::WorkloadsPage().into_any(),
                None if events => events_page::EventsPage().into_any(),
                None if logs => logs_page::LogsPage().into_any(),
                None => pods_page::PodsPage().into_any(),
            }}
        </main>
    }
}

fn main() {
    console_error_panic_hook::set_once();
    mount_to_body(App);
}
