use super::*;
use serde_json::{json, Value};

const NOW: i64 = 1_795_585_091;

fn object(v: Value) -> Object {
    serde_json::from_value(v).expect("a valid object")
}

fn owned_by(owner: &str) -> Value {
    json!([{ "apiVersion": "apps/v1", "kind": "X", "name": owner, "uid": owner, "controller": true }])
}

fn deployment(name: &str, ready: i64) -> Object {
    object(json!({ "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": { "name": name, "namespace": "demo", "uid": name, "generation": 1,
                      "labels": { "helm.toolkit.fluxcd.io/name": "rel", "helm.toolkit.fluxcd.io/namespace": "demo" } },
        "spec": { "replicas": 1 },
        "status": { "observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "readyReplicas": ready, "availableReplicas": ready,
                    "conditions": [{ "type": "Available", "status": if ready == 1 { "True" } else { "False" } }] } }))
}

fn replicaset(name: &str, owner: &str) -> Object {
    object(json!({ "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": { "name": name, "namespace": "demo", "uid": name, "generation": 1, "ownerReferences": owned_by(owner),
                      "labels": { "helm.toolkit.fluxcd.io/name": "rel", "helm.toolkit.fluxcd.io/namespace": "demo" } },
        "spec": { "replicas": 1 },
        "status": { "observedGeneration": 1, "replicas": 1, "readyReplicas": 1, "availableReplicas": 1, "fullyLabeledReplicas": 1 } }))
}

fn pod(name: &str, owner: &str, waiting: Option<&str>) -> Object {
    let state = match waiting {
        Some(reason) => json!({ "waiting": { "reason": reason } }),
        None => json!({ "running": { "startedAt": "2026-11-25T05:00:00Z" } }),
    };
    object(json!({ "apiVersion": "v1", "kind": "Pod",
        "metadata": { "name": name, "namespace": "demo", "uid": name, "ownerReferences": owned_by(owner) },
        "spec": { "containers": [{ "name": "main", "image": "x" }] },
        "status": { "phase": "Running",
                    "conditions": [{ "type": "Ready", "status": if waiting.is_some() { "False" } else { "True" } }],
                    "containerStatuses": [{ "name": "main", "ready": waiting.is_none(), "restartCount": 0, "state": state }] } }))
}

fn root(group: &str, kind: &str, name: &str) -> Root {
    Root {
        group: group.into(),
        version: "v1".into(),
        kind: kind.into(),
        namespace: "demo".into(),
        name: name.into(),
        served: true,
    }
}

/// Two deployments: `web` healthy (one RS, one pod), `worker` with a crash-looping pod.
fn cluster() -> Vec<(ApiResource, Object)> {
    vec![
        (kinds::DEPLOYMENT, deployment("web", 1)),
        (kinds::REPLICA_SET, replicaset("web-1", "web")),
        (kinds::POD, pod("web-1-a", "web-1", None)),
        (kinds::DEPLOYMENT, deployment("worker", 0)),
        (kinds::REPLICA_SET, replicaset("worker-1", "worker")),
        (
            kinds::POD,
            pod("worker-1-a", "worker-1", Some("CrashLoopBackOff")),
        ),
    ]
}

fn known(objects: &[(ApiResource, Object)]) -> Vec<Known<'_>> {
    objects.iter().map(|(a, o)| (a, o)).collect()
}

#[test]
fn inventory_to_deployment_to_replicaset_to_pods_problems_first_and_expanded() {
    let objects = cluster();
    let roots = [
        root("apps", "Deployment", "web"),
        root("apps", "Deployment", "worker"),
    ];
    let tree = build(&roots, &known(&objects), NOW);
    let names: Vec<&str> = tree.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["worker", "web"], "the failing branch comes first");

    let worker = &tree[0];
    assert!(worker.expanded_by_default());
    let rs = &worker.children[0];
    assert_eq!(
        (rs.kind.as_str(), rs.name.as_str()),
        ("ReplicaSet", "worker-1")
    );
    assert!(
        rs.expanded_by_default(),
        "the path to the failing pod is open"
    );
    let failing = &rs.children[0];
    assert_eq!(failing.name, "worker-1-a");
    assert_eq!(failing.word, "CrashLoopBackOff");
    assert_eq!(failing.tone, Tone::Error);
    assert!(!failing.expanded_by_default(), "a leaf has nothing to open");

    let web = &tree[1];
    assert!(!web.has_problem());
    assert!(
        !web.expanded_by_default(),
        "a healthy branch starts collapsed"
    );
    assert_eq!(
        web.descendants(),
        2,
        "a collapsed node counts what it hides"
    );
    assert_eq!(web.children[0].children[0].tone, Tone::Ok);
    assert_eq!(
        web.children[0].route().path(),
        "/r/apps/v1/ReplicaSet/demo/web-1",
        "each node links to its detail page"
    );
}

#[test]
fn an_inventory_object_missing_from_the_cluster_is_a_problem_node() {
    let objects = cluster();
    let roots = [
        root("apps", "Deployment", "web"),
        root("", "ConfigMap", "gone"),
        root("apps", "Deployment", "worker"),
        root("", "ConfigMap", "gone"),
    ];
    let tree = build(&roots, &known(&objects), NOW);
    let names: Vec<&str> = tree.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        ["worker", "gone", "web"],
        "a failure before a missing object, an object listed twice shown once"
    );
    let tree = &tree[1..];
    assert_eq!(tree[0].name, "gone");
    assert!(!tree[0].found);
    assert_eq!(tree[0].word, "NotFound");
    assert!(tree[0].unhealthy());
    assert!(tree[0].children.is_empty());
}

#[test]
fn an_empty_inventory_is_an_empty_tree() {
    let objects = cluster();
    assert!(build(&[], &known(&objects), NOW).is_empty());
}

#[test]
fn helm_roots_are_the_labelled_objects_no_controller_owns() {
    let mut objects = cluster();
    objects.push((kinds::DEPLOYMENT, {
        let mut other = deployment("other", 1);
        other.value["metadata"]["labels"]["helm.toolkit.fluxcd.io/name"] = json!("another");
        other
    }));
    let roots = helm_roots(&known(&objects), "demo", "rel");
    let names: Vec<&str> = roots.iter().map(|r| r.name.as_str()).collect();
    // The ReplicaSet carries the labels too but is owned by its Deployment; `other` is another
    // release's.
    assert_eq!(names, ["web", "worker"]);
}

#[test]
fn an_owner_reference_cycle_ends() {
    let a = object(json!({ "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": { "name": "a", "namespace": "demo", "uid": "a", "ownerReferences": owned_by("b") } }));
    let b = object(json!({ "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": { "name": "b", "namespace": "demo", "uid": "b", "ownerReferences": owned_by("a") } }));
    let objects = vec![(configmap(), a), (configmap(), b)];
    let tree = build(&[root("", "ConfigMap", "a")], &known(&objects), NOW);
    assert_eq!(
        tree[0].descendants(),
        1,
        "b is under a, and a is not repeated under b"
    );
}

fn configmap() -> ApiResource {
    ApiResource::fixed("", "v1", "ConfigMap", "configmaps", true)
}

#[test]
fn a_metadata_only_object_is_found_by_the_kind_it_was_watched_as() {
    // Secrets are only ever read as metadata: their rows say PartialObjectMetadata.
    let secret = object(
        json!({ "apiVersion": "meta.k8s.io/v1", "kind": "PartialObjectMetadata",
        "metadata": { "name": "creds", "namespace": "demo", "uid": "s" } }),
    );
    let objects = vec![(kinds::SECRET, secret)];
    let tree = build(&[root("", "Secret", "creds")], &known(&objects), NOW);
    assert!(tree[0].found);
    assert_eq!((tree[0].kind.as_str(), tree[0].tone), ("Secret", Tone::Ok));
}

/// Regression: an inventory listing a Deployment and its ReplicaSet showed the ReplicaSet twice,
/// the second time as an empty top-level node, whichever came first.
#[test]
fn an_owned_object_the_inventory_also_lists_appears_once_beneath_its_owner() {
    let objects = cluster();
    for roots in [
        [
            root("apps", "ReplicaSet", "web-1"),
            root("apps", "Deployment", "web"),
        ],
        [
            root("apps", "Deployment", "web"),
            root("apps", "ReplicaSet", "web-1"),
        ],
    ] {
        let tree = build(&roots, &known(&objects), NOW);
        assert_eq!(tree.len(), 1, "{roots:?}");
        assert_eq!(tree[0].name, "web");
        assert_eq!(tree[0].children[0].name, "web-1");
        assert_eq!(tree[0].descendants(), 2, "the ReplicaSet and its pod");
    }
}

#[test]
fn a_missing_object_of_a_kind_not_served_is_told_apart_from_one_not_found() {
    let objects = cluster();
    let gadget = Root {
        group: "example.org".into(),
        served: false,
        ..root("example.org", "Gadget", "g")
    };
    let tree = build(
        &[gadget, root("", "ConfigMap", "gone")],
        &known(&objects),
        NOW,
    );
    let words: Vec<(&str, &str)> = tree
        .iter()
        .map(|n| (n.name.as_str(), n.word.as_str()))
        .collect();
    assert_eq!(words, [("gone", "NotFound"), ("g", "NotServed")]);
    assert!(tree[1].message.contains("Gadget.example.org"));
    assert!(tree.iter().all(|n| !n.found && n.unhealthy()));
}

#[test]
fn the_tree_watches_its_namespaces_only() {
    let roots = [
        (kinds::DEPLOYMENT, "demo".to_owned()),
        (kinds::DEPLOYMENT, "web".to_owned()),
        (kinds::SERVICE, "demo".to_owned()),
        (kinds::NAMESPACE, String::new()),
    ];
    let scopes = watch_scopes(&roots, &OWNED_KINDS);
    let shown: Vec<(String, Option<String>)> = scopes
        .iter()
        .map(|(api, ns)| (api.kind.to_string(), ns.clone()))
        .collect();
    let at = |k: &str, ns: Option<&str>| (k.to_owned(), ns.map(str::to_owned));
    assert_eq!(
        shown,
        [
            at("Namespace", None),
            at("Pod", Some("demo")),
            at("Pod", Some("web")),
            at("Service", Some("demo")),
            at("Deployment", Some("demo")),
            at("Deployment", Some("web")),
            at("ReplicaSet", Some("demo")),
            at("ReplicaSet", Some("web")),
            at("Job", Some("demo")),
            at("Job", Some("web")),
        ]
    );
    // Cluster-scoped roots only (a Kustomization of namespaces): no pod is watched.
    assert_eq!(
        watch_scopes(&[(kinds::NAMESPACE, String::new())], &OWNED_KINDS).len(),
        1
    );
}
