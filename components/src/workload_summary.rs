//! Workload counts by health (ready, progressing, failed) per kind, as GitLab's environment page
//! shows them, computed with the kstatus rules from live watches; kinds it cannot read or has
//! not listed yet are named below the cards.

use crate::live::use_objects;
use leptos::prelude::*;
use lookout_client::models::Object;
use lookout_client::status::Tone;
use lookout_client::table::Tabular;
use lookout_client::{kinds, ApiResource, Connection, Selector};

/// The workload kinds summarised, in display order.
pub const WORKLOADS: [(&str, ApiResource); 6] = [
    ("Deployments", kinds::DEPLOYMENT),
    ("StatefulSets", kinds::STATEFUL_SET),
    ("DaemonSets", kinds::DAEMON_SET),
    ("ReplicaSets", kinds::REPLICA_SET),
    ("Jobs", kinds::JOB),
    ("CronJobs", kinds::CRON_JOB),
];

/// The buckets counted per kind: (tone, label).
const BUCKETS: [(Tone, &str); 3] = [
    (Tone::Ok, "ready"),
    (Tone::Progress, "progressing"),
    (Tone::Error, "failed"),
];

/// Counts per bucket of objects at `now` (suspended and unknown count as progressing).
fn counts(objects: &[std::sync::Arc<Object>], group: &str, now: i64) -> [usize; 3] {
    let mut c = [0; 3];
    for o in objects {
        match o.tone(group, now) {
            Tone::Ok => c[0] += 1,
            Tone::Error => c[2] += 1,
            _ => c[1] += 1,
        }
    }
    c
}

/// One card per workload kind with its ready / progressing / failed counts.
///
/// Props:
/// - `namespace`: the namespace, or `None` for all.
/// - `link`: makes each count a link; gets the kind and the bucket's tone, returns the href
///   (e.g. the workloads page filtered to failed Deployments).
#[component]
pub fn WorkloadSummary(
    #[prop(into)] namespace: Signal<Option<String>>,
    #[prop(optional)] link: Option<Callback<(ApiResource, Tone), String>>,
) -> impl IntoView {
    let connection = expect_context::<Connection>();
    let now = crate::use_now();
    let mut parts = Vec::new();
    let cards = WORKLOADS
        .into_iter()
        .map(|(label, api)| {
            let group = api.group.to_string();
            let live = use_objects::<Object>(connection.clone(), api.clone(), move || Selector { namespace: namespace.get(), ..Selector::default() });
            parts.push(crate::coverage::Part::of(&api, &live));
            let c = Memo::new(move |_| live.rows.with(|items| counts(items, &group, now.get_untracked())));
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
            view! {
                <li class="lo-card" data-kind=label>
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
