//! The kinds the simulated cluster serves and where each lives in the API.

/// One served resource.
#[derive(Debug, PartialEq, Eq)]
pub struct ResourceDef {
    /// API group (`""` for core).
    pub group: &'static str,
    /// Served version.
    pub version: &'static str,
    /// Kind of one object.
    pub kind: &'static str,
    /// Plural name used in URLs.
    pub plural: &'static str,
    /// Whether objects live in namespaces.
    pub namespaced: bool,
}

impl ResourceDef {
    /// `v1` or `group/version`, as objects carry it.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_owned()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The `…List` kind of a collection.
    pub fn list_kind(&self) -> String {
        format!("{}List", self.kind)
    }
}

const fn r(
    group: &'static str,
    version: &'static str,
    kind: &'static str,
    plural: &'static str,
    namespaced: bool,
) -> ResourceDef {
    ResourceDef {
        group,
        version,
        kind,
        plural,
        namespaced,
    }
}

/// Every kind served, in discovery order (each group's first version is its preferred one).
pub static RESOURCES: &[ResourceDef] = &[
    r("", "v1", "Namespace", "namespaces", false),
    r("", "v1", "Node", "nodes", false),
    r("", "v1", "Pod", "pods", true),
    r("", "v1", "Service", "services", true),
    r("", "v1", "ConfigMap", "configmaps", true),
    r("", "v1", "Secret", "secrets", true),
    r(
        "",
        "v1",
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        true,
    ),
    r("", "v1", "Event", "events", true),
    r("apps", "v1", "Deployment", "deployments", true),
    r("apps", "v1", "ReplicaSet", "replicasets", true),
    r("apps", "v1", "StatefulSet", "statefulsets", true),
    r("apps", "v1", "DaemonSet", "daemonsets", true),
    r("batch", "v1", "Job", "jobs", true),
    r("batch", "v1", "CronJob", "cronjobs", true),
    r("networking.k8s.io", "v1", "Ingress", "ingresses", true),
    r("events.k8s.io", "v1", "Event", "events", true),
    r(
        "source.toolkit.fluxcd.io",
        "v1",
        "GitRepository",
        "gitrepositories",
        true,
    ),
    r(
        "source.toolkit.fluxcd.io",
        "v1",
        "HelmRepository",
        "helmrepositories",
        true,
    ),
    r(
        "source.toolkit.fluxcd.io",
        "v1",
        "HelmChart",
        "helmcharts",
        true,
    ),
    r("source.toolkit.fluxcd.io", "v1", "Bucket", "buckets", true),
    r(
        "source.toolkit.fluxcd.io",
        "v1",
        "OCIRepository",
        "ocirepositories",
        true,
    ),
    r(
        "kustomize.toolkit.fluxcd.io",
        "v1",
        "Kustomization",
        "kustomizations",
        true,
    ),
    r(
        "helm.toolkit.fluxcd.io",
        "v2",
        "HelmRelease",
        "helmreleases",
        true,
    ),
    r(
        "notification.toolkit.fluxcd.io",
        "v1beta3",
        "Alert",
        "alerts",
        true,
    ),
    r(
        "notification.toolkit.fluxcd.io",
        "v1beta3",
        "Provider",
        "providers",
        true,
    ),
    r(
        "notification.toolkit.fluxcd.io",
        "v1beta3",
        "Receiver",
        "receivers",
        true,
    ),
    r(
        "image.toolkit.fluxcd.io",
        "v1beta2",
        "ImageRepository",
        "imagerepositories",
        true,
    ),
    r(
        "image.toolkit.fluxcd.io",
        "v1beta2",
        "ImagePolicy",
        "imagepolicies",
        true,
    ),
    r(
        "image.toolkit.fluxcd.io",
        "v1beta2",
        "ImageUpdateAutomation",
        "imageupdateautomations",
        true,
    ),
];

impl ResourceDef {
    /// Whether writes to the main resource ignore `status` (it has a `/status` subresource).
    pub fn has_status_subresource(&self) -> bool {
        !matches!(self.kind, "ConfigMap" | "Secret" | "Event")
    }
}

/// The resource served at `group/version/plural`.
pub fn by_path(group: &str, version: &str, plural: &str) -> Option<&'static ResourceDef> {
    RESOURCES
        .iter()
        .find(|r| r.group == group && r.version == version && r.plural == plural)
}

/// The resource of an object's `apiVersion` and `kind`.
pub fn by_kind(api_version: &str, kind: &str) -> Option<&'static ResourceDef> {
    RESOURCES
        .iter()
        .find(|r| r.kind == kind && r.api_version() == api_version)
}
