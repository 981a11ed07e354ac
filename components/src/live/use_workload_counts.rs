//! [`use_workload_counts`]: workloads per kind by health (ready, progressing, failed), computed
//! with the kstatus rules from live watches.

use super::use_objects::use_objects;
use crate::coverage::Part;
use leptos::prelude::*;
use lookout_client::model::Object;
use lookout_client::view::table::health_counts;
use lookout_client::{model::kinds, ApiResource, Selector};
use std::sync::Arc;

pub use lookout_client::model::kinds::WORKLOADS;

/// The counts of one workload kind.
#[derive(Clone)]
pub struct WorkloadCounts {
    /// The kind's plural, as shown ([`kinds::plural_label`]).
    pub label: String,
    /// The kind.
    pub api: ApiResource,
    /// Ready, progressing (suspended and unknown included) and failed objects.
    pub counts: Signal<[usize; 3]>,
    /// The watch behind them, for coverage notes.
    pub part: Part,
    /// The objects counted (for lists of the failing ones, without a second watch).
    pub rows: Signal<Vec<Arc<Object>>>,
}

/// The counts of every kind of [`WORKLOADS`] in `namespace` (`None`: all), live.
pub fn use_workload_counts(namespace: Signal<Option<String>>) -> Vec<WorkloadCounts> {
    let now = super::use_now();
    WORKLOADS
        .into_iter()
        .map(|api| {
            let group = api.group.to_string();
            let live = use_objects::<Object>(api.clone(), move || Selector {
                namespace: namespace.get(),
                ..Selector::default()
            });
            let c = Memo::new(move |_| {
                live.rows.with(|items| {
                    health_counts(items.iter().map(|o| &**o), &group, now.get_untracked())
                })
            });
            WorkloadCounts {
                label: kinds::plural_label(&api.kind),
                part: Part::of(&api, &live),
                rows: live.rows,
                api,
                counts: c.into(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use lookout_client::view::catalogue::entry;

    #[test]
    fn every_counted_kind_has_a_catalogue_entry_with_its_plural() {
        let labels: Vec<String> = super::WORKLOADS
            .iter()
            .map(|api| {
                assert_eq!(entry(&api.group, &api.kind).map(|e| &e.api), Some(api));
                super::kinds::plural_label(&api.kind)
            })
            .collect();
        assert_eq!(
            labels,
            [
                "Deployments",
                "StatefulSets",
                "DaemonSets",
                "ReplicaSets",
                "Jobs",
                "CronJobs"
            ]
        );
    }
}
