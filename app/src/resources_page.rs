//! Pages that list one kind in a resource table: services, namespaces, the kind tables of the
//! workloads page, and any kind the cluster serves (`/resources`: every discovered kind by API
//! group, each a link to its table). Namespace, filter and sort live in the URL.

use crate::nav::{url_namespace, url_readable_namespaces, url_table_query};
use leptos::prelude::*;
use lookout_client::api::discovery::Discovery;
use lookout_client::model::Object;
use lookout_client::view::route::Route;
use lookout_client::{model::kinds, ApiResource, Namespace, Selector, WatchState};
use lookout_components::{
    use_collection, use_discovery, use_now, use_objects, when_loaded, ConnectionStatus, Coverage,
    ErrorPanel, NamespacePicker, Part, ResourceTable,
};
use std::collections::BTreeMap;

/// A live resource table of `api` in the page's namespace, its filter in the URL.
#[component]
pub fn KindTable(api: ApiResource, #[prop(into)] namespace: Signal<String>) -> impl IntoView {
    let namespaced = api.namespaced;
    let live = use_objects::<Object>(api.clone(), move || Selector {
        namespace: if namespaced {
            Some(namespace.get()).filter(|n| !n.is_empty())
        } else {
            None
        },
        ..Selector::default()
    });
    let query = url_table_query("");
    let loading = Signal::derive(move || {
        matches!(live.state.get(), WatchState::Listing | WatchState::Waiting)
    });
    let show_namespace = Signal::derive(move || namespaced && namespace.get().is_empty());
    let now = use_now();
    let parts = vec![Part::of(&api, &live)];
    view! {
        <ConnectionStatus state=live.state />
        <ErrorPanel state=live.state retry=live.retry />
        <Coverage parts=parts on_namespaces=url_readable_namespaces() />
        <ResourceTable api=api rows=live.rows now=now show_namespace=show_namespace query=query loading=loading />
    }
}

/// A page with a heading, the namespace picker and one kind's table.
fn kind_page(title: String, api: ApiResource) -> impl IntoView {
    let namespaces = use_collection::<Namespace>(Selector::default);
    let (namespace, set_namespace) = url_namespace();
    let picker = api.namespaced.then(|| view! {
        <NamespacePicker namespaces=namespaces.items selected=namespace on_change=set_namespace />
    });
    let id = format!("{}-heading", title.to_ascii_lowercase());
    let labelledby = id.clone();
    view! {
        <section class="lo-page" aria-labelledby=labelledby>
            <div class="lo-toolbar">
                <h2 id=id>{title}</h2>
                {picker}
            </div>
            <KindTable api=api namespace=namespace />
        </section>
    }
}

/// Services of a namespace (or all).
#[component]
pub fn ServicesPage() -> impl IntoView {
    kind_page("Services".into(), kinds::SERVICE)
}

/// Every namespace with its status.
#[component]
pub fn NamespacesPage() -> impl IntoView {
    kind_page("Namespaces".into(), kinds::NAMESPACE)
}

/// Every kind the cluster serves, grouped by API group (core first), each a link to its table.
#[component]
pub fn ResourcesPage() -> impl IntoView {
    let discovery = use_discovery();
    let groups = move |found: Discovery| {
        let missing = found
            .unavailable()
            .iter()
            .map(|why| view! { <li class="lo-coverage__note" data-gap="unreadable">{format!("Cannot read the kinds of {why}")}</li> })
            .collect_view();
        let missing = view! { <ul class="lo-coverage" aria-label="API groups that could not be read">{missing}</ul> };
        let mut by_group: BTreeMap<String, Vec<ApiResource>> = BTreeMap::new();
        for r in found.resources() {
            by_group
                .entry(r.group.to_string())
                .or_default()
                .push(r.clone());
        }
        let by_group = by_group
            .into_iter()
            .map(|(group, mut kinds)| {
                kinds.sort_by(|a, b| a.kind.cmp(&b.kind));
                let version = kinds.first().map(|k| k.version.to_string()).unwrap_or_default();
                let title = if group.is_empty() { "core".to_owned() } else { group.clone() };
                let links = kinds
                    .into_iter()
                    .map(|k| {
                        let href = Route::Kind { group: group.clone(), kind: k.kind.to_string() }.path();
                        view! { <li><a href=href>{lookout_client::model::kinds::plural_label(&k.kind)}</a></li> }
                    })
                    .collect_view();
                let heading = title.clone();
                view! {
                    <section class="lo-kind-group" data-group=title>
                        <h3>{heading}<span class="lo-message">{format!(" {version}")}</span></h3>
                        <ul class="lo-kind-links">{links}</ul>
                    </section>
                }
            })
            .collect_view();
        view! { {missing} {by_group} }
    };
    view! {
        <section class="lo-page" aria-labelledby="resources-heading">
            <h2 id="resources-heading">"Resources"</h2>
            {when_loaded(discovery, DISCOVERING, move |found| match found {
                Ok(found) => groups(found).into_any(),
                Err(e) => view! { <p class="lo-error" role="alert">{format!("Cannot discover the kinds this cluster serves: {e}")}</p> }.into_any(),
            })}
        </section>
    }
}

/// What the resources pages say while discovery answers.
const DISCOVERING: &str = "Discovering the kinds this cluster serves…";

/// The table of any kind, at the version the cluster prefers for its group.
#[component]
pub fn KindPage(group: String, kind: String) -> impl IntoView {
    let discovery = use_discovery();
    view! {
        {when_loaded(discovery, DISCOVERING, move |found| {
                match found.as_ref().ok().and_then(|d| d.resource(&group, &kind)).cloned() {
                    Some(api) => kind_page(lookout_client::model::kinds::plural_label(&api.kind), api).into_any(),
                    None => {
                        let group = if group.is_empty() { "core" } else { group.as_str() };
                        let why = match found {
                            Ok(_) => format!("This cluster serves no listable kind {kind} in the API group {group}."),
                            Err(e) => format!("Cannot discover the kinds this cluster serves: {e}"),
                        };
                        view! {
                            <section class="lo-page lo-error-page" role="alert">
                                <h2>{kind.clone()}</h2>
                                <p>{why}</p>
                                <p><a href="/resources">"Every kind this cluster serves"</a></p>
                            </section>
                        }.into_any()
                    }
                }
            })}
    }
}
