//! The pods of a namespace (or all namespaces), live. Namespace, filter, sort and the summary
//! group are in the URL, so a link reproduces the view.

use crate::nav::{url_namespace, url_table_query, use_nav};
use leptos::prelude::*;
use lookout_client::model::PodGroup;
use lookout_client::{Namespace, Pod, Selector};
use lookout_components::{
    use_collection, use_now, ConnectionStatus, ErrorPanel, NamespacePicker, PodSummary, PodTable,
};

/// The pods page.
#[component]
pub fn PodsPage() -> impl IntoView {
    let nav = use_nav();
    let (namespace, set_namespace) = url_namespace();
    let namespaces = use_collection::<Namespace>(Selector::default);
    let scope = Signal::derive(move || {
        let ns = namespace.get();
        (!ns.is_empty()).then_some(ns)
    });
    let pods = use_collection::<Pod>(move || Selector {
        namespace: scope.get(),
        ..Selector::default()
    });
    let group = Signal::derive(move || {
        nav.param("group")
            .and_then(|g| PodGroup::ALL.into_iter().find(|x| x.label() == g))
    });
    // A memo, not a derived signal: the table reads the rows several times a frame, and each read
    // of a derived signal would copy 100,000 of them.
    let shown = Memo::new_with_compare(
        move |_| match group.get() {
            None => pods.rows.get(),
            Some(g) => pods
                .rows
                .with(|rows| rows.iter().filter(|p| p.group() == g).cloned().collect()),
        },
        |_, _| true,
    );
    let query = url_table_query("");
    let selection = RwSignal::new(Default::default());
    let now = use_now();
    view! {
        <section class="lo-page" aria-labelledby="pods-heading">
            <div class="lo-toolbar">
                <h2 id="pods-heading">"Pods"</h2>
                <NamespacePicker namespaces=namespaces.items selected=namespace on_change=set_namespace />
                <ConnectionStatus state=pods.state />
            </div>
            <ErrorPanel state=pods.state retry=pods.retry />
            <PodSummary pods=pods.rows selected=group
                on_select=Callback::new(move |g: Option<PodGroup>| nav.set_params(&[("group", g.map(|g| g.label()))], true)) />
            <PodTable pods=shown now=now show_namespace=Signal::derive(move || namespace.get().is_empty())
                query=query selection=selection loading=pods.loading progress=pods.progress />
        </section>
    }
}
