//! Workload counts by health (ready, progressing, failed) per kind, as GitLab's environment page
//! shows them; kinds it cannot read or has not listed yet are named below the cards.

use crate::live::WorkloadCounts;
use leptos::prelude::*;
use lookout_client::status::Tone;
use lookout_client::ApiResource;

/// The buckets counted per kind: (tone, label).
const BUCKETS: [(Tone, &str); 3] = [
    (Tone::Ok, "ready"),
    (Tone::Progress, "progressing"),
    (Tone::Error, "failed"),
];

/// One card per workload kind with its ready / progressing / failed counts.
#[component]
pub fn WorkloadSummary(
    /// The counts per kind ([`use_workload_counts`](crate::live::use_workload_counts)).
    workloads: Vec<WorkloadCounts>,
    /// Makes each count a link; gets the kind and the bucket's tone, returns the href (e.g. the workloads page filtered to failed Deployments).
    #[prop(optional)]
    link: Option<Callback<(ApiResource, Tone), String>>,
) -> impl IntoView {
    let parts = workloads.iter().map(|w| w.part.clone()).collect();
    let cards = workloads
        .into_iter()
        .map(|WorkloadCounts { label, api, counts: c, .. }| {
            let counts = BUCKETS.into_iter().enumerate().map(|(i, (tone, word))| {
                let text = move || format!("{} {word}", c.get()[i]);
                match link {
                    Some(link) => {
                        let href = link.run((api.clone(), tone));
                        view! { <a class="lo-card__count" data-health=word href=href>{text}</a> }.into_any()
                    }
                    None => view! { <span class="lo-card__count" data-health=word>{text}</span> }.into_any(),
                }
            }).collect_view();
            let data_kind = label.clone();
            view! {
                <li class="lo-card" data-kind=data_kind>
                    <span class="lo-card__title">{label}</span>
                    {counts}
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="lo-cards" aria-label="Workloads">{cards}</ul>
        <crate::coverage::Coverage parts=parts />
    }
}
