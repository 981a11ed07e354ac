//! The Lookout single-page app: the shell (header, navigation, agent), and the page of the route.

mod bench;
mod detail_page;
mod events_page;
mod flux_page;
mod logs_page;
mod nav;
mod overview_page;
mod pods_page;
mod resources_page;
mod split_pages;
mod workloads_page;

use leptos::prelude::*;
use lookout_client::view::route::Route;
use lookout_client::{Auth, Connection};
use nav::Nav;

/// Where the same-origin proxy (`lookout-dev`) serves the Kubernetes API.
const PROXY_PATH: &str = "/k8s-proxy";

/// The agents (clusters) the proxy offers in the switcher, as `lookout-dev` lists them
/// (`GET /_dev/agents`: `[{"id", "name"}]`, the name a kubeconfig context or a simulated cluster's).
async fn agents() -> Vec<(u64, String)> {
    let request =
        Connection::new("", Auth::None).request(lookout_client::Method::Get, "/_dev/agents");
    let Ok(response) = lookout_components::live::transport().send(request).await else {
        return Vec::new();
    };
    let Ok(body) = response.success_bytes().await else {
        return Vec::new();
    };
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap_or_default();
    listed
        .iter()
        .filter_map(|a| Some((a["id"].as_u64()?, a["name"].as_str()?.to_owned())))
        .collect()
}

/// The connection for this page load: the agent comes from `?agent=N` (the proxy's default when
/// absent), so a link names its cluster.
fn connection(agent: Option<u64>) -> Connection {
    let auth = match agent {
        Some(agent_id) => Auth::ProxyAgent { agent_id },
        None => Auth::None,
    };
    Connection::new(PROXY_PATH, auth)
}

/// The top navigation: one link per page, the current one marked.
#[component]
fn Header(agent: Option<u64>) -> impl IntoView {
    let nav = nav::use_nav();
    let pages = [
        (Route::Overview, "Overview"),
        (Route::Flux, "Flux"),
        (Route::Workloads, "Workloads"),
        (Route::Pods, "Pods"),
        (Route::Services, "Services"),
        (Route::Events, "Events"),
        (Route::Namespaces, "Namespaces"),
        (Route::Resources, "Resources"),
        (Route::Stories(String::new()), "Stories"),
    ];
    let links = pages
        .into_iter()
        .map(|(route, label)| {
            let current = {
                let route = route.clone();
                move || {
                    let now = nav.route.get();
                    let same = match (&now, &route) {
                        (Route::Stories(_), Route::Stories(_))
                        | (Route::Kind { .. }, Route::Resources) => true,
                        (a, b) => a == b,
                    };
                    same.then_some("page")
                }
            };
            // Links keep the namespace and agent, so switching pages keeps the scope.
            let path = route.path();
            let href = move || {
                let keep: Vec<String> = ["namespace", "namespaces", "agent"]
                    .into_iter()
                    .filter_map(|k| {
                        nav.param(k)
                            .map(|v| format!("{k}={}", lookout_client::api::query::encode(&v)))
                    })
                    .collect();
                if keep.is_empty() {
                    path.clone()
                } else {
                    format!("{path}?{}", keep.join("&"))
                }
            };
            view! { <a href=href aria-current=current>{label}</a> }
        })
        .collect_view();
    let switch_agent = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        // A new agent is a new cluster: reload so no watch of the old one survives.
        let url = match value.as_str() {
            "" => "/".to_owned(),
            id => format!("/?agent={id}"),
        };
        let _ = window().location().assign(&url);
    };
    let current = agent.unwrap_or(1);
    let listed = LocalResource::new(agents);
    // Until the list arrives (or without one) the current agent alone, by number.
    let options = move || {
        let mut all = listed.get().unwrap_or_default();
        if !all.iter().any(|(id, _)| *id == current) {
            all.insert(0, (current, String::new()));
        }
        all.into_iter()
            .map(|(id, name)| {
                let label = match name.as_str() {
                    "" => format!("agent {id}"),
                    name => format!("{name} (agent {id})"),
                };
                view! { <option value=id.to_string() selected=current == id>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <header class="lo-header">
            <h1 class="lo-title">"Lookout"</h1>
            <nav class="lo-nav" aria-label="Pages">{links}</nav>
            <label class="lo-field lo-agent">
                <span>"Cluster"</span>
                <select on:change=switch_agent>{options}</select>
            </label>
            <button type="button" class="lo-button lo-palette-open" title="Jump to any object (Ctrl+K)"
                on:click=move |_| overview_page::open_palette()>"Jump to… "<kbd>"Ctrl K"</kbd></button>
        </header>
    }
}

/// The app shell.
#[component]
fn App() -> impl IntoView {
    let nav = Nav::install();
    let agent = nav.param("agent").and_then(|a| a.parse::<u64>().ok());
    let connection = connection(agent);
    // Every watch over one WebSocket to the watch aggregator; `?transport=http` forces one HTTP
    // stream per watch.
    if nav.param("transport").as_deref() != Some("http") {
        lookout_components::live::use_websocket_for(&connection);
    }
    provide_context(connection);
    overview_page::install_shortcuts();
    // Namespaces a user without cluster-wide rights can read: the page's namespace and the ones
    // named in `?namespaces=a,b` (collections refused cluster-wide show these instead).
    Effect::new(move |_| {
        let listed = nav.param("namespaces").unwrap_or_default();
        let mut readable: Vec<String> = nav::namespace_list(&listed)
            .into_iter()
            .map(str::to_owned)
            .collect();
        readable.extend(nav.param("namespace"));
        lookout_components::set_readable_namespaces(readable);
    });
    let page = move || {
        match nav.route.get() {
        Route::Overview => overview_page::OverviewPage().into_any(),
        Route::Flux => split_pages::flux(),
        Route::Workloads => split_pages::workloads(),
        Route::Pods => pods_page::PodsPage().into_any(),
        Route::Services => split_pages::services(),
        Route::Namespaces => split_pages::namespaces(),
        Route::Resources => split_pages::resources(),
        Route::Kind { group, kind } => split_pages::kind(group, kind),
        Route::Events => split_pages::events(),
        Route::Logs => split_pages::logs(),
        Route::Detail(object) => split_pages::detail(object),
        // The storybook is its own bundle (stories.html): the server answers /stories with it.
        Route::Stories(_) if nav.load_other_bundle() => ().into_any(),
        Route::Stories(_) => view! {
            <section class="lo-page lo-error-page" role="alert">
                <h2>"The storybook is not built"</h2>
                <p>"It is its own bundle: "<code>"stories.html"</code>", built to "<code>"dist/stories/"</code>" by scripts/lib.sh (build_app)."</p>
            </section>
        }
        .into_any(),
        Route::Bench => split_pages::bench(),
        Route::NotFound(path) => view! {
            <section class="lo-page lo-error-page" role="alert">
                <h2>"Page not found"</h2>
                <p>"Lookout has no page at "<code>{path}</code>"."</p>
                <p><a href="/">"Go to the overview"</a></p>
            </section>
        }
        .into_any(),
    }
    };
    view! {
        <Header agent=agent />
        <main class="lo-main">{page}</main>
        <overview_page::CommandPalette />
    }
}

fn main() {
    console_error_panic_hook::set_once();
    mount_to_body(App);
}
