//! Every Flux object of the cluster (or a namespace) in one live table grouped by kind, problems
//! first, filtered by text and status (all in the URL), with reconcile and suspend/resume. Kinds are watched at the versions the cluster serves (API discovery).

use crate::nav::{url_namespace, url_readable_namespaces, url_table_query};
use leptos::prelude::*;
use lookout_client::view::catalogue::flux_kinds;
use lookout_client::{ApiResource, Namespace, Selector};
use lookout_components::{
    use_collection, use_discovery, use_kinds, use_now, when_loaded, ConnectionStatus, Coverage,
    ErrorPanel, FluxTable, NamespacePicker, Part,
};

/// The Flux page: discovers the served versions, then watches.
#[component]
pub fn FluxPage() -> impl IntoView {
    let discovery = use_discovery();
    view! {
        <section class="lo-page" aria-labelledby="flux-heading">
            {when_loaded(discovery, "Discovering Flux kinds…", |found| {
                let served: Vec<ApiResource> = flux_kinds()
                    .map(|k| match &found {
                        Ok(d) => d.resource(&k.group, &k.kind).cloned().unwrap_or_else(|| k.clone()),
                        Err(_) => k.clone(),
                    })
                    .collect();
                view! { <FluxObjects kinds=served /> }
            })}
        </section>
    }
}

/// Watches the given kinds and shows them.
#[component]
fn FluxObjects(kinds: Vec<ApiResource>) -> impl IntoView {
    let now = use_now();
    let collections = use_kinds(kinds);
    let parts: Vec<Part> = collections
        .iter()
        .map(|(api, live)| Part::of(api, live))
        .collect();
    // The first kind's watch state stands for the page (they share one connection).
    let state = collections.first().map_or_else(
        || Signal::stored(lookout_client::WatchState::Live),
        |(_, live)| live.state,
    );
    // "Retry now" restarts the watches that are failing, not the healthy ones.
    let retries: Vec<_> = collections
        .iter()
        .map(|(_, live)| (live.state, live.retry))
        .collect();
    let retry = Callback::new(move |()| {
        for (state, retry) in &retries {
            if matches!(
                state.get_untracked(),
                lookout_client::WatchState::Retrying { .. }
            ) {
                retry.run(());
            }
        }
    });
    // Flux objects are few: one cluster-wide watch per kind, the namespace filtered here.
    let (namespace, set_namespace) = url_namespace();
    let sources = collections
        .iter()
        .map(|(api, live)| {
            let items = live.items;
            let only = Signal::derive(move || {
                let ns = namespace.get();
                items.with(|all| {
                    all.iter()
                        .filter(|o| ns.is_empty() || o.metadata.namespace == ns)
                        .cloned()
                        .collect()
                })
            });
            (api.clone(), only)
        })
        .collect();
    let namespaces = use_collection::<Namespace>(Selector::default);
    let query = url_table_query("");
    view! {
        <div class="lo-toolbar">
            <h2 id="flux-heading">"Flux"</h2>
            <NamespacePicker namespaces=namespaces.items selected=namespace on_change=set_namespace />
            <ConnectionStatus state=state />
        </div>
        <ErrorPanel state=state retry=retry />
        <Coverage parts=parts on_namespaces=url_readable_namespaces() />
        <FluxTable sources=sources now=now query=query />
    }
}
