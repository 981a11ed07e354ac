//! The kind catalogue: one entry per kind Lookout knows, the one place that knows it — where it
//! lives in the API, what Lookout can do with it (logs, restart, scale, inventory, history, …),
//! which detail tabs follow, and how a table shows it (columns, cells, tone). Adding a kind is
//! adding an entry. Also how a kind named by a URL becomes an API resource without letting the
//! URL write the request path.

use crate::api::discovery::Discovery;
use crate::api::resource::ApiResource;
use crate::model::kinds;
use crate::view::table::columns;
use crate::view::table::KindTable;

/// What Lookout offers for objects of a kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// Runs pods of its own (a workload): its pods are listed, its template described.
    pub workload: bool,
    /// Has a log: a pod's own, or its pods' for a workload.
    pub logs: bool,
    /// `kubectl rollout restart` applies.
    pub restart: bool,
    /// `kubectl scale` applies.
    pub scale: bool,
    /// Deleted from its page (pods: the controller makes a new one).
    pub delete: bool,
    /// A Flux object: reconcile, suspend and resume.
    pub flux: bool,
    /// Lists what it applied (and so has a dependency graph).
    pub inventory: bool,
    /// Keeps a release history.
    pub history: bool,
    /// A Flux delivery with a source: reconcile the source first, then the object (as
    /// `flux reconcile kustomization --with-source`).
    pub with_source: bool,
    /// A Flux HelmRelease: force a one-off install/upgrade, reset its failure counters (as
    /// `flux reconcile helmrelease --force` / `--reset`).
    pub force_and_reset: bool,
}

/// One catalogue entry: a kind, what can be done with it and how a table shows it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The kind at the version Lookout speaks.
    pub api: ApiResource,
    /// What can be done with it.
    pub can: Capabilities,
    /// Its table's columns, cells and tone.
    pub table: KindTable,
}

const NOTHING: Capabilities = Capabilities {
    workload: false,
    logs: false,
    restart: false,
    scale: false,
    delete: false,
    flux: false,
    inventory: false,
    history: false,
    with_source: false,
    force_and_reset: false,
};
const POD: Capabilities = Capabilities {
    logs: true,
    delete: true,
    ..NOTHING
};
const WORKLOAD: Capabilities = Capabilities {
    workload: true,
    logs: true,
    ..NOTHING
};
const SCALED: Capabilities = Capabilities {
    scale: true,
    ..WORKLOAD
};
const ROLLED: Capabilities = Capabilities {
    restart: true,
    ..WORKLOAD
};
const ROLLED_AND_SCALED: Capabilities = Capabilities {
    restart: true,
    ..SCALED
};
const FLUX: Capabilities = Capabilities {
    flux: true,
    ..NOTHING
};
const FLUX_APPLIER: Capabilities = Capabilities {
    inventory: true,
    with_source: true,
    ..FLUX
};
const FLUX_RELEASE: Capabilities = Capabilities {
    history: true,
    force_and_reset: true,
    ..FLUX_APPLIER
};

const fn entry_of(api: ApiResource, can: Capabilities, table: KindTable) -> Entry {
    Entry { api, can, table }
}

/// Every kind Lookout knows without discovery (Flux's at the versions of [`kinds`]).
static CATALOGUE: [Entry; 17] = [
    entry_of(kinds::POD, POD, columns::POD),
    entry_of(kinds::DEPLOYMENT, ROLLED_AND_SCALED, columns::DEPLOYMENT),
    entry_of(
        kinds::STATEFUL_SET,
        ROLLED_AND_SCALED,
        columns::STATEFUL_SET,
    ),
    entry_of(kinds::DAEMON_SET, ROLLED, columns::DAEMON_SET),
    entry_of(kinds::REPLICA_SET, SCALED, columns::REPLICA_SET),
    entry_of(kinds::JOB, WORKLOAD, columns::JOB),
    entry_of(kinds::CRON_JOB, NOTHING, columns::CRON_JOB),
    entry_of(kinds::SERVICE, NOTHING, columns::SERVICE),
    entry_of(kinds::NAMESPACE, NOTHING, columns::GENERIC),
    entry_of(kinds::SECRET, NOTHING, columns::GENERIC),
    entry_of(kinds::KUSTOMIZATION, FLUX_APPLIER, columns::FLUX),
    entry_of(kinds::HELM_RELEASE, FLUX_RELEASE, columns::FLUX),
    entry_of(kinds::GIT_REPOSITORY, FLUX, columns::FLUX),
    entry_of(kinds::OCI_REPOSITORY, FLUX, columns::FLUX),
    entry_of(kinds::HELM_REPOSITORY, FLUX, columns::FLUX),
    entry_of(kinds::HELM_CHART, FLUX, columns::FLUX),
    entry_of(kinds::BUCKET, FLUX, columns::FLUX),
];

/// Every kind Lookout knows without discovery, with its capabilities and table.
pub fn catalogue() -> &'static [Entry] {
    &CATALOGUE
}

/// The catalogue entry of `group`/`kind`, if Lookout knows the kind.
pub fn entry(group: &str, kind: &str) -> Option<&'static Entry> {
    CATALOGUE
        .iter()
        .find(|e| e.api.group == group && e.api.kind == kind)
}

/// Flux's kinds, in catalogue order (deliveries, then sources).
pub fn flux_kinds() -> impl Iterator<Item = &'static ApiResource> {
    CATALOGUE.iter().filter(|e| e.can.flux).map(|e| &e.api)
}

/// The Flux kind named `kind` (`GitRepository`, `Kustomization`, …): references name kinds, not
/// groups or versions.
pub fn flux_kind(kind: &str) -> Option<&'static ApiResource> {
    flux_kinds().find(|k| k.kind == kind)
}

/// What can be done with objects of `group`/`kind` (nothing special for unknown kinds, except
/// Flux's reconcile for any kind of a Flux group).
pub fn capabilities(group: &str, kind: &str) -> Capabilities {
    entry(group, kind).map_or(
        Capabilities {
            flux: kinds::is_flux_group(group),
            ..NOTHING
        },
        |e| e.can,
    )
}

/// How a table shows `group`/`kind`: its entry's table; for unknown kinds Flux's columns in a
/// Flux group, else status and age.
pub fn table(group: &str, kind: &str) -> &'static KindTable {
    match entry(group, kind) {
        Some(e) => &e.table,
        None if kinds::is_flux_group(group) => &columns::FLUX,
        None => &columns::GENERIC,
    }
}

/// A tab of an object's detail page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Facts, conditions, actions.
    Summary,
    /// The whole object.
    Yaml,
    /// Its events.
    Events,
    /// Its log (or its pods' logs).
    Logs,
    /// What it applied.
    Inventory,
    /// Its Flux dependency graph.
    Graph,
    /// Its release history.
    History,
}

impl Tab {
    /// Every tab, in display order.
    pub const ALL: [Tab; 7] = [
        Tab::Summary,
        Tab::Yaml,
        Tab::Events,
        Tab::Logs,
        Tab::Inventory,
        Tab::Graph,
        Tab::History,
    ];

    /// The tab whose id ([`Tab::as_str`]) is `id`, if any.
    pub fn parse(id: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.as_str() == id)
    }

    /// The tab's id (the `?tab=` value).
    pub fn as_str(self) -> &'static str {
        match self {
            Tab::Summary => "summary",
            Tab::Yaml => "yaml",
            Tab::Events => "events",
            Tab::Logs => "logs",
            Tab::Inventory => "inventory",
            Tab::Graph => "graph",
            Tab::History => "history",
        }
    }

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Summary => "Summary",
            Tab::Yaml => "YAML",
            Tab::Events => "Events",
            Tab::Logs => "Logs",
            Tab::Inventory => "Inventory",
            Tab::Graph => "Graph",
            Tab::History => "History",
        }
    }
}

impl Capabilities {
    /// The detail tabs of a kind with these capabilities, in display order.
    pub fn tabs(self) -> Vec<Tab> {
        let mut tabs = vec![Tab::Summary, Tab::Yaml, Tab::Events];
        if self.logs {
            tabs.push(Tab::Logs);
        }
        if self.inventory {
            tabs.extend([Tab::Inventory, Tab::Graph]);
        }
        if self.history {
            tabs.push(Tab::History);
        }
        tabs
    }

    /// The tab shown for `?tab=id`: the one named if this kind has it, else the summary (a URL
    /// naming an unknown tab, or one of another kind, never shows an empty or wrong view).
    pub fn shown_tab(self, id: Option<&str>) -> Tab {
        id.and_then(Tab::parse)
            .filter(|t| self.tabs().contains(t))
            .unwrap_or(Tab::Summary)
    }
}

/// The API resource of a kind named by a URL or an inventory: as the cluster serves it
/// (discovery), else as the catalogue knows it. Never guessed: a guessed plural or scope would
/// watch a path the cluster does not serve and report its objects as missing, and no text from a
/// URL ever becomes part of a request path.
pub fn resolve(discovery: Option<&Discovery>, group: &str, kind: &str) -> Option<ApiResource> {
    discovery
        .and_then(|d| d.resource(group, kind).cloned())
        .or_else(|| entry(group, kind).map(|e| e.api.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Object;
    use serde_json::json;

    /// A plausible object of `api`, filled the way its controller fills it.
    fn sample(api: &ApiResource) -> Object {
        let api_version = if api.group.is_empty() {
            api.version.to_string()
        } else {
            format!("{}/{}", api.group, api.version)
        };
        serde_json::from_value(json!({
            "apiVersion": api_version, "kind": api.kind,
            "metadata": { "name": "x", "namespace": "ns", "uid": "u", "resourceVersion": "1",
                          "generation": 2, "creationTimestamp": "2026-11-25T10:00:00Z" },
            "spec": { "replicas": 3, "completions": 2, "schedule": "*/5 * * * *", "suspend": false,
                      "type": "ClusterIP", "clusterIP": "10.0.0.1", "ports": [{ "port": 80 }],
                      "nodeName": "node-1", "containers": [{ "name": "main" }] },
            "status": { "observedGeneration": 2, "readyReplicas": 2, "replicas": 3, "phase": "Running",
                        "conditions": [{ "type": "Ready", "status": "True", "reason": "Done",
                                        "message": "ok", "lastTransitionTime": "2026-11-25T10:01:00Z" }],
                        "containerStatuses": [{ "name": "main", "ready": true, "restartCount": 1,
                                                "state": { "running": {} } }] }
        }))
        .unwrap()
    }

    #[test]
    fn every_kind_has_as_many_cells_as_columns() {
        let unknown = [
            ApiResource::fixed("source.toolkit.fluxcd.io", "v1", "SomethingNew", "x", true),
            ApiResource::fixed("example.com", "v1", "Widget", "widgets", true),
        ];
        let kinds = catalogue().iter().map(|e| &e.api).chain(&unknown);
        for api in kinds {
            let table = table(&api.group, &api.kind);
            for object in [
                sample(api),
                serde_json::from_value(json!({ "metadata": {} })).unwrap(),
                // Wrong types in fields a slim model reads: the row keeps the table's shape.
                serde_json::from_value(json!({ "metadata": {}, "status": { "phase": 7 } }))
                    .unwrap(),
            ] {
                let cells = (table.cells)(&object, 1_800_000_000);
                assert_eq!(cells.len(), table.columns.len(), "{}", api.kind);
            }
        }
    }

    #[test]
    fn every_kind_the_app_links_to_has_an_entry() {
        // The pages' own kinds (the workloads page's are checked where it lists them), the
        // owners a detail page links to; Flux's kinds follow.
        let linked = [
            kinds::POD,
            kinds::SERVICE,
            kinds::NAMESPACE,
            kinds::REPLICA_SET,
            kinds::DEPLOYMENT,
            kinds::JOB,
            kinds::CRON_JOB,
        ];
        for api in linked {
            assert_eq!(entry(&api.group, &api.kind).map(|e| &e.api), Some(&api));
        }
        let flux: Vec<&str> = flux_kinds().map(|k| k.kind.as_ref()).collect();
        assert_eq!(
            flux,
            [
                "Kustomization",
                "HelmRelease",
                "GitRepository",
                "OCIRepository",
                "HelmRepository",
                "HelmChart",
                "Bucket"
            ]
        );
        assert_eq!(flux_kind("GitRepository"), Some(&kinds::GIT_REPOSITORY));
        assert_eq!(flux_kind("Deployment"), None);
    }

    fn tabs(group: &str, kind: &str) -> Vec<&'static str> {
        capabilities(group, kind)
            .tabs()
            .into_iter()
            .map(Tab::as_str)
            .collect()
    }

    #[test]
    fn tabs_follow_the_kind() {
        assert_eq!(tabs("", "Pod"), ["summary", "yaml", "events", "logs"]);
        assert_eq!(
            tabs("apps", "Deployment"),
            ["summary", "yaml", "events", "logs"]
        );
        assert_eq!(tabs("", "Service"), ["summary", "yaml", "events"]);
        assert_eq!(
            tabs("kustomize.toolkit.fluxcd.io", "Kustomization"),
            ["summary", "yaml", "events", "inventory", "graph"]
        );
        assert_eq!(
            tabs("helm.toolkit.fluxcd.io", "HelmRelease"),
            ["summary", "yaml", "events", "inventory", "graph", "history"]
        );
        // A custom kind that shares a name with a built-in one gets nothing of it.
        assert_eq!(
            tabs("example.com", "Deployment"),
            ["summary", "yaml", "events"]
        );
    }

    #[test]
    fn every_tab_round_trips_through_its_id() {
        for tab in Tab::ALL {
            assert_eq!(Tab::parse(tab.as_str()), Some(tab));
        }
        assert_eq!(Tab::parse("Logs"), None);
        assert_eq!(Tab::parse(""), None);
    }

    #[test]
    fn a_tab_the_kind_lacks_shows_the_summary() {
        let shown =
            |group: &str, kind: &str, id: Option<&str>| capabilities(group, kind).shown_tab(id);
        assert_eq!(shown("", "Service", Some("logs")), Tab::Summary);
        assert_eq!(shown("apps", "Deployment", Some("history")), Tab::Summary);
        assert_eq!(shown("apps", "Deployment", Some("logs")), Tab::Logs);
        assert_eq!(
            shown(
                "kustomize.toolkit.fluxcd.io",
                "Kustomization",
                Some("inventory")
            ),
            Tab::Inventory
        );
        assert_eq!(
            shown("helm.toolkit.fluxcd.io", "HelmRelease", Some("history")),
            Tab::History
        );
        assert_eq!(shown("", "Pod", Some("nonsense")), Tab::Summary);
        assert_eq!(shown("", "Pod", None), Tab::Summary);
    }

    #[test]
    fn capabilities_name_the_actions_each_kind_allows() {
        let deployment = capabilities("apps", "Deployment");
        assert!(deployment.restart && deployment.scale && deployment.workload);
        let job = capabilities("batch", "Job");
        assert!(job.workload && !job.restart && !job.scale);
        assert!(!capabilities("apps", "DaemonSet").scale);
        assert!(capabilities("", "Pod").delete && !capabilities("apps", "Deployment").delete);
        assert!(capabilities("source.toolkit.fluxcd.io", "GitRepository").flux);
        assert!(capabilities("source.toolkit.fluxcd.io", "SomethingNew").flux);
        assert!(!capabilities("", "Service").flux);
        assert!(capabilities("kustomize.toolkit.fluxcd.io", "Kustomization").with_source);
        assert!(capabilities("helm.toolkit.fluxcd.io", "HelmRelease").with_source);
        assert!(!capabilities("source.toolkit.fluxcd.io", "GitRepository").with_source);
    }

    #[test]
    fn known_kinds_resolve_at_their_version_and_others_are_not_guessed() {
        let api = resolve(None, "apps", "Deployment");
        assert_eq!(api.map(|a| a.version.to_string()), Some("v1".into()));
        // Without discovery a custom kind is not guessed (`ingresss`, a cluster-scoped kind
        // under a namespace).
        assert_eq!(resolve(None, "example.com", "Widget"), None);
    }

    #[test]
    fn hostile_names_from_a_url_never_become_a_path() {
        for (group, version, kind) in [
            ("..", "v1", "Pod"),
            ("example.com/../../api", "v1", "Secret"),
            ("example..com", "v1", "Widget"),
            (".example.com", "v1", "Widget"),
            ("example.com", "v1/../../api/v1", "Widget"),
            ("example.com", "v1?watch=1", "Widget"),
            ("example.com", "v1", "Widget/../../secrets"),
            ("example.com", "v1", "Widget%2F..%2Fsecrets"),
            ("example.com", "v1", "Widget#x"),
            ("example.com", "", "Widget"),
            ("example.com", "v1", ""),
            ("exa mple.com", "v1", "Widget"),
            ("example.com", "v1", "Wídget"),
            ("example.com", "v1", "Widget\n"),
        ] {
            assert_eq!(
                resolve(None, group, kind),
                None,
                "{group:?} {version:?} {kind:?}"
            );
        }
    }
}
