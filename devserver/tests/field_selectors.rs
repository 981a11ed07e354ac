//! Field selectors are checked per kind, as a real kube-apiserver checks them: a label the kind
//! supports selects, one it does not is a 400 `BadRequest` Status on every read path (lists,
//! Tables, watches, streaming lists) and on deletecollection.

mod common;

use common::{call, seeded, serve, Answer};
use lookout_devserver::cluster::Cluster;
use lookout_devserver::resources::{self, ResourceDef};
use serde_json::{json, Value};
use std::sync::Arc;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
const TABLE: &str = "application/json;as=Table;g=meta.k8s.io;v=v1";

async fn start() -> (String, Arc<Cluster>) {
    let (cluster, state) = seeded(50);
    (serve(state).await, cluster)
}

/// A collection's path through KAS, across all namespaces.
fn collection(def: &ResourceDef) -> String {
    match def.group {
        "" => format!("/k8s-proxy/api/v1/{}", def.plural),
        group => format!("/k8s-proxy/apis/{group}/{}/{}", def.version, def.plural),
    }
}

fn def(api_version: &str, kind: &str) -> &'static ResourceDef {
    resources::by_kind(api_version, kind).unwrap()
}

/// The names a list answer holds.
fn names(a: &Answer) -> Vec<String> {
    assert_eq!(a.status, 200, "{}", a.body);
    let items = a.json()["items"].as_array().cloned().unwrap_or_default();
    let mut names: Vec<String> = items
        .iter()
        .map(|o| o["metadata"]["name"].as_str().unwrap_or("").to_owned())
        .collect();
    names.sort();
    names
}

/// The Status a real API server answers a bad request with (`g-log-bad-container`: its only
/// 400), holding `message`.
fn bad_request(message: &str) -> Value {
    let mut status: Value = serde_json::from_slice(
        &std::fs::read(format!("{FIXTURES}g-log-bad-container.body")).unwrap(),
    )
    .unwrap();
    status["message"] = json!(message);
    status
}

fn encode(selector: &str) -> String {
    selector
        .replace('=', "%3D")
        .replace(',', "%2C")
        .replace('"', "%22")
}

#[tokio::test]
async fn every_kind_served_selects_on_metadata_name() {
    let (addr, _) = start().await;
    for def in resources::RESOURCES {
        let path = format!("{}?fieldSelector=metadata.name%3Ddemo", collection(def));
        let a = call(&addr, "GET", &path, &[]).await;
        let expected: &[&str] = if def.kind == "Namespace" {
            &["demo"]
        } else {
            &[]
        };
        assert_eq!(names(&a), expected, "{path}");
    }
}

#[tokio::test]
async fn each_kind_selects_on_the_fields_it_supports() {
    let (addr, cluster) = start().await;
    let create = |def: &'static ResourceDef, ns: &str, obj: Value| {
        cluster.create(def, ns, obj).unwrap();
    };
    let nodes = def("v1", "Node");
    create(
        nodes,
        "",
        json!({ "metadata": { "name": "cordoned" }, "spec": { "unschedulable": true } }),
    );
    create(
        nodes,
        "",
        json!({ "metadata": { "name": "open" }, "spec": {} }),
    );
    let secrets = def("v1", "Secret");
    create(
        secrets,
        "demo",
        json!({ "metadata": { "name": "cert" }, "type": "kubernetes.io/tls" }),
    );
    create(
        secrets,
        "demo",
        json!({ "metadata": { "name": "plain" }, "type": "Opaque" }),
    );
    let jobs = def("batch/v1", "Job");
    let job = |name: &str, status: Value| {
        json!({ "metadata": { "name": name }, "spec": { "template": { "spec": {
            "restartPolicy": "Never", "containers": [{ "name": "c", "image": "busybox" }] } } },
            "status": status })
    };
    create(jobs, "demo", job("done", json!({ "succeeded": 1 })));
    create(jobs, "demo", job("running", json!({ "active": 1 })));
    let events = def("v1", "Event");
    create(
        events,
        "demo",
        json!({ "metadata": { "name": "scheduled" }, "reason": "Scheduled",
        "involvedObject": { "kind": "Pod", "name": "web-7d9f8c6b5-abcde", "namespace": "demo" },
        "source": { "component": "default-scheduler" }, "type": "Normal" }),
    );
    create(
        events,
        "demo",
        json!({ "metadata": { "name": "pulled" }, "reason": "Pulled",
        "involvedObject": { "kind": "Pod", "name": "web-7d9f8c6b5-abcde", "namespace": "demo" },
        "reportingComponent": "kubelet", "type": "Normal" }),
    );

    let select = |path: String, selector: &str| {
        let url = format!("{path}?fieldSelector={}", encode(selector));
        let addr = addr.clone();
        async move { names(&call(&addr, "GET", &url, &[]).await) }
    };
    let pods = collection(def("v1", "Pod"));
    let on_node_1 = select(pods.clone(), "spec.nodeName=node-1").await;
    assert!(on_node_1.contains(&"web-7d9f8c6b5-abcde".to_owned()));
    assert!(!on_node_1.contains(&"web-7d9f8c6b5-fghij".to_owned()));
    // Old clients' `spec.host` is `spec.nodeName`.
    assert_eq!(select(pods.clone(), "spec.host=node-1").await, on_node_1);
    // A flag absent from the object selects as `false`.
    assert!(!select(pods.clone(), "spec.hostNetwork=false")
        .await
        .is_empty());
    assert!(select(pods.clone(), "spec.hostNetwork=true")
        .await
        .is_empty());
    let nodes = collection(nodes);
    assert_eq!(
        select(nodes.clone(), "spec.unschedulable=true").await,
        ["cordoned"]
    );
    assert_eq!(select(nodes, "spec.unschedulable=false").await, ["open"]);
    let namespaces = collection(def("v1", "Namespace"));
    assert!(select(namespaces.clone(), "status.phase=Active")
        .await
        .contains(&"demo".to_owned()));
    assert!(select(namespaces, "status.phase=Terminating")
        .await
        .is_empty());
    let secrets = collection(secrets);
    assert_eq!(select(secrets, "type=kubernetes.io/tls").await, ["cert"]);
    let jobs = collection(jobs);
    assert_eq!(select(jobs.clone(), "status.successful=1").await, ["done"]);
    assert_eq!(select(jobs, "status.successful=0").await, ["running"]);
    // An Event's `source` is its source's component, else its reporting component.
    let events = collection(events);
    assert_eq!(
        select(events.clone(), "source=default-scheduler").await,
        ["scheduled"]
    );
    assert_eq!(select(events.clone(), "source=kubelet").await, ["pulled"]);
    assert_eq!(
        select(events, "involvedObject.kind=Pod,reason=Pulled").await,
        ["pulled"]
    );
    let v1_events = collection(def("events.k8s.io/v1", "Event"));
    assert_eq!(
        select(v1_events, "reportingController=kubelet").await,
        ["pulled"]
    );
}

#[tokio::test]
async fn unsupported_labels_are_a_bad_request_on_every_read_path() {
    let (addr, _) = start().await;
    let not_known = |label: &str| {
        format!("\"{label}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")
    };
    let cases = [
        (
            def("v1", "Pod"),
            "spec.foo=x",
            "field label not supported: spec.foo".to_owned(),
        ),
        // Terms are checked in sorted order: `metadata.uid` before `spec.foo`.
        (
            def("v1", "Pod"),
            "status.phase=Running,spec.foo=x,metadata.uid=1",
            "field label not supported: metadata.uid".to_owned(),
        ),
        (
            def("v1", "Node"),
            "metadata.namespace=demo",
            "field label not supported: metadata.namespace".to_owned(),
        ),
        (
            def("events.k8s.io/v1", "Event"),
            "involvedObject.name=x",
            "field label not supported: involvedObject.name".to_owned(),
        ),
        (
            def("batch/v1", "Job"),
            "status.succeeded=1",
            "field label \"status.succeeded\" not supported for batchv1.Job".to_owned(),
        ),
        (
            def("apps/v1", "ReplicaSet"),
            "status.replicas=0",
            not_known("status.replicas"),
        ),
        (def("v1", "ConfigMap"), "data.x=y", not_known("data.x")),
        (
            def("kustomize.toolkit.fluxcd.io/v1", "Kustomization"),
            "status.phase=Ready",
            "field label not supported: status.phase".to_owned(),
        ),
    ];
    for (def, selector, message) in cases {
        let expected = bad_request(&message);
        let base = format!("{}?fieldSelector={}", collection(def), encode(selector));
        let streaming =
            "&watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true";
        let requests = [
            ("GET", base.clone(), None),
            ("GET", base.clone(), Some(TABLE)),
            ("GET", format!("{base}&watch=true"), None),
            ("GET", format!("{base}&watch=true"), Some(TABLE)),
            ("GET", format!("{base}{streaming}"), None),
        ];
        for (method, path, accept) in requests {
            let headers: Vec<(&str, &str)> = accept.map(|a| ("Accept", a)).into_iter().collect();
            let a = call(&addr, method, &path, &headers).await;
            assert_eq!(
                (a.status, a.json()),
                (400, expected.clone()),
                "{path} {accept:?}"
            );
            assert_eq!(a.header("content-type"), Some("application/json"), "{path}");
        }
    }
}

#[tokio::test]
async fn objects_written_without_defaulted_fields_are_selected_by_their_defaults() {
    let (addr, cluster) = start().await;
    let create = |kind: &str, name: &str, spec: Value| {
        let obj = json!({ "metadata": { "name": name }, "spec": spec });
        cluster.create(def("v1", kind), "demo", obj).unwrap();
    };
    create(
        "Pod",
        "bare-pod",
        json!({ "containers": [{ "name": "c", "image": "i" }] }),
    );
    create("Secret", "bare-secret", Value::Null);
    create(
        "Service",
        "bare-service",
        json!({ "ports": [{ "port": 80 }] }),
    );
    // An update that drops a defaulted field gets the default again, as on a real server.
    let dropped = json!({ "spec": { "restartPolicy": null, "schedulerName": null } });
    cluster
        .patch(def("v1", "Pod"), "demo", "bare-pod", &dropped)
        .unwrap();
    for (plural, selector, name) in [
        ("pods", "spec.restartPolicy=Always,spec.schedulerName=default-scheduler,spec.serviceAccountName=default", "bare-pod"),
        ("secrets", "type=Opaque", "bare-secret"),
        ("services", "spec.type=ClusterIP", "bare-service"),
    ] {
        let path = format!("/k8s-proxy/api/v1/namespaces/demo/{plural}?fieldSelector={}", encode(selector));
        let a = call(&addr, "GET", &path, &[]).await;
        assert!(names(&a).contains(&name.to_owned()), "{selector}: {}", a.body);
    }
}

#[tokio::test]
async fn invalid_list_options_are_answered_before_field_labels_are_converted() {
    let (addr, _) = start().await;
    let pods = "/k8s-proxy/api/v1/pods?fieldSelector=spec.foo%3Dx";
    // A resourceVersionMatch without a resourceVersion, and a streaming list without
    // NotOlderThan: 422 Invalid, as the server validates ListOptions first.
    for query in [
        "&resourceVersionMatch=Exact",
        "&watch=true&sendInitialEvents=true&allowWatchBookmarks=true",
    ] {
        let a = call(&addr, "GET", &format!("{pods}{query}"), &[]).await;
        assert_eq!(a.status, 422, "{query}: {}", a.body);
        assert_eq!(a.json()["reason"], "Invalid", "{query}");
    }
    // A malformed selector is a parameter error: 400 before any validation.
    let a = call(
        &addr,
        "GET",
        "/k8s-proxy/api/v1/pods?fieldSelector=a%3Db%3Dc&resourceVersionMatch=Exact",
        &[],
    )
    .await;
    assert_eq!(
        (a.status, a.json()),
        (
            400,
            bad_request("invalid field selector: unescaped character in value: =")
        )
    );
}

#[tokio::test]
async fn a_refused_selector_deletes_nothing() {
    let (addr, cluster) = start().await;
    let pods = def("v1", "Pod");
    let before = cluster.list_values(pods, Some("demo"), |_| true).len();
    let path = "/k8s-proxy/api/v1/namespaces/demo/pods?fieldSelector=spec.foo%3Dx";
    let a = call(&addr, "DELETE", path, &[]).await;
    assert_eq!(
        (a.status, a.json()),
        (400, bad_request("field label not supported: spec.foo"))
    );
    assert_eq!(
        cluster.list_values(pods, Some("demo"), |_| true).len(),
        before
    );
}

#[tokio::test]
async fn a_custom_resource_selects_on_the_fields_its_definition_declares() {
    let (addr, cluster) = start().await;
    let (v1, v1beta1) = (
        def("example.com/v1", "Widget"),
        def("example.com/v1beta1", "Widget"),
    );
    let path = format!("{}?fieldSelector=spec.color%3Dred", collection(v1));
    let undeclared = call(&addr, "GET", &path, &[]).await;
    assert_eq!(
        (undeclared.status, undeclared.json()),
        (400, bad_request("field label not supported: spec.color"))
    );
    // Declared for v1 only, as `selectableFields` are per version.
    let crds = def("apiextensions.k8s.io/v1", "CustomResourceDefinition");
    let crd = cluster.get(crds, "", "widgets.example.com").unwrap();
    let mut versions = crd["spec"]["versions"].clone();
    for version in versions.as_array_mut().unwrap() {
        if version["name"] == "v1" {
            version["selectableFields"] =
                json!([{ "jsonPath": ".spec.color" }, { "jsonPath": ".spec.size" }]);
        }
    }
    let patch = json!({ "spec": { "versions": versions } });
    cluster
        .patch(crds, "", "widgets.example.com", &patch)
        .unwrap();
    for (name, color, size) in [
        ("red-s", "red", 1),
        ("red-l", "red", 3),
        ("blue-l", "blue", 3),
    ] {
        let widget =
            json!({ "metadata": { "name": name }, "spec": { "color": color, "size": size } });
        cluster.create(v1, "demo", widget).unwrap();
    }
    let select = |selector: &str| {
        let url = format!("{}?fieldSelector={}", collection(v1), encode(selector));
        let addr = addr.clone();
        async move { names(&call(&addr, "GET", &url, &[]).await) }
    };
    assert_eq!(select("spec.color=red").await, ["red-l", "red-s"]);
    assert_eq!(select("spec.color!=red,spec.size=3").await, ["blue-l"]);
    let path = format!("{}?fieldSelector=spec.color%3Dred", collection(v1beta1));
    let other_version = call(&addr, "GET", &path, &[]).await;
    assert_eq!(
        (other_version.status, other_version.json()),
        (400, bad_request("field label not supported: spec.color"))
    );
}
