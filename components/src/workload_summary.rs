//! Workload counts by health (ready, progressing, failed) per kind, as GitLab's environment page
//! shows them, computed with the kstatus rules from live watches.

use crate::live::use_objects;
use leptos::prelude::*;
use lookout_client::models::Object;
use lookout_client::status::kstatus::{compute, Status};
use lookout_client::{kinds, ApiResource, Connection, Selector};

/// The workload kinds summarised, in display order.
const WORKLOADS: [(&str, ApiResource); 6] = [
    ("Deployments", kinds::DEPLOYMENT),
    ("StatefulSets", kinds::STATEFUL_SET),
    ("DaemonSets", kinds::DAEMON_SET),
    ("ReplicaSets", kinds::REPLICA_SET),
    ("Jobs", kinds::JOB),
    ("CronJobs", kinds::CRON_JOB),
];

/// Counts (ready, progressing, failed) of objects at `now`.
fn counts(objects: &[Object], now: i64) -> [usize; 3] {
    let mut c = [0; 3];
    for o in objects {
        match compute(&o.value, now).map(|s| s.status) {
            Ok(Status::Current) => c[0] += 1,
            Ok(Status::Failed) => c[2] += 1,
            _ => c[1] += 1,
        }
    }
    c
}

/// One card per workload kind with its ready / progressing / failed counts.
///
/// Props:
/// - `namespace`: the namespace, or `None` for all.
#[component]
pub fn WorkloadSummary(#[prop(into)] namespace: Signal<Option<String>>) -> impl IntoView {
    let connection = expect_context::<Connection>();
    let now = crate::use_now();
    let cards = WORKLOADS
        .into_iter()
        .map(|(label, api)| {
            let live = use_objects::<Object>(connection.clone(), api, move || Selector { namespace: namespace.get(), ..Selector::default() });
            let c = Memo::new(move |_| live.items.with(|items| counts(items, now.get_untracked())));
            view! {
                <li class="lo-card" data-kind=label>
                    <span class="lo-card__title">{label}</span>
                    <span class="lo-card__count" data-health="ready" title="Ready">{move || c.get()[0]}" ready"</span>
                    <span class="lo-card__count" data-health="progressing" title="Progressing">{move || c.get()[1]}" progressing"</span>
                    <span class="lo-card__count" data-health="failed" title="Failed">{move || c.get()[2]}" failed"</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="lo-cards" aria-label="Workloads">{cards}</ul> }
}
