//! Workloads of a namespace (`/workloads?namespace=…&kind=…`): counts by health per kind (each a
//! link to that kind's table filtered to that health), pod counts (links to the pods page), and
//! the table of the chosen kind.

use crate::nav::{url_namespace, use_nav};
use crate::resources_page::KindTable;
use leptos::prelude::*;
use lookout_client::api::query::encode;
use lookout_client::model::kinds::plural_label;
use lookout_client::model::PodGroup;
use lookout_client::status::Tone;
use lookout_client::Pod;
use lookout_client::{ApiResource, Namespace, Selector};
use lookout_components::live::WORKLOADS;
use lookout_components::{
    use_collection, use_workload_counts, NamespacePicker, PodSummary, WorkloadSummary,
};

/// The workloads page.
#[component]
pub fn WorkloadsPage() -> impl IntoView {
    let nav = use_nav();
    let namespaces = use_collection::<Namespace>(Selector::default);
    let (namespace, set_namespace) = url_namespace();
    let scope = Signal::derive(move || Some(namespace.get()).filter(|n| !n.is_empty()));
    let workloads = use_workload_counts(scope);
    let pods = use_collection::<Pod>(move || Selector {
        namespace: scope.get(),
        ..Selector::default()
    });
    let kind = Memo::new(move |_| {
        let wanted = nav.param("kind").unwrap_or_default();
        WORKLOADS
            .iter()
            .find(|api| api.kind == wanted.as_str())
            .unwrap_or(&WORKLOADS[0])
            .clone()
    });
    let link = Callback::new(move |(api, tone): (ApiResource, Tone)| {
        let ns = namespace.get_untracked();
        format!(
            "/workloads?namespace={}&kind={}&status={}",
            encode(&ns),
            api.kind,
            tone.as_str()
        )
    });
    let on_pods = Callback::new(move |g: Option<PodGroup>| {
        let ns = namespace.get_untracked();
        let group = g
            .map(|g| format!("&group={}", encode(g.label())))
            .unwrap_or_default();
        nav.go(&format!("/pods?namespace={}{group}", encode(&ns)));
    });
    let tabs = WORKLOADS
        .iter()
        .map(|api| {
            let k = api.kind.to_string();
            let label = plural_label(&k);
            let selected = {
                let k = k.clone();
                move || kind.with(|c| c.kind == k.as_str())
            };
            let href = move || format!("/workloads?namespace={}&kind={k}", encode(&namespace.get()));
            view! { <a role="tab" class="lo-tab" href=href aria-selected=move || selected().to_string()>{label}</a> }
        })
        .collect_view();
    view! {
        <section class="lo-page" aria-labelledby="workloads-heading">
            <div class="lo-toolbar">
                <h2 id="workloads-heading">"Workloads"</h2>
                <NamespacePicker namespaces=namespaces.items selected=namespace on_change=set_namespace />
            </div>
            <WorkloadSummary workloads=workloads link=link />
            <PodSummary pods=pods.rows selected=Signal::stored(None) on_select=on_pods />
            <div class="lo-tabs" role="tablist" aria-label="Workload kind">{tabs}</div>
            {move || {
                let api = kind.get();
                view! { <KindTable api=api namespace=namespace /> }
            }}
        </section>
    }
}
