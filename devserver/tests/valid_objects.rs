//! Every built-in object the simulated cluster serves is a valid Kubernetes object: it
//! deserializes into its `k8s-openapi` type with every required field present and no field the
//! type does not know. `k8s-openapi` fills a missing required field with its default instead of
//! failing, so each object is also serialized back and compared with what the cluster served: a
//! field that appears was required and missing; a field that disappears is unknown to the API.
//! Checked over the living demo at several points of its story, over `--scale` pods, the second
//! agent's cluster, and objects created as clients create them.

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{
    ConfigMap, Event, Namespace, Node, PersistentVolumeClaim, Pod, Secret, Service,
};
use k8s_openapi::api::events::v1::Event as EventsV1;
use k8s_openapi::api::networking::v1::Ingress;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use lookout_devserver::cluster::Cluster;
use lookout_devserver::demo::Demo;
use lookout_devserver::resources::{by_kind, RESOURCES};
use lookout_devserver::seed;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// The differences between what was served (`a`) and its typed round trip (`b`).
fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get(k) {
                    Some(av) => diff(&format!("{path}.{k}"), av, v, out),
                    None => out.push(format!("{path}.{k}: required, missing")),
                }
            }
            for k in a.keys().filter(|k| !b.contains_key(*k)) {
                out.push(format!("{path}.{k}: not a field of the type ({})", a[k]));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff(&format!("{path}[{i}]"), x, y, out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}: served {a}, typed {b}")),
    }
}

fn round_trip<T: DeserializeOwned + Serialize>(obj: &Value) -> Vec<String> {
    let typed: T = match serde_json::from_value(obj.clone()) {
        Ok(t) => t,
        Err(e) => return vec![format!("does not deserialize: {e}")],
    };
    let back = serde_json::to_value(&typed).unwrap();
    let mut out = Vec::new();
    diff("", obj, &back, &mut out);
    out
}

/// The problems of one object (custom resources: their metadata only).
fn problems(obj: &Value) -> Vec<String> {
    let api = obj["apiVersion"].as_str().unwrap_or("");
    let kind = obj["kind"].as_str().unwrap_or("");
    match (api, kind) {
        ("v1", "Namespace") => round_trip::<Namespace>(obj),
        ("v1", "Node") => round_trip::<Node>(obj),
        ("v1", "Pod") => round_trip::<Pod>(obj),
        ("v1", "Service") => round_trip::<Service>(obj),
        ("v1", "ConfigMap") => round_trip::<ConfigMap>(obj),
        ("v1", "Secret") => round_trip::<Secret>(obj),
        ("v1", "PersistentVolumeClaim") => round_trip::<PersistentVolumeClaim>(obj),
        ("v1", "Event") => round_trip::<Event>(obj),
        ("apps/v1", "Deployment") => round_trip::<Deployment>(obj),
        ("apps/v1", "ReplicaSet") => round_trip::<ReplicaSet>(obj),
        ("apps/v1", "StatefulSet") => round_trip::<StatefulSet>(obj),
        ("apps/v1", "DaemonSet") => round_trip::<DaemonSet>(obj),
        ("batch/v1", "Job") => round_trip::<Job>(obj),
        ("batch/v1", "CronJob") => round_trip::<CronJob>(obj),
        ("networking.k8s.io/v1", "Ingress") => round_trip::<Ingress>(obj),
        ("events.k8s.io/v1", "Event") => round_trip::<EventsV1>(obj),
        ("apiextensions.k8s.io/v1", "CustomResourceDefinition") => {
            round_trip::<CustomResourceDefinition>(obj)
        }
        _ if by_kind(api, kind).is_some_and(|d| d.is_custom()) => {
            round_trip::<ObjectMeta>(&obj["metadata"])
        }
        _ => vec![format!("unexpected kind {api} {kind}")],
    }
}

/// Checks every object the cluster serves; returns how many there are.
fn check_all(cluster: &Cluster, when: &str) -> usize {
    let mut seen = 0;
    let mut errors = Vec::new();
    for def in RESOURCES {
        for obj in cluster.list_values(def, None, |_| true) {
            seen += 1;
            let name = obj["metadata"]["name"].as_str().unwrap_or("").to_owned();
            for p in problems(&obj) {
                errors.push(format!("{} {name}: {p}", def.kind));
            }
        }
    }
    errors.sort();
    errors.dedup();
    assert!(errors.is_empty(), "{when}:\n{}", errors.join("\n"));
    seen
}

fn living_demo() -> (Arc<Cluster>, Arc<Demo>) {
    let cluster = Cluster::new(100_000);
    seed::seed(&cluster);
    seed::seed_scale(&cluster, 40);
    let demo = Demo::new(cluster.clone(), 1);
    demo.start();
    demo.set_paused(true);
    (cluster, demo)
}

#[tokio::test]
async fn the_living_demo_serves_valid_objects_all_along_its_story() {
    let (cluster, demo) = living_demo();
    let at_start = check_all(&cluster, "at start");
    assert!(at_start > 100, "{at_start} objects");

    // Every built-in kind has objects, so each type is really checked.
    for def in RESOURCES.iter().filter(|d| !d.is_custom()) {
        let page = cluster.list(def, None, |_| true, 0, None).unwrap();
        assert!(
            !page.items.is_empty(),
            "no {} {}",
            def.api_version(),
            def.kind
        );
    }

    demo.advance(25); // the podinfo upgrade has failed; pods crash-loop
    check_all(&cluster, "after 25 s");

    // A rollout, a scale-up and a deleted pod, as a user would cause them.
    let deploys = by_kind("apps/v1", "Deployment").unwrap();
    let restart = json!({ "spec": { "template": { "metadata": { "annotations": { "kubectl.kubernetes.io/restartedAt": "now" } } } } });
    cluster.patch(deploys, "demo", "web", &restart).unwrap();
    cluster
        .patch(
            deploys,
            "demo",
            "api",
            &json!({ "spec": { "replicas": 3 } }),
        )
        .unwrap();
    let pods = by_kind("v1", "Pod").unwrap();
    cluster
        .delete(pods, "demo", "worker-6b7c8d9e0-pqrst", Some(0))
        .unwrap();
    demo.advance(1);
    check_all(&cluster, "mid-rollout");
    demo.advance(24); // a new commit at 45 s, Kustomizations reconcile it
    check_all(&cluster, "after 50 s");
    demo.advance(70);
    check_all(&cluster, "after 120 s");
}

#[test]
fn the_second_agents_cluster_serves_valid_objects() {
    let cluster = Cluster::new(1000);
    seed::seed_staging(&cluster);
    assert!(check_all(&cluster, "staging") > 2);
}

#[test]
fn objects_created_as_clients_create_them_are_valid() {
    let cluster = Cluster::new(1000);
    seed::seed(&cluster);
    let create = |api: &str, kind: &str, ns: &str, obj: Value| {
        cluster
            .create(by_kind(api, kind).unwrap(), ns, obj)
            .unwrap();
    };
    // `kubectl run`, `kubectl create deployment`, `kubectl create configmap`, … (minimal bodies).
    create(
        "v1",
        "Pod",
        "demo",
        json!({ "metadata": { "name": "run" }, "spec": { "containers": [{ "name": "run", "image": "busybox" }] } }),
    );
    create(
        "v1",
        "ConfigMap",
        "demo",
        json!({ "metadata": { "name": "cm" }, "data": { "a": "b" } }),
    );
    create(
        "v1",
        "Namespace",
        "",
        json!({ "metadata": { "name": "fresh" } }),
    );
    create(
        "apps/v1",
        "Deployment",
        "demo",
        json!({ "metadata": { "name": "made" }, "spec": { "selector": { "matchLabels": { "app": "made" } },
               "template": { "metadata": { "labels": { "app": "made" } }, "spec": { "containers": [{ "name": "c", "image": "nginx" }] } } } }),
    );
    let created = check_all(&cluster, "after client creates");
    assert!(created > 10);
    let ns = cluster
        .get(by_kind("v1", "Namespace").unwrap(), "", "fresh")
        .unwrap();
    assert_eq!(
        (
            ns["status"]["phase"].as_str(),
            ns["spec"]["finalizers"][0].as_str()
        ),
        (Some("Active"), Some("kubernetes"))
    );
    let pod = cluster
        .get(by_kind("v1", "Pod").unwrap(), "demo", "run")
        .unwrap();
    assert_eq!(pod["status"]["phase"], "Pending");
}

#[test]
fn the_check_catches_a_missing_owner_uid_and_unknown_fields() {
    let pod = json!({ "apiVersion": "v1", "kind": "Pod",
        "metadata": { "name": "x", "ownerReferences": [{ "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs" }] },
        "spec": { "containers": [{ "name": "c", "image": "i" }] },
        "status": { "containerStatuses": [{ "name": "c", "ready": true, "restartCount": 0 }], "observedGeneration2": 1 } });
    let found = problems(&pod);
    for expected in [
        ".metadata.ownerReferences[0].uid: required, missing",
        ".status.containerStatuses[0].image: required, missing",
        ".status.containerStatuses[0].imageID: required, missing",
    ] {
        assert!(
            found.iter().any(|p| p == expected),
            "{expected} in {found:?}"
        );
    }
    assert!(found
        .iter()
        .any(|p| p.starts_with(".status.observedGeneration2: not a field")));
}

#[test]
fn patched_cluster_scoped_objects_stay_valid() {
    let cluster = Cluster::new(1000);
    seed::seed(&cluster);
    let ns = by_kind("v1", "Namespace").unwrap();
    let patch = json!({ "metadata": { "labels": { "team": "a" } } });
    cluster.patch(ns, "", "demo", &patch).unwrap();
    let replaced = cluster.get(ns, "", "demo").unwrap();
    assert!(
        replaced["metadata"].get("namespace").is_none(),
        "{replaced}"
    );
    assert_eq!(problems(&replaced), Vec::<String>::new());
}
