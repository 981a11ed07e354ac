//! The storybook's own bundle (`stories.html`, built to `dist/stories/`; lookout-dev answers
//! `/stories` and every path below it with it), kept out of the app's wasm: every component ×
//! state from fixtures, and the `live` variant of each fed by the devserver's living demo.

mod live_stories;
mod storybook;

// The app's navigation and its detail page's Flux graph (the flux-graph live story), shared with
// the app's bin; this bundle uses part of them.
#[allow(dead_code)]
#[path = "detail_page.rs"]
mod detail_page;
#[allow(dead_code)]
#[path = "nav.rs"]
mod nav;

use leptos::prelude::*;
use lookout_client::view::route::Route;
use lookout_client::{Auth, Connection};

/// The storybook's shell: a header back to the app, and the stories of the route. Any other
/// route is the app's: it is loaded from the server.
#[component]
fn Stories() -> impl IntoView {
    let nav = nav::Nav::install();
    // The live stories watch the devserver's default agent through its same-origin proxy, over
    // one WebSocket (`?transport=http`: one HTTP stream per watch), as the app does.
    let connection = Connection::new("/k8s-proxy", Auth::None);
    if nav.param("transport").as_deref() != Some("http") {
        lookout_components::live::use_websocket_for(&connection);
    }
    provide_context(connection);
    let page = move || {
        match nav.route.get() {
        Route::Stories(path) => view! { <storybook::Storybook path=path /> }.into_any(),
        _ if nav.load_other_bundle() => ().into_any(),
        other => view! {
            <section class="lo-page lo-error-page" role="alert">
                <h2>"Not a story"</h2>
                <p><code>{other.path()}</code>" is the app's page; the storybook is at "<a href="/stories">"/stories"</a>"."</p>
            </section>
        }
        .into_any(),
    }
    };
    view! {
        <header class="lo-header">
            <h1 class="lo-title">"Lookout stories"</h1>
            <nav class="lo-nav" aria-label="Pages">
                <a href="/stories">"Stories"</a>
                <a href="/">"App"</a>
            </nav>
        </header>
        <main class="lo-main">{page}</main>
    }
}

fn main() {
    console_error_panic_hook::set_once();
    mount_to_body(Stories);
}
