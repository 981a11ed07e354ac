//! Pages that list one kind in a resource table: services, namespaces, and the kind tables of the
//! workloads page. Namespace, filter and sort live in the URL.

use crate::nav::{url_namespace, url_table_query};
use leptos::prelude::*;
use lookout_client::models::Object;
use lookout_client::{kinds, ApiResource, Connection, Namespace, Selector, WatchState};
use lookout_components::{
    use_collection, use_now, use_objects, ConnectionStatus, ErrorPanel, NamespacePicker,
    ResourceTable,
};

/// A live resource table of `api` in the page's namespace, its filter in the URL.
#[component]
pub fn KindTable(api: ApiResource, #[prop(into)] namespace: Signal<String>) -> impl IntoView {
    let connection = expect_context::<Connection>();
    let namespaced = api.namespaced;
    let live = use_objects::<Object>(connection, api.clone(), move || Selector {
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
    view! {
        <ConnectionStatus state=live.state />
        <ErrorPanel state=live.state />
        <ResourceTable api=api rows=live.rows now=now show_namespace=show_namespace query=query loading=loading />
    }
}

/// A page with a heading, the namespace picker and one kind's table.
fn kind_page(title: &'static str, api: ApiResource) -> impl IntoView {
    let connection = expect_context::<Connection>();
    let namespaces = use_collection::<Namespace>(connection, Selector::default);
    let (namespace, set_namespace) = url_namespace();
    let picker = api.namespaced.then(|| view! {
        <NamespacePicker namespaces=namespaces.items selected=namespace on_change=set_namespace />
    });
    let id = format!("{}-heading", title.to_lowercase());
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
    kind_page("Services", kinds::SERVICE)
}

/// Every namespace with its status.
#[component]
pub fn NamespacesPage() -> impl IntoView {
    kind_page("Namespaces", kinds::NAMESPACE)
}
