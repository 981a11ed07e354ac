//! Where the kinds Lookout shows live in the API (the versions served by current clusters and Flux
//! 2.x). Views that must match a cluster's served version use discovery; these are the defaults.

use crate::api::resource::ApiResource;

const fn namespaced(
    group: &'static str,
    version: &'static str,
    kind: &'static str,
    plural: &'static str,
) -> ApiResource {
    ApiResource::fixed(group, version, kind, plural, true)
}

/// apps/v1 Deployment.
pub const DEPLOYMENT: ApiResource = namespaced("apps", "v1", "Deployment", "deployments");
/// apps/v1 StatefulSet.
pub const STATEFUL_SET: ApiResource = namespaced("apps", "v1", "StatefulSet", "statefulsets");
/// apps/v1 DaemonSet.
pub const DAEMON_SET: ApiResource = namespaced("apps", "v1", "DaemonSet", "daemonsets");
/// apps/v1 ReplicaSet.
pub const REPLICA_SET: ApiResource = namespaced("apps", "v1", "ReplicaSet", "replicasets");
/// batch/v1 Job.
pub const JOB: ApiResource = namespaced("batch", "v1", "Job", "jobs");
/// batch/v1 CronJob.
pub const CRON_JOB: ApiResource = namespaced("batch", "v1", "CronJob", "cronjobs");
/// v1 Event.
pub const EVENT: ApiResource = namespaced("", "v1", "Event", "events");
/// Flux Kustomization.
pub const KUSTOMIZATION: ApiResource = namespaced(
    "kustomize.toolkit.fluxcd.io",
    "v1",
    "Kustomization",
    "kustomizations",
);
/// Flux HelmRelease.
pub const HELM_RELEASE: ApiResource = namespaced(
    "helm.toolkit.fluxcd.io",
    "v2",
    "HelmRelease",
    "helmreleases",
);
/// Flux GitRepository.
pub const GIT_REPOSITORY: ApiResource = namespaced(
    "source.toolkit.fluxcd.io",
    "v1",
    "GitRepository",
    "gitrepositories",
);
/// Flux OCIRepository (v1 since Flux 2.6; older clusters are found by discovery).
pub const OCI_REPOSITORY: ApiResource = namespaced(
    "source.toolkit.fluxcd.io",
    "v1",
    "OCIRepository",
    "ocirepositories",
);
/// Flux HelmRepository.
pub const HELM_REPOSITORY: ApiResource = namespaced(
    "source.toolkit.fluxcd.io",
    "v1",
    "HelmRepository",
    "helmrepositories",
);
/// Flux HelmChart.
pub const HELM_CHART: ApiResource =
    namespaced("source.toolkit.fluxcd.io", "v1", "HelmChart", "helmcharts");
/// Flux Bucket.
pub const BUCKET: ApiResource = namespaced("source.toolkit.fluxcd.io", "v1", "Bucket", "buckets");
/// v1 Secret (watchers only ever fetch its metadata).
pub const SECRET: ApiResource = namespaced("", "v1", "Secret", "secrets");
/// events.k8s.io/v1 Event.
pub const EVENT_V1: ApiResource = namespaced("events.k8s.io", "v1", "Event", "events");
/// v1 Service.
pub const SERVICE: ApiResource = namespaced("", "v1", "Service", "services");
/// v1 Pod.
pub const POD: ApiResource = namespaced("", "v1", "Pod", "pods");
/// v1 Namespace (cluster-scoped).
pub const NAMESPACE: ApiResource = ApiResource::fixed("", "v1", "Namespace", "namespaces", false);

/// The workload kinds environment views count by health, in display order.
pub const WORKLOADS: [ApiResource; 6] = [
    DEPLOYMENT,
    STATEFUL_SET,
    DAEMON_SET,
    REPLICA_SET,
    JOB,
    CRON_JOB,
];

/// A kind's name in the plural, as people write it (`HelmRepositories`, `Ingresses`, `Pods`).
pub fn plural_label(kind: &str) -> String {
    let vowel_before_y = kind
        .chars()
        .rev()
        .nth(1)
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    if let Some(stem) = kind.strip_suffix('y').filter(|_| !vowel_before_y) {
        format!("{stem}ies")
    } else if kind.ends_with('s') || kind.ends_with('x') || kind.ends_with("ch") {
        format!("{kind}es")
    } else {
        format!("{kind}s")
    }
}

/// Whether `group` is one of Flux's API groups.
pub fn is_flux_group(group: &str) -> bool {
    group.ends_with(".toolkit.fluxcd.io")
}

#[cfg(test)]
mod tests {
    #[test]
    fn plural_labels_read_as_people_write_them() {
        let labels: Vec<String> = ["HelmRepository", "Ingress", "Pod", "Gateway", "HelmChart"]
            .iter()
            .map(|k| super::plural_label(k))
            .collect();
        assert_eq!(
            labels,
            [
                "HelmRepositories",
                "Ingresses",
                "Pods",
                "Gateways",
                "HelmCharts"
            ]
        );
    }
}
