//! The demo's controllers, stepped by hand.

use super::*;
use crate::resources::RESOURCES;
use lookout_client::status::kstatus;
use serde_json::json;

fn demo(seed: u64) -> Arc<Demo> {
    let cluster = Cluster::new(10_000);
    crate::seed::seed(&cluster);
    let demo = Demo::new(cluster, seed);
    seed::seed(&demo, "2026-11-25T10:00:00Z");
    demo
}

fn get(demo: &Demo, api: &str, kind: &str, ns: &str, name: &str) -> Value {
    demo.cluster
        .get(by_kind(api, kind).unwrap(), ns, name)
        .unwrap()
}

fn ready(obj: &Value) -> (String, String) {
    let c = obj["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "Ready")
        .unwrap();
    (
        c["status"].as_str().unwrap().to_owned(),
        c["reason"].as_str().unwrap().to_owned(),
    )
}

const KS: &str = "kustomize.toolkit.fluxcd.io/v1";
const HR: &str = "helm.toolkit.fluxcd.io/v2";

#[test]
fn every_seeded_object_has_a_computable_status() {
    let d = demo(1);
    let mut kinds = 0;
    for def in RESOURCES {
        for obj in list(&d.cluster, def) {
            kstatus::compute(&obj, 1_795_600_000)
                .unwrap_or_else(|e| panic!("{} {}: {e}", def.kind, meta(&obj, "name")));
            kinds += 1;
        }
    }
    assert!(kinds > 60, "{kinds} objects");
    let apps = get(&d, KS, "Kustomization", "flux-system", "apps");
    let (entries, errors) = lookout_client::model::flux::inventory(&apps);
    assert!(
        entries.len() >= 30 && errors.is_empty(),
        "{} entries, {errors:?}",
        entries.len()
    );
}

#[test]
fn a_reconcile_request_goes_reconciling_then_ready_and_suspended_objects_wait() {
    let d = demo(1);
    let ks = by_kind(KS, "Kustomization").unwrap();
    d.cluster
        .patch(
            ks,
            "flux-system",
            "apps",
            &json!({ "metadata": { "annotations": { "reconcile.fluxcd.io/requestedAt": "t1" } } }),
        )
        .unwrap();
    d.step(1);
    let apps = get(&d, KS, "Kustomization", "flux-system", "apps");
    assert_eq!(ready(&apps), ("Unknown".into(), "Progressing".into()));
    assert_eq!(apps["status"]["lastHandledReconcileAt"], "t1");
    d.step(3);
    let apps = get(&d, KS, "Kustomization", "flux-system", "apps");
    assert_eq!(
        ready(&apps),
        ("True".into(), "ReconciliationSucceeded".into())
    );
    assert_eq!(
        apps["status"]["conditions"].as_array().unwrap().len(),
        1,
        "Reconciling is gone"
    );

    let hr = by_kind(HR, "HelmRelease").unwrap();
    d.cluster
        .patch(
            hr,
            "podinfo",
            "redis",
            &json!({ "metadata": { "annotations": { "reconcile.fluxcd.io/requestedAt": "t2" } } }),
        )
        .unwrap();
    d.step(4);
    assert!(
        get(&d, HR, "HelmRelease", "podinfo", "redis")["status"]["lastHandledReconcileAt"]
            .is_null(),
        "suspended"
    );
}

#[test]
fn podinfo_upgrade_fails_then_recovers() {
    let d = demo(1);
    d.step(20);
    assert_eq!(
        ready(&get(&d, HR, "HelmRelease", "podinfo", "podinfo")).0,
        "Unknown"
    );
    d.step(23);
    let hr = get(&d, HR, "HelmRelease", "podinfo", "podinfo");
    assert_eq!(ready(&hr), ("False".into(), "UpgradeFailed".into()));
    assert_eq!(hr["status"]["history"][0]["status"], "failed");
    d.step(35);
    let hr = get(&d, HR, "HelmRelease", "podinfo", "podinfo");
    assert_eq!(ready(&hr), ("True".into(), "UpgradeSucceeded".into()));
    assert_eq!(hr["status"]["history"][0]["status"], "deployed");
    assert_eq!(hr["status"]["history"][0]["version"], 3);
}

#[test]
fn new_commits_are_applied_by_kustomizations_and_revisions_follow_the_seed() {
    let d = demo(7);
    let before = get(&d, KS, "Kustomization", "flux-system", "apps")["status"]
        ["lastAppliedRevision"]
        .clone();
    d.step(45);
    let rev = get(
        &d,
        "source.toolkit.fluxcd.io/v1",
        "GitRepository",
        "flux-system",
        "flux-system",
    )["status"]["artifact"]["revision"]
        .clone();
    assert_ne!(rev, before);
    d.step(46);
    d.step(47);
    assert_eq!(
        get(&d, KS, "Kustomization", "flux-system", "apps")["status"]["lastAppliedRevision"],
        rev
    );
    assert_eq!(demo(7).git_revision(3), d.git_revision(3));
    assert_ne!(demo(8).git_revision(3), d.git_revision(3));
}

#[tokio::test]
async fn a_restarted_deployment_rolls_out_new_pods() {
    let d = demo(1);
    let deploys = by_kind("apps/v1", "Deployment").unwrap();
    let restart = json!({ "spec": { "template": { "metadata": { "annotations": { "kubectl.kubernetes.io/restartedAt": "now" } } } } });
    d.cluster.patch(deploys, "demo", "web", &restart).unwrap();
    d.step(1);
    let pods = by_kind("v1", "Pod").unwrap();
    let web = |d: &Demo| {
        list(&d.cluster, pods)
            .into_iter()
            .filter(|p| meta(p, "namespace") == "demo" && meta(p, "name").starts_with("web-"))
            .collect::<Vec<_>>()
    };
    assert_eq!(web(&d).len(), 4, "two new pods next to the two old ones");
    d.step(3);
    let after = web(&d);
    let running_new = after
        .iter()
        .filter(|p| {
            p["status"]["phase"] == "Running" && !meta(p, "name").starts_with("web-7d9f8c6b5")
        })
        .count();
    let terminating = after
        .iter()
        .filter(|p| p["metadata"]["deletionTimestamp"].is_string())
        .count();
    assert_eq!((running_new, terminating), (2, 2));
    let web_deploy = get(&d, "apps/v1", "Deployment", "demo", "web");
    assert_eq!(
        kstatus::compute(&web_deploy, 0).unwrap().status,
        kstatus::Status::Current
    );
}

#[tokio::test]
async fn a_deleted_pod_is_replaced_by_its_replicaset_and_starts() {
    let d = demo(1);
    let pods = by_kind("v1", "Pod").unwrap();
    d.step(1);
    let count = |d: &Demo| {
        list(&d.cluster, pods)
            .iter()
            .filter(|p| meta(p, "namespace") == "demo" && meta(p, "name").starts_with("api-"))
            .count()
    };
    assert_eq!(count(&d), 1, "the seeded pod is owned; nothing to replace");
    d.cluster
        .delete(pods, "demo", "api-5c8d7b9f4-klmno", Some(0))
        .unwrap();
    d.step(2);
    let replacement: Vec<Value> = list(&d.cluster, pods)
        .into_iter()
        .filter(|p| meta(p, "name").starts_with("api-5c8d7b9f4-"))
        .collect();
    assert_eq!(replacement.len(), 1);
    assert_eq!(replacement[0]["status"]["phase"], "Pending");
    d.step(4);
    let name = meta(&replacement[0], "name").to_owned();
    assert_eq!(
        d.cluster.get(pods, "demo", &name).unwrap()["status"]["phase"],
        "Running"
    );
}

#[test]
fn the_story_clock_pauses_and_advances() {
    let d = demo(1);
    d.set_paused(true);
    assert_eq!(d.advance(23), 23);
    let hr = get(&d, HR, "HelmRelease", "podinfo", "podinfo");
    assert_eq!(
        ready(&hr).1,
        "UpgradeFailed",
        "23 s into the story the upgrade has failed"
    );
}
