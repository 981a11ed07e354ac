//! The pods of a namespace (or all namespaces), live. The namespace is in the URL (`?namespace=`)
//! so a link reproduces the view.

use leptos::prelude::*;
use lookout_client::models::PodGroup;
use lookout_client::{Connection, Namespace, Pod, Selector};
use lookout_components::{
    use_collection, use_now, ConnectionStatus, NamespacePicker, PodSummary, PodTable,
};

/// Namespace shown when the URL names none.
const DEFAULT_NAMESPACE: &str = "demo";

fn url_namespace() -> String {
    let search = window().location().search().unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get("namespace"))
        .unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned())
}

/// Puts the namespace into the URL without reloading.
fn set_url_namespace(ns: &str) {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str("") else {
        return;
    };
    params.set("namespace", ns);
    let url = format!("?{}", String::from(params.to_string()));
    if let Ok(history) = window().history() {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The pods page.
#[component]
pub fn PodsPage() -> impl IntoView {
    let connection = expect_context::<Connection>();
    let (namespace, set_namespace) = signal(url_namespace());
    let handle = window_event_listener(leptos::ev::popstate, move |_| {
        set_namespace.set(url_namespace())
    });
    on_cleanup(move || handle.remove());

    let namespaces = use_collection::<Namespace>(connection.clone(), Selector::default);
    let scope = Signal::derive(move || {
        let ns = namespace.get();
        (!ns.is_empty()).then_some(ns)
    });
    let pods = use_collection::<Pod>(connection, move || Selector {
        namespace: scope.get(),
        ..Selector::default()
    });
    let (group, set_group) = signal(None::<PodGroup>);
    let shown = Signal::derive(move || match group.get() {
        None => pods.items.get(),
        Some(g) => pods
            .items
            .with(|items| items.iter().filter(|p| p.group() == g).cloned().collect()),
    });
    let now = use_now();
    let on_change = Callback::new(move |ns: String| {
        set_url_namespace(&ns);
        set_namespace.set(ns);
    });
    view! {
        <section class="lo-page" aria-labelledby="pods-heading">
            <div class="lo-toolbar">
                <h2 id="pods-heading">"Pods"</h2>
                <NamespacePicker namespaces=namespaces.items selected=namespace on_change=on_change />
                <ConnectionStatus state=pods.state />
            </div>
            <PodSummary namespace=scope selected=group on_select=Callback::new(move |g| set_group.set(g)) />
            <PodTable pods=shown now=now show_namespace=Signal::derive(move || namespace.get().is_empty()) />
        </section>
    }
}
