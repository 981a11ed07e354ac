//! The Lookout single-page app: mounts [`App`] into the page.

mod pods_page;

use leptos::prelude::*;
use lookout_client::{Auth, Connection};

/// Where the same-origin proxy (`lookout-dev`) serves the Kubernetes API.
const PROXY_PATH: &str = "/k8s-proxy";

/// The app shell: the connection every view uses, and the pods page.
#[component]
fn App() -> impl IntoView {
    provide_context(Connection::new(PROXY_PATH, Auth::None));
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
