//! The kinds the simulated cluster serves and where each lives in the API.

pub mod field_labels;
pub mod table;

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
    /// `shortNames` in discovery (`po`, `deploy`, …).
    pub short_names: &'static [&'static str],
    /// `categories` in discovery (`all`, …).
    pub categories: &'static [&'static str],
    /// Subresources served (`status`, `log`, `eviction`, `scale`, `finalize`).
    pub subresources: &'static [&'static str],
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

    /// Where objects of this resource are stored: (group, plural). Another version of a kind
    /// shares its storage, and events.k8s.io Events are a view of core Events.
    pub fn storage(&self) -> (&'static str, &'static str) {
        match (self.group, self.plural) {
            ("events.k8s.io", "events") => ("", "events"),
            other => other,
        }
    }

    /// Whether `other` is the same resource (another version or view of it: one storage).
    pub fn same_resource(&self, other: &ResourceDef) -> bool {
        self.storage() == other.storage()
    }

    /// Whether objects are stored in another kind's form (events.k8s.io Events as core Events).
    pub fn is_view(&self) -> bool {
        self.storage() != (self.group, self.plural)
    }

    /// Whether the kind is a custom resource (served from a CustomResourceDefinition).
    pub fn is_custom(&self) -> bool {
        is_custom_group(self.group)
    }

    const fn short(mut self, names: &'static [&'static str]) -> Self {
        self.short_names = names;
        self
    }

    const fn all(self) -> Self {
        self.categories(&["all"])
    }

    const fn categories(mut self, categories: &'static [&'static str]) -> Self {
        self.categories = categories;
        self
    }

    const fn sub(mut self, subresources: &'static [&'static str]) -> Self {
        self.subresources = subresources;
        self
    }
}

/// Whether objects of `group` are custom resources.
pub fn is_custom_group(group: &str) -> bool {
    !BUILT_IN_GROUPS.contains(&group)
}

/// Groups compiled into the API server; every other group is served from a CRD.
const BUILT_IN_GROUPS: &[&str] = &[
    "",
    "apps",
    "batch",
    "networking.k8s.io",
    "events.k8s.io",
    "apiextensions.k8s.io",
];

const STATUS: &[&str] = &["status"];

/// A resource with a `status` subresource and no short names or categories.
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
        short_names: &[],
        categories: &[],
        subresources: STATUS,
    }
}

const FLUX_SOURCE: &str = "source.toolkit.fluxcd.io";
const FLUX_NOTIFICATION: &str = "notification.toolkit.fluxcd.io";
const FLUX_IMAGE: &str = "image.toolkit.fluxcd.io";

/// Every kind served, in discovery order (each group's first version is its preferred one),
/// with the short names, categories and subresources a 1.33 API server (and Flux's CRDs) give it.
pub static RESOURCES: &[ResourceDef] = &[
    r("", "v1", "Namespace", "namespaces", false)
        .short(&["ns"])
        .sub(&["finalize", "status"]),
    r("", "v1", "Node", "nodes", false).short(&["no"]),
    r("", "v1", "Pod", "pods", true)
        .short(&["po"])
        .all()
        .sub(&["eviction", "log", "status"]),
    r("", "v1", "Service", "services", true)
        .short(&["svc"])
        .all(),
    r("", "v1", "ConfigMap", "configmaps", true)
        .short(&["cm"])
        .sub(&[]),
    r("", "v1", "Secret", "secrets", true).sub(&[]),
    r(
        "",
        "v1",
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        true,
    )
    .short(&["pvc"]),
    r("", "v1", "Event", "events", true).short(&["ev"]).sub(&[]),
    r("apps", "v1", "Deployment", "deployments", true)
        .short(&["deploy"])
        .all()
        .sub(&["scale", "status"]),
    r("apps", "v1", "ReplicaSet", "replicasets", true)
        .short(&["rs"])
        .all()
        .sub(&["scale", "status"]),
    r("apps", "v1", "StatefulSet", "statefulsets", true)
        .short(&["sts"])
        .all()
        .sub(&["scale", "status"]),
    r("apps", "v1", "DaemonSet", "daemonsets", true)
        .short(&["ds"])
        .all(),
    r("batch", "v1", "Job", "jobs", true).all(),
    r("batch", "v1", "CronJob", "cronjobs", true)
        .short(&["cj"])
        .all(),
    r("networking.k8s.io", "v1", "Ingress", "ingresses", true).short(&["ing"]),
    r("events.k8s.io", "v1", "Event", "events", true)
        .short(&["ev"])
        .sub(&[]),
    r(
        "apiextensions.k8s.io",
        "v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
        false,
    )
    .short(&["crd", "crds"])
    .categories(&["api-extensions"]),
    r(FLUX_SOURCE, "v1", "GitRepository", "gitrepositories", true).short(&["gitrepo"]),
    r(
        FLUX_SOURCE,
        "v1",
        "HelmRepository",
        "helmrepositories",
        true,
    )
    .short(&["helmrepo"]),
    r(FLUX_SOURCE, "v1", "HelmChart", "helmcharts", true).short(&["hc"]),
    r(FLUX_SOURCE, "v1", "Bucket", "buckets", true),
    r(FLUX_SOURCE, "v1", "OCIRepository", "ocirepositories", true).short(&["ocirepo"]),
    r(
        "kustomize.toolkit.fluxcd.io",
        "v1",
        "Kustomization",
        "kustomizations",
        true,
    )
    .short(&["ks"]),
    r(
        "helm.toolkit.fluxcd.io",
        "v2",
        "HelmRelease",
        "helmreleases",
        true,
    )
    .short(&["hr"]),
    r(FLUX_NOTIFICATION, "v1beta3", "Alert", "alerts", true),
    r(FLUX_NOTIFICATION, "v1beta3", "Provider", "providers", true),
    r(FLUX_NOTIFICATION, "v1beta3", "Receiver", "receivers", true),
    r(
        FLUX_IMAGE,
        "v1beta2",
        "ImageRepository",
        "imagerepositories",
        true,
    ),
    r(FLUX_IMAGE, "v1beta2", "ImagePolicy", "imagepolicies", true),
    r(
        FLUX_IMAGE,
        "v1beta2",
        "ImageUpdateAutomation",
        "imageupdateautomations",
        true,
    ),
    // A group Lookout knows nothing about, served in two versions (v1 preferred) from one storage.
    r("example.com", "v1", "Widget", "widgets", true).short(&["wg"]),
    r("example.com", "v1beta1", "Widget", "widgets", true).short(&["wg"]),
];

impl ResourceDef {
    /// Whether writes to the main resource ignore `status` (it has a `/status` subresource).
    pub fn has_status_subresource(&self) -> bool {
        self.subresources.contains(&"status")
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
