//! The Flux model: what links Flux objects to each other and to what they apply, read from any
//! Flux object's JSON (`Object::value` or a full object).

use crate::model::kinds;
use crate::model::time::parse_rfc3339;
use serde_json::Value;

/// One object a Kustomization applied (`status.inventory.entries[]`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InventoryEntry {
    /// Namespace (empty for cluster-scoped objects).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// API group (empty for core).
    pub group: String,
    /// Kind.
    pub kind: String,
    /// API version (`v`).
    pub version: String,
}

impl InventoryEntry {
    /// Parses an inventory id, `<namespace>_<name>_<group>_<kind>` (names never contain `_`).
    pub fn parse(id: &str, version: &str) -> Result<Self, String> {
        let parts: Vec<&str> = id.split('_').collect();
        let [namespace, name, group, kind] = parts[..] else {
            return Err(format!(
                "inventory id {id:?} is not <namespace>_<name>_<group>_<kind>"
            ));
        };
        if name.is_empty() || kind.is_empty() {
            return Err(format!("inventory id {id:?} lacks a name or kind"));
        }
        Ok(InventoryEntry {
            namespace: namespace.into(),
            name: name.into(),
            group: group.into(),
            kind: kind.into(),
            version: version.into(),
        })
    }
}

/// A Kustomization's inventory: the objects it applied. Malformed ids are reported, not dropped
/// silently.
pub fn inventory(obj: &Value) -> (Vec<InventoryEntry>, Vec<String>) {
    let (mut entries, mut errors) = (Vec::new(), Vec::new());
    let list = obj
        .pointer("/status/inventory/entries")
        .and_then(Value::as_array);
    for entry in list.into_iter().flatten() {
        let id = entry.get("id").and_then(Value::as_str).unwrap_or("");
        let version = entry.get("v").and_then(Value::as_str).unwrap_or("");
        match InventoryEntry::parse(id, version) {
            Ok(e) => entries.push(e),
            Err(e) => errors.push(e),
        }
    }
    (entries, errors)
}

/// A reference from one Flux object to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRef {
    /// Kind (`GitRepository`, `Kustomization`, …).
    pub kind: String,
    /// Namespace (defaults to the referring object's).
    pub namespace: String,
    /// Name.
    pub name: String,
}

fn own_namespace(obj: &Value) -> &str {
    obj.pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn reference(obj: &Value, r: &Value, default_kind: &str) -> Option<ObjectRef> {
    Some(ObjectRef {
        kind: r
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or(default_kind)
            .to_owned(),
        namespace: r
            .get("namespace")
            .and_then(Value::as_str)
            .unwrap_or(own_namespace(obj))
            .to_owned(),
        name: r.get("name")?.as_str()?.to_owned(),
    })
}

/// Where a Kustomization, HelmRelease or HelmChart gets its source: `spec.sourceRef`,
/// `spec.chart.spec.sourceRef` or `spec.chartRef`.
pub fn source_ref(obj: &Value) -> Option<ObjectRef> {
    [
        "/spec/sourceRef",
        "/spec/chart/spec/sourceRef",
        "/spec/chartRef",
    ]
    .iter()
    .find_map(|p| obj.pointer(p))
    .and_then(|r| reference(obj, r, ""))
}

/// What `flux reconcile … --with-source` reconciles before the object, in order: a
/// Kustomization's (or HelmRelease `chartRef`'s) source; for a HelmRelease built from a chart
/// template, the chart's source and then the HelmChart helm-controller made of it
/// (`status.helmChart`, else `<namespace>-<name>` in the source's namespace, as the CLI names it).
pub fn reconcile_sources(obj: &Value) -> Vec<ObjectRef> {
    let chart_source = obj
        .pointer("/spec/chart/spec/sourceRef")
        .and_then(|r| reference(obj, r, ""));
    let Some(chart_source) = chart_source else {
        return source_ref(obj).into_iter().collect();
    };
    let (namespace, name) = obj
        .pointer("/status/helmChart")
        .and_then(Value::as_str)
        .and_then(|c| c.split_once('/'))
        .map(|(ns, name)| (ns.to_owned(), name.to_owned()))
        .unwrap_or_else(|| {
            let own = obj
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            (
                chart_source.namespace.clone(),
                format!("{}-{own}", own_namespace(obj)),
            )
        });
    let chart = ObjectRef {
        kind: "HelmChart".into(),
        namespace,
        name,
    };
    vec![chart_source, chart]
}

/// `flux reconcile … --with-source`'s sources, in order, with the objects it names as `lookup`
/// finds them (`None`: not known yet, or absent): [`reconcile_sources`], and for a HelmRelease
/// whose `spec.chartRef` names a HelmChart, that chart's own source (`spec.sourceRef`) before it —
/// the CLI reconciles the chart with its source.
pub fn with_source_plan(
    obj: &Value,
    lookup: impl Fn(&ObjectRef) -> Option<Value>,
) -> Vec<ObjectRef> {
    let mut sources = reconcile_sources(obj);
    let chart_ref = obj.pointer("/spec/chartRef");
    let names_chart = chart_ref
        .and_then(|r| r.get("kind"))
        .and_then(Value::as_str)
        == Some("HelmChart");
    if let (true, Some(chart)) = (names_chart, sources.first()) {
        if let Some(source) = lookup(chart).as_ref().and_then(source_ref) {
            sources.insert(0, source);
        }
    }
    sources
}

/// Why `flux reconcile … --with-source` refuses these `sources`, as `lookup` finds them: the first
/// that is suspended (the CLI stops there: "resource is suspended"). `None`: none is.
pub fn suspended_source(
    sources: &[ObjectRef],
    lookup: impl Fn(&ObjectRef) -> Option<Value>,
) -> Option<String> {
    sources
        .iter()
        .find(|r| lookup(r).is_some_and(|o| suspended(&o)))
        .map(|r| format!("{} {}/{} is suspended", r.kind, r.namespace, r.name))
}

/// The objects this one waits for (`spec.dependsOn`), of the same kind.
pub fn depends_on(obj: &Value) -> Vec<ObjectRef> {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let list = obj.pointer("/spec/dependsOn").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .filter_map(|r| reference(obj, r, kind))
        .collect()
}

/// Revisions of a Flux object: what is applied and what was last tried.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Revisions {
    /// Last applied (Kustomization), installed (HelmRelease) or stored (source artifact) revision.
    pub applied: Option<String>,
    /// Last attempted revision, when it differs from the applied one it is failing.
    pub attempted: Option<String>,
}

/// The revisions a Flux object reports.
pub fn revisions(obj: &Value) -> Revisions {
    let s = |p: &str| {
        obj.pointer(p)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let helm_applied = obj.pointer("/status/history/0").and_then(|h| {
        let chart = h.get("chartVersion")?.as_str()?;
        Some(match h.get("chartName").and_then(Value::as_str) {
            Some(name) => format!("{name}@{chart}"),
            None => chart.to_owned(),
        })
    });
    Revisions {
        applied: s("/status/lastAppliedRevision")
            .or(helm_applied)
            .or_else(|| s("/status/artifact/revision")),
        attempted: s("/status/lastAttemptedRevision"),
    }
}

/// Whether `spec.suspend` is true: the controller does not reconcile the object (Flux objects;
/// CronJobs and Jobs use the same field to stop scheduling and starting pods).
pub fn suspended(obj: &Value) -> bool {
    obj.pointer("/spec/suspend").and_then(Value::as_bool) == Some(true)
}

/// `status.lastHandledReconcileAt`: the token of the reconcile request the controller last acted
/// on (what a "reconcile now" waits for; see [`last_reconcile`] for when it last reconciled).
pub fn last_handled_reconcile_at(obj: &Value) -> Option<&str> {
    obj.pointer("/status/lastHandledReconcileAt")
        .and_then(Value::as_str)
}

/// The condition of `type_` in `status.conditions` (raw, as the object has it).
pub fn condition<'a>(obj: &'a Value, type_: &str) -> Option<&'a Value> {
    obj.pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(type_))
}

/// When the object last reconciled (RFC 3339): the Ready condition's `lastTransitionTime`, which
/// the controller writes when a reconcile changes its outcome (a new revision applied, a failure,
/// a recovery). Only when there is no such time, `status.lastHandledReconcileAt`: that is the
/// token of the last reconcile *request* handled (by convention a time, but any string; the
/// controller copies it even while suspended), so it is taken only when it reads as a time.
pub fn last_reconcile(obj: &Value) -> Option<&str> {
    let ready = condition(obj, "Ready")
        .and_then(|c| c.get("lastTransitionTime"))
        .and_then(Value::as_str);
    [ready, last_handled_reconcile_at(obj)]
        .into_iter()
        .flatten()
        .find(|t| parse_rfc3339(t).is_some())
}

/// One release of a HelmRelease (`status.history[]`, newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelmRevision {
    /// Helm release version number.
    pub version: i64,
    /// Chart name.
    pub chart_name: String,
    /// Chart version.
    pub chart_version: String,
    /// App version.
    pub app_version: String,
    /// `deployed`, `superseded`, `failed`, ….
    pub status: String,
    /// When this release was first deployed (RFC 3339).
    pub first_deployed: String,
    /// When it was last deployed (RFC 3339).
    pub last_deployed: String,
}

/// A HelmRelease's release history, newest first.
pub fn helm_history(obj: &Value) -> Vec<HelmRevision> {
    let list = obj.pointer("/status/history").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .map(|h| {
            let s = |k: &str| h.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
            HelmRevision {
                version: h.get("version").and_then(Value::as_i64).unwrap_or(0),
                chart_name: s("chartName"),
                chart_version: s("chartVersion"),
                app_version: s("appVersion"),
                status: s("status"),
                first_deployed: s("firstDeployed"),
                last_deployed: s("lastDeployed"),
            }
        })
        .collect()
}

/// The label selector of the objects a Flux object manages: HelmRelease-managed objects carry
/// `helm.toolkit.fluxcd.io/{name,namespace}`, Kustomization-applied ones
/// `kustomize.toolkit.fluxcd.io/{name,namespace}`.
pub fn managed_objects_selector(obj: &Value) -> Option<String> {
    let api = obj.get("apiVersion")?.as_str()?;
    let prefix = if api.starts_with("helm.toolkit.fluxcd.io/") {
        "helm.toolkit.fluxcd.io"
    } else if api.starts_with("kustomize.toolkit.fluxcd.io/") {
        "kustomize.toolkit.fluxcd.io"
    } else {
        return None;
    };
    let name = obj.pointer("/metadata/name")?.as_str()?;
    Some(format!(
        "{prefix}/name={name},{prefix}/namespace={}",
        own_namespace(obj)
    ))
}

/// A Flux object named the way GitLab's environment settings name it:
/// `kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/app`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FluxResourceRef {
    /// Where the kind lives in the API.
    pub api: crate::api::resource::ApiResource,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
}

impl FluxResourceRef {
    /// Parses `<group>/<version>/namespaces/<namespace>/<plural>/<name>`. Only Flux's
    /// Kustomizations and HelmReleases have a sync status; anything else is an error naming the
    /// expected shape.
    pub fn parse(path: &str) -> Result<Self, String> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let [group, version, "namespaces", namespace, plural, name] = parts[..] else {
            return Err(format!(
                "flux-resource {path:?} is not <group>/<version>/namespaces/<namespace>/<plural>/<name>"
            ));
        };
        let Some(synced) = [kinds::KUSTOMIZATION, kinds::HELM_RELEASE]
            .into_iter()
            .find(|k| k.group == group && k.plural == plural)
        else {
            return Err(format!(
                "flux-resource {path:?} names {plural} of {group}: only Kustomizations and HelmReleases have a sync status"
            ));
        };
        if namespace.is_empty() || name.is_empty() || version.is_empty() {
            return Err(format!(
                "flux-resource {path:?} lacks a version, namespace or name"
            ));
        }
        Ok(FluxResourceRef {
            api: crate::api::resource::ApiResource {
                version: version.to_owned().into(),
                ..synced
            },
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        })
    }
}

/// The web page of the commit a Flux revision names (`main@sha1:<sha>` or a bare sha), for a Git
/// source URL GitLab or GitHub serves (`https://host/group/project(.git)`, `ssh://git@host/…`,
/// `git@host:…`). `None` when either is not recognised; only ever an `https://` URL.
pub fn commit_url(source_url: &str, revision: &str) -> Option<String> {
    let sha = revision.rsplit_once(':').map_or(revision, |(_, s)| s);
    if sha.len() < 7 || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let rest = source_url
        .strip_prefix("https://")
        .or_else(|| source_url.strip_prefix("http://"))
        .or_else(|| source_url.strip_prefix("ssh://"))
        .map(|r| r.split_once('@').map_or(r, |(_, host)| host).to_owned())
        // scp-like `git@host:group/project.git`
        .or_else(|| Some(source_url.strip_prefix("git@")?.replacen(':', "/", 1)))?;
    let rest = rest.trim_end_matches('/').trim_end_matches(".git");
    let (host, path) = rest.split_once('/')?;
    // An https source's port is its web server's; an ssh port is not.
    let web = source_url.starts_with("https://") || source_url.starts_with("http://");
    let host = if web { host } else { host.split(':').next()? };
    let safe = |s: &str, extra: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c) || extra.contains(c))
    };
    if !safe(host, ":") || !safe(path, "/") {
        return None;
    }
    let separator = if host == "github.com" { "" } else { "/-" };
    Some(format!("https://{host}/{path}{separator}/commit/{sha}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inventory_ids_parse_and_bad_ones_are_reported() {
        let ks = json!({"status": {"inventory": {"entries": [
            {"id": "apps_podinfo_apps_Deployment", "v": "v1"},
            {"id": "apps_podinfo__Service", "v": "v1"},
            {"id": "_apps__Namespace", "v": "v1"},
            {"id": "broken", "v": "v1"}]}}});
        let (entries, errors) = inventory(&ks);
        assert_eq!(
            entries[0],
            InventoryEntry {
                namespace: "apps".into(),
                name: "podinfo".into(),
                group: "apps".into(),
                kind: "Deployment".into(),
                version: "v1".into()
            }
        );
        assert_eq!(
            (entries[1].group.as_str(), entries[1].kind.as_str()),
            ("", "Service")
        );
        assert_eq!(
            (entries[2].namespace.as_str(), entries[2].name.as_str()),
            ("", "apps")
        );
        assert_eq!(
            errors,
            ["inventory id \"broken\" is not <namespace>_<name>_<group>_<kind>"]
        );
    }

    #[test]
    fn links_revisions_and_history() {
        let ks = json!({"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
            "metadata": {"name": "apps", "namespace": "flux-system"},
            "spec": {"sourceRef": {"kind": "GitRepository", "name": "flux-system"}, "dependsOn": [{"name": "infra"}, {"name": "crds", "namespace": "base"}]},
            "status": {"lastAppliedRevision": "main@sha1:aaa", "lastAttemptedRevision": "main@sha1:bbb", "lastHandledReconcileAt": "t1"}});
        assert_eq!(
            source_ref(&ks),
            Some(ObjectRef {
                kind: "GitRepository".into(),
                namespace: "flux-system".into(),
                name: "flux-system".into()
            })
        );
        let deps = depends_on(&ks);
        assert_eq!(
            (
                deps[0].kind.as_str(),
                deps[0].namespace.as_str(),
                deps[0].name.as_str()
            ),
            ("Kustomization", "flux-system", "infra")
        );
        assert_eq!(deps[1].namespace, "base");
        assert_eq!(
            revisions(&ks),
            Revisions {
                applied: Some("main@sha1:aaa".into()),
                attempted: Some("main@sha1:bbb".into())
            }
        );
        // A request token that is not a time is no reconcile time.
        assert_eq!(last_handled_reconcile_at(&ks), Some("t1"));
        assert_eq!(last_reconcile(&ks), None);
        assert!(!suspended(&ks));
        assert_eq!(managed_objects_selector(&ks).as_deref(), Some("kustomize.toolkit.fluxcd.io/name=apps,kustomize.toolkit.fluxcd.io/namespace=flux-system"));

        let hr = json!({"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease", "metadata": {"name": "podinfo", "namespace": "apps"},
            "spec": {"chart": {"spec": {"chart": "podinfo", "sourceRef": {"kind": "HelmRepository", "name": "podinfo", "namespace": "flux-system"}}}},
            "status": {"history": [
                {"version": 3, "chartName": "podinfo", "chartVersion": "6.5.4", "appVersion": "6.5.4", "status": "deployed", "firstDeployed": "a", "lastDeployed": "b"},
                {"version": 2, "chartName": "podinfo", "chartVersion": "6.5.3", "status": "superseded"}]}});
        assert_eq!(
            source_ref(&hr).map(|r| r.kind),
            Some("HelmRepository".into())
        );
        assert_eq!(revisions(&hr).applied.as_deref(), Some("podinfo@6.5.4"));
        let history = helm_history(&hr);
        assert_eq!(
            (history[0].version, history[1].status.as_str()),
            (3, "superseded")
        );
        assert!(managed_objects_selector(&hr)
            .unwrap()
            .starts_with("helm.toolkit.fluxcd.io/name=podinfo"));

        let git = json!({"status": {"artifact": {"revision": "main@sha1:ccc"}}});
        assert_eq!(revisions(&git).applied.as_deref(), Some("main@sha1:ccc"));
    }

    #[test]
    fn flux_resource_paths_as_gitlab_names_them() {
        let r = FluxResourceRef::parse(
            "kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/app",
        )
        .unwrap();
        assert_eq!(
            (r.api.kind.as_ref(), r.namespace.as_str(), r.name.as_str()),
            ("Kustomization", "flux-system", "app")
        );
        assert_eq!(
            r.api.collection_path(Some("flux-system")),
            "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations"
        );
        let h = FluxResourceRef::parse(
            "helm.toolkit.fluxcd.io/v2/namespaces/podinfo/helmreleases/podinfo",
        )
        .unwrap();
        assert_eq!(h.api.kind, "HelmRelease");
        assert!(
            FluxResourceRef::parse("apps/v1/namespaces/a/deployments/web")
                .unwrap_err()
                .contains("only Kustomizations and HelmReleases")
        );
        assert!(FluxResourceRef::parse("kustomizations/app")
            .unwrap_err()
            .contains("is not"));
    }

    #[test]
    fn commit_links_for_gitlab_and_github_sources() {
        let sha = "4f2a9c1e0b3d5f6a7b8c9d0e1f2a3b4c5d6e7f80";
        let rev = format!("main@sha1:{sha}");
        assert_eq!(
            commit_url("https://gitlab.com/acme/platform.git", &rev).as_deref(),
            Some(format!("https://gitlab.com/acme/platform/-/commit/{sha}").as_str())
        );
        assert_eq!(
            commit_url("ssh://git@github.com/acme/platform", &rev).as_deref(),
            Some(format!("https://github.com/acme/platform/commit/{sha}").as_str())
        );
        assert_eq!(
            commit_url("git@gitlab.example.com:acme/platform.git", sha).as_deref(),
            Some(format!("https://gitlab.example.com/acme/platform/-/commit/{sha}").as_str())
        );
        assert_eq!(
            commit_url("https://git.example.com:8443/acme/platform.git", sha).as_deref(),
            Some(format!("https://git.example.com:8443/acme/platform/-/commit/{sha}").as_str())
        );
        assert_eq!(
            commit_url("ssh://git@gitlab.example.com:2222/acme/platform.git", sha).as_deref(),
            Some(format!("https://gitlab.example.com/acme/platform/-/commit/{sha}").as_str())
        );
        assert_eq!(commit_url("oci://ghcr.io/acme/manifests", &rev), None);
        assert_eq!(
            commit_url("https://gitlab.com/acme/platform", "latest"),
            None
        );
        assert_eq!(
            commit_url("https://evil.example/\"onmouseover=x", sha),
            None
        );
    }

    #[test]
    fn suspended_reads_spec_suspend_only_when_true() {
        assert!(suspended(&json!({"spec": {"suspend": true}})));
        assert!(!suspended(&json!({"spec": {"suspend": false}})));
        assert!(!suspended(&json!({"spec": {"suspend": "true"}})));
        assert!(!suspended(&json!({"status": {"suspend": true}})));
        assert!(!suspended(&json!({})));
    }

    #[test]
    fn last_reconcile_prefers_readys_transition_over_the_request_token() {
        // The case where the card (request first) and the widget (Ready first) disagreed: a
        // request handled at 05:40 while suspended, the last real reconcile at 05:30.
        let both = json!({"spec": {"suspend": true}, "status": {
            "lastHandledReconcileAt": "2026-11-25T05:40:00Z",
            "conditions": [{"type": "Reconciling", "status": "True", "lastTransitionTime": "2026-11-25T05:50:00Z"},
                           {"type": "Ready", "status": "True", "lastTransitionTime": "2026-11-25T05:30:00Z"}]}});
        assert_eq!(last_reconcile(&both), Some("2026-11-25T05:30:00Z"));
        // No Ready time: the handled request, when it is a time.
        let handled = json!({"status": {"lastHandledReconcileAt": "2026-11-25T05:40:00.123456789Z",
            "conditions": [{"type": "Ready", "status": "Unknown"}]}});
        assert_eq!(
            last_reconcile(&handled),
            Some("2026-11-25T05:40:00.123456789Z")
        );
        // A malformed Ready time is skipped, not shown.
        let bad = json!({"status": {"lastHandledReconcileAt": "2026-11-25T05:40:00Z",
            "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "yesterday"}]}});
        assert_eq!(last_reconcile(&bad), Some("2026-11-25T05:40:00Z"));
        assert_eq!(last_reconcile(&json!({"status": {}})), None);
    }

    #[test]
    fn with_source_reconciles_the_chart_source_then_the_chart_of_a_release() {
        let at = |r: &ObjectRef| format!("{} {}/{}", r.kind, r.namespace, r.name);
        let ks = json!({"metadata": {"name": "apps", "namespace": "flux-system"},
            "spec": {"sourceRef": {"kind": "GitRepository", "name": "flux-system"}}});
        let sources: Vec<String> = reconcile_sources(&ks).iter().map(at).collect();
        assert_eq!(sources, ["GitRepository flux-system/flux-system"]);
        let hr = json!({"metadata": {"name": "podinfo", "namespace": "podinfo"},
            "spec": {"chart": {"spec": {"chart": "podinfo",
                "sourceRef": {"kind": "HelmRepository", "name": "podinfo", "namespace": "flux-system"}}}}});
        let sources: Vec<String> = reconcile_sources(&hr).iter().map(at).collect();
        assert_eq!(
            sources,
            [
                "HelmRepository flux-system/podinfo",
                "HelmChart flux-system/podinfo-podinfo"
            ]
        );
        let mut named = hr.clone();
        named["status"] = json!({"helmChart": "charts/podinfo-chart"});
        assert_eq!(
            at(&reconcile_sources(&named)[1]),
            "HelmChart charts/podinfo-chart"
        );
        let oci = json!({"metadata": {"name": "podinfo", "namespace": "podinfo"},
            "spec": {"chartRef": {"kind": "OCIRepository", "name": "podinfo"}}});
        let sources: Vec<String> = reconcile_sources(&oci).iter().map(at).collect();
        assert_eq!(sources, ["OCIRepository podinfo/podinfo"]);
        assert!(reconcile_sources(&json!({})).is_empty());
    }

    #[test]
    fn with_source_reconciles_a_chart_ref_helm_chart_with_its_own_source() {
        let at = |r: &ObjectRef| format!("{} {}/{}", r.kind, r.namespace, r.name);
        let hr = json!({"metadata": {"name": "podinfo", "namespace": "podinfo"},
            "spec": {"chartRef": {"kind": "HelmChart", "name": "podinfo", "namespace": "charts"}}});
        let chart = json!({"metadata": {"name": "podinfo", "namespace": "charts"},
            "spec": {"chart": "podinfo", "sourceRef": {"kind": "HelmRepository", "name": "stable"}}});
        let lookup = |r: &ObjectRef| (r.kind == "HelmChart").then(|| chart.clone());
        let plan: Vec<String> = with_source_plan(&hr, lookup).iter().map(at).collect();
        assert_eq!(
            plan,
            ["HelmRepository charts/stable", "HelmChart charts/podinfo"]
        );
        // Until the chart is known, only the chart itself.
        let plan: Vec<String> = with_source_plan(&hr, |_| None).iter().map(at).collect();
        assert_eq!(plan, ["HelmChart charts/podinfo"]);
        // An OCIRepository chartRef has no source of its own to look up.
        let oci = json!({"metadata": {"name": "podinfo", "namespace": "podinfo"},
            "spec": {"chartRef": {"kind": "OCIRepository", "name": "podinfo"}}});
        let plan: Vec<String> = with_source_plan(&oci, lookup).iter().map(at).collect();
        assert_eq!(plan, ["OCIRepository podinfo/podinfo"]);
    }

    #[test]
    fn with_source_is_refused_while_a_source_is_suspended() {
        let hr = json!({"metadata": {"name": "podinfo", "namespace": "podinfo"},
            "spec": {"chart": {"spec": {"chart": "podinfo",
                "sourceRef": {"kind": "HelmRepository", "name": "podinfo", "namespace": "flux-system"}}}}});
        let sources = with_source_plan(&hr, |_| None);
        let repo =
            |suspend: bool| json!({"spec": {"suspend": suspend, "url": "https://example.com"}});
        // The HelmChart is suspended, the repository is not.
        let lookup = |r: &ObjectRef| Some(repo(r.kind == "HelmChart"));
        assert_eq!(
            suspended_source(&sources, lookup).as_deref(),
            Some("HelmChart flux-system/podinfo-podinfo is suspended")
        );
        assert_eq!(suspended_source(&sources, |_| Some(repo(false))), None);
        // Not known (yet): not refused; the reconcile itself says if it is missing.
        assert_eq!(suspended_source(&sources, |_| None), None);
    }
}
