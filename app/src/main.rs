//! The Lookout single-page app: mounts [`App`] into the page.

mod pods_page;

use leptos::prelude::*;
use lookout_client::{Auth, Connection};

/// Where the same-origin proxy (`lookout-dev`) serves the Kubernetes API.
const PROXY_PATH: &str = "/k8s-proxy";

/// The app shell: the connection every view uses, and the pods page.
#[component]
fn App() -> impl IntoView {
    let connection = Connection::new(PROXY_PATH, Auth::None);
    // `?transport=ws`: every watch over one WebSocket to the watch aggregator (HTTP fallback).
    let search = window().location().search().unwrap_or_default();
    if search.contains("transport=ws") {
        let mux = lookout_client::transport::ws_mux::WsMuxTransport::new(connection.clone());
        lookout_components::set_transport(std::rc::Rc::new(mux));
    }
    provide_context(connection);
    view! {
        <header class="lo-header">
            <h1 class="lo-title">"Lookout"</h1>
        </header>
        <main class="lo-main">
            <pods_page::PodsPage />
        </main>
    }
}

fn main() {
    console_error_panic_hook::set_once();
    mount_to_body(App);
}
