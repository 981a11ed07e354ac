//! The kind catalogue: what Lookout can do with each kind it knows (logs, restart, scale,
//! inventory, history, …), which detail tabs follow, and how a kind named by a URL becomes an
//! API resource without letting the URL write the request path.

use crate::api::discovery::Discovery;
use crate::api::resource::ApiResource;
use crate::model::kinds;

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
}

/// One catalogue entry: a kind and what can be done with it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The kind at the version Lookout speaks.
    pub api: ApiResource,
    /// What can be done with it.
    pub can: Capabilities,
}

const WORKLOAD: Capabilities = Capabilities {
    workload: true,
    logs: true,
    restart: false,
    scale: false,
    delete: false,
    flux: false,
    inventory: false,
    history: false,
};

/// Every kind Lookout knows without discovery, with its capabilities.
pub fn catalogue() -> Vec<Entry> {
    let entry = |api: ApiResource, can: Capabilities| Entry { api, can };
    let rolled = Capabilities {
        restart: true,
        ..WORKLOAD
    };
    let flux = Capabilities {
        flux: true,
        ..Capabilities::default()
    };
    let mut all = vec![
        entry(
            kinds::POD,
            Capabilities {
                logs: true,
                delete: true,
                ..Capabilities::default()
            },
        ),
        entry(
            kinds::DEPLOYMENT,
            Capabilities {
                scale: true,
                ..rolled
            },
        ),
        entry(
            kinds::STATEFUL_SET,
            Capabilities {
                scale: true,
                ..rolled
            },
        ),
        entry(kinds::DAEMON_SET, rolled),
        entry(
            kinds::REPLICA_SET,
            Capabilities {
                scale: true,
                ..WORKLOAD
            },
        ),
        entry(kinds::JOB, WORKLOAD),
        entry(kinds::CRON_JOB, Capabilities::default()),
        entry(kinds::SERVICE, Capabilities::default()),
        entry(kinds::NAMESPACE, Capabilities::default()),
        entry(kinds::SECRET, Capabilities::default()),
    ];
    all.extend(kinds::FLUX.iter().map(|api| {
        let can = match api.kind.as_ref() {
            "Kustomization" => Capabilities {
                inventory: true,
                ..flux
            },
            "HelmRelease" => Capabilities {
                inventory: true,
                history: true,
                ..flux
            },
            _ => flux,
        };
        entry(api.clone(), can)
    }));
    all
}

/// The catalogue entry of `group`/`kind`, if Lookout knows the kind.
pub fn entry(group: &str, kind: &str) -> Option<Entry> {
    catalogue()
        .into_iter()
        .find(|e| e.api.group == group && e.api.kind == kind)
}

/// What can be done with objects of `group`/`kind` (nothing special for unknown kinds, except
/// Flux's reconcile for any kind of a Flux group).
pub fn capabilities(group: &str, kind: &str) -> Capabilities {
    entry(group, kind).map_or(
        Capabilities {
            flux: kinds::is_flux_group(group),
            ..Capabilities::default()
        },
        |e| e.can,
    )
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
}

/// Whether names from a URL can only name an API resource: they become a request path, so no
/// `/`, `?`, `%`, `..` or anything but letters, digits and (in the group) `.` and `-`.
pub fn well_formed(group: &str, version: &str, kind: &str) -> bool {
    let only = |s: &str, extra: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
    };
    only(group, ".-")
        && !group.contains("..")
        && !group.starts_with(['.', '-'])
        && !version.is_empty()
        && only(version, "")
        && !kind.is_empty()
        && only(kind, "")
}

/// The API resource of a kind named by a URL or an inventory: discovered, else in the
/// catalogue, else (for [well-formed](well_formed) names only) the usual lower-case plural.
/// `None` for names that cannot be a resource's.
pub fn resolve(
    discovery: Option<&Discovery>,
    group: &str,
    version: &str,
    kind: &str,
) -> Option<ApiResource> {
    discovery
        .and_then(|d| d.resource(group, kind).cloned())
        .or_else(|| entry(group, kind).map(|e| e.api))
        .or_else(|| {
            well_formed(group, version, kind).then(|| ApiResource {
                group: group.to_owned().into(),
                version: version.to_owned().into(),
                kind: kind.to_owned().into(),
                plural: format!("{}s", kind.to_lowercase()).into(),
                namespaced: true,
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn known_and_discovered_kinds_resolve_at_their_version() {
        let api = resolve(None, "apps", "v1beta2", "Deployment");
        assert_eq!(api.map(|a| a.version.to_string()), Some("v1".into()));
        let custom =
            resolve(None, "example.com", "v1", "Widget").map(|a| a.collection_path(Some("ns")));
        assert_eq!(
            custom.as_deref(),
            Some("/apis/example.com/v1/namespaces/ns/widgets")
        );
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
            assert!(
                !well_formed(group, version, kind),
                "{group:?} {version:?} {kind:?}"
            );
            assert_eq!(
                resolve(None, group, version, kind),
                None,
                "{group:?} {version:?} {kind:?}"
            );
        }
        assert!(well_formed("", "v1", "ConfigMap"));
        assert!(well_formed("cert-manager.io", "v1", "Certificate"));
    }
}
