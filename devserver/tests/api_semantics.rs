//! The simulated API answers as a real 1.33 kube-apiserver does: validation (422 `Invalid`),
//! missing namespaces, patch formats (strategic merge, server-side apply, malformed bodies),
//! deletes, lists at an exact resourceVersion, watch timeouts, discovery (plain and aggregated),
//! subresources (eviction, scale, finalize), a kind served in two versions, label selectors.

mod common;

use common::{call, call_with_body, seeded, serve, Answer};
use lookout_devserver::cluster::Cluster;
use lookout_devserver::demo::Demo;
use lookout_devserver::resources;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
const API: &str = "/k8s-proxy/api/v1/namespaces/demo";

/// The living demo (paused) behind a server; its address and cluster.
async fn start() -> (String, Arc<Cluster>) {
    let (cluster, state) = seeded(50);
    let demo = Demo::new(cluster.clone(), 1);
    demo.start();
    demo.set_paused(true);
    (serve(state).await, cluster)
}

async fn send(addr: &str, method: &str, path: &str, content_type: &str, body: &str) -> Answer {
    call_with_body(addr, method, path, &[("Content-Type", content_type)], body).await
}

/// Reads a raw HTTP/1.1 watch response until `n` events have arrived (chunk sizes skipped).
async fn read_events(stream: &mut tokio::net::TcpStream, n: usize) -> Vec<Value> {
    let mut seen = String::new();
    let mut buf = [0u8; 65536];
    loop {
        let events: Vec<Value> = seen
            .split('\n')
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|e| e.get("type").is_some())
            .collect();
        if events.len() >= n {
            return events;
        }
        let read = tokio::time::timeout(Duration::from_secs(3), stream.read(&mut buf));
        let got = read.await.expect("events in time").unwrap();
        assert!(got > 0, "the watch ended: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..got]));
    }
}

/// Asserts a refusal: its code and the `Status` message.
fn refused(a: &Answer, code: u16, message: &str) {
    assert_eq!(
        (a.status, a.json()["message"].as_str()),
        (code, Some(message)),
        "{}",
        a.body
    );
}

fn fixture(name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(format!("{FIXTURES}{name}")).unwrap()).unwrap()
}

#[tokio::test]
async fn invalid_objects_names_and_missing_namespaces_are_refused() {
    let (addr, _) = start().await;
    let a = send(
        &addr,
        "POST",
        &format!("{API}/pods"),
        "application/json",
        r#"{"metadata":{"name":"x"},"spec":{}}"#,
    )
    .await;
    let status = a.json();
    assert_eq!(
        (a.status, status["reason"].as_str()),
        (422, Some("Invalid"))
    );
    assert_eq!(
        status["message"],
        "Pod \"x\" is invalid: spec.containers: Required value"
    );
    assert_eq!(
        status["details"],
        json!({ "name": "x", "kind": "Pod", "causes": [{ "reason": "FieldValueRequired", "message": "Required value", "field": "spec.containers" }] })
    );

    let a = send(
        &addr,
        "POST",
        &format!("{API}/configmaps"),
        "application/json",
        r#"{"metadata":{"name":"Bad_Name"}}"#,
    )
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(a.json(), fixture("f-422-invalid.body"));

    let a = send(
        &addr,
        "POST",
        "/k8s-proxy/api/v1/namespaces/nope/configmaps",
        "application/json",
        r#"{"metadata":{"name":"fine"}}"#,
    )
    .await;
    assert_eq!(a.status, 404);
    assert_eq!(
        a.json(),
        json!({ "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": "namespaces \"nope\" not found", "reason": "NotFound",
                "details": { "name": "nope", "kind": "namespaces" }, "code": 404 })
    );

    let a = send(
        &addr,
        "POST",
        "/k8s-proxy/api/v1/pods",
        "application/json",
        "{}",
    )
    .await;
    assert_eq!(
        (a.status, a.json()["reason"].as_str()),
        (405, Some("MethodNotAllowed"))
    );

    // Malformed parts are a clear 400 (a patch: 422), never a dropped connection.
    for body in [
        r#"{"metadata":{"name":"s"},"spec":{"containers":[{"name":"c","image":"i"}]},"status":"x"}"#,
        r#"{"metadata":"x"}"#,
        r#"[1]"#,
    ] {
        let a = send(
            &addr,
            "POST",
            &format!("{API}/pods"),
            "application/json",
            body,
        )
        .await;
        assert_eq!(a.status, 400, "{body}");
        assert_eq!(a.json()["kind"], "Status", "{body}");
    }
    let ns = r#"{"metadata":{"name":"odd"},"status":"x"}"#;
    let a = send(
        &addr,
        "POST",
        "/k8s-proxy/api/v1/namespaces",
        "application/json",
        ns,
    )
    .await;
    assert_eq!(a.status, 400);
    let pod = format!("{API}/pods/cache-0");
    let a = send(
        &addr,
        "PATCH",
        &pod,
        "application/merge-patch+json",
        r#"{"spec":"x"}"#,
    )
    .await;
    assert_eq!(a.status, 422);

    // Owner references must be complete (the demo's carry the owner's uid).
    let orphan = r#"{"metadata":{"name":"o","ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs"}]},"spec":{"containers":[{"name":"c","image":"i"}]}}"#;
    let a = send(
        &addr,
        "POST",
        &format!("{API}/pods"),
        "application/json",
        orphan,
    )
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(
        a.json()["details"]["causes"][0]["field"],
        "metadata.ownerReferences.uid"
    );
    let pod = call(
        &addr,
        "GET",
        &format!("{API}/pods/web-7d9f8c6b5-abcde"),
        &[],
    )
    .await
    .json();
    let owner = &pod["metadata"]["ownerReferences"][0];
    let rs = call(
        &addr,
        "GET",
        "/k8s-proxy/apis/apps/v1/namespaces/demo/replicasets/web-7d9f8c6b5",
        &[],
    )
    .await
    .json();
    assert_eq!(owner["uid"], rs["metadata"]["uid"]);
}

#[tokio::test]
async fn merge_patches_that_are_not_objects_are_refused_and_null_changes_nothing() {
    let (addr, _) = start().await;
    let path = format!("{API}/configmaps/web-config");
    let before = call(&addr, "GET", &path, &[]).await.json();
    for body in ["[]", "\"x\"", "42"] {
        let a = send(&addr, "PATCH", &path, "application/merge-patch+json", body).await;
        assert_eq!(
            (a.status, a.json()["kind"].as_str()),
            (400, Some("Status")),
            "{body}"
        );
    }
    let a = send(
        &addr,
        "PATCH",
        &path,
        "application/merge-patch+json",
        "null",
    )
    .await;
    assert_eq!((a.status, a.json()), (200, before.clone()));
    let a = send(
        &addr,
        "PATCH",
        &path,
        "application/json-patch+json",
        r#"[{"op":"replace","path":"/metadata","value":"x"}]"#,
    )
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(call(&addr, "GET", &path, &[]).await.json(), before);
}

#[tokio::test]
async fn json_patches_apply_in_order_or_not_at_all() {
    let (addr, _) = start().await;
    let path = format!("{API}/configmaps/web-config");
    let before = call(&addr, "GET", &path, &[]).await.json();
    // A body that is no list of operations is a bad request; an operation that cannot apply (an
    // unknown op, a failed `test`, a missing path) makes the patch invalid, as the API server
    // decodes any list of objects first and fails in applying it; the earlier ones are undone.
    for (body, code) in [
        (r#"{"op":"add","path":"/data/x","value":"1"}"#, 400),
        (r#"[{"op":"add","path":"/data/x","value":"1"}, 7]"#, 400),
        (r#"[{"op":"jump","path":"/data/x"}]"#, 422),
        (
            r#"[{"op":"add","path":"/data/x","value":"1"},{"op":"test","path":"/data/LOG_LEVEL","value":"debug"}]"#,
            422,
        ),
        (
            r#"[{"op":"add","path":"/data/x","value":"1"},{"op":"remove","path":"/data/missing"}]"#,
            422,
        ),
    ] {
        let a = send(&addr, "PATCH", &path, "application/json-patch+json", body).await;
        assert_eq!(
            (a.status, a.json()["kind"].as_str()),
            (code, Some("Status")),
            "{body}: {}",
            a.body
        );
        assert_eq!(
            call(&addr, "GET", &path, &[]).await.json(),
            before,
            "{body}"
        );
    }
    let ops = r#"[{"op":"test","path":"/data/LOG_LEVEL","value":"info"},{"op":"add","path":"/metadata/annotations","value":{}},{"op":"add","path":"/metadata/annotations/a~1b","value":"1"},{"op":"move","from":"/data/LOG_LEVEL","path":"/data/level"},{"op":"copy","from":"/data/level","path":"/data/copy"}]"#;
    let a = send(&addr, "PATCH", &path, "application/json-patch+json", ops).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let now = a.json();
    assert_eq!(now["metadata"]["annotations"]["a/b"], "1");
    assert_eq!(now["data"], json!({ "level": "info", "copy": "info" }));
}

#[tokio::test]
async fn strategic_merge_patches_merge_lists_by_key_and_custom_resources_refuse_them() {
    let (addr, _) = start().await;
    let path = format!("{API}/pods/web-7d9f8c6b5-abcde");
    let patch = r#"{"spec":{"containers":[{"name":"web","image":"web:2","env":[{"name":"A","value":"1"}]}]},"metadata":{"finalizers":["example.com/x"]}}"#;
    let a = send(
        &addr,
        "PATCH",
        &path,
        "application/strategic-merge-patch+json",
        patch,
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let containers = &a.json()["spec"]["containers"];
    assert_eq!(
        containers.as_array().unwrap().len(),
        2,
        "envoy kept: {containers}"
    );
    assert_eq!(containers[0]["image"], "web:2");
    assert_eq!(containers[0]["env"][0]["name"], "A");
    assert_eq!(containers[1]["name"], "envoy");
    let delete = r#"{"spec":{"containers":[{"name":"envoy","$patch":"delete"}]}}"#;
    let a = send(
        &addr,
        "PATCH",
        &path,
        "application/strategic-merge-patch+json",
        delete,
    )
    .await;
    assert_eq!(a.json()["spec"]["containers"].as_array().unwrap().len(), 1);

    let ks =
        "/k8s-proxy/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps";
    let a = send(
        &addr,
        "PATCH",
        ks,
        "application/strategic-merge-patch+json",
        r#"{"spec":{"suspend":true}}"#,
    )
    .await;
    refused(&a, 415, "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
}

#[tokio::test]
async fn server_side_apply_needs_a_field_manager_then_creates_or_merges() {
    let (addr, _) = start().await;
    let path = format!("{API}/configmaps/applied");
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  a: \"1\"\n";
    let a = send(&addr, "PATCH", &path, "application/apply-patch+yaml", yaml).await;
    assert_eq!(a.status, 422);
    assert!(a.json()["message"]
        .as_str()
        .unwrap()
        .contains("fieldManager: Required value"));
    let with_manager = format!("{path}?fieldManager=test");
    let a = send(
        &addr,
        "PATCH",
        &with_manager,
        "application/apply-patch+yaml",
        yaml,
    )
    .await;
    assert_eq!((a.status, a.json()["data"]["a"].as_str()), (201, Some("1")));
    let again = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  b: \"2\"\n";
    let a = send(
        &addr,
        "PATCH",
        &with_manager,
        "application/apply-patch+yaml",
        again,
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["data"], json!({ "a": "1", "b": "2" }));
}

#[tokio::test]
async fn updates_need_the_current_resource_version() {
    let (addr, _) = start().await;
    let path = format!("{API}/configmaps/web-config");
    let mut cm = call(&addr, "GET", &path, &[]).await.json();
    cm["data"]["LOG_LEVEL"] = json!("debug");
    let a = send(&addr, "PUT", &path, "application/json", &cm.to_string()).await;
    assert_eq!(
        (a.status, a.json()["data"]["LOG_LEVEL"].as_str()),
        (200, Some("debug"))
    );
    let a = send(&addr, "PUT", &path, "application/json", &cm.to_string()).await;
    assert_eq!(
        (a.status, a.json()["reason"].as_str()),
        (409, Some("Conflict"))
    );
    assert_eq!(
        a.json()["message"],
        "Operation cannot be fulfilled on configmaps \"web-config\": the object has been modified; please apply your changes to the latest version and try again"
    );
}

#[tokio::test]
async fn deletes_answer_as_the_real_server_does() {
    let (addr, cluster) = start().await;
    let a = call(
        &addr,
        "DELETE",
        &format!("{API}/configmaps/web-config"),
        &[],
    )
    .await;
    let status = a.json();
    assert_eq!(
        (a.status, status["kind"].as_str(), status["status"].as_str()),
        (200, Some("Status"), Some("Success"))
    );
    assert_eq!(
        (
            status["details"]["name"].as_str(),
            status["details"]["kind"].as_str()
        ),
        (Some("web-config"), Some("configmaps"))
    );
    assert!(status["details"]["uid"].is_string());
    let a = call(
        &addr,
        "DELETE",
        "/k8s-proxy/apis/apps/v1/namespaces/demo/deployments/worker",
        &[],
    )
    .await;
    assert_eq!(a.json()["details"]["group"], "apps");

    // A grace-0 delete: MODIFIED (deletionTimestamp) then DELETED, as b-watch-pods records it.
    let rv = cluster.resource_version();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let watch = format!("GET {API}/pods?watch=true&resourceVersion={rv}&timeoutSeconds=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    stream.write_all(watch.as_bytes()).await.unwrap();
    let a = call(
        &addr,
        "DELETE",
        &format!("{API}/pods/web-7d9f8c6b5-abcde?gracePeriodSeconds=0"),
        &[],
    )
    .await;
    assert_eq!(
        (a.status, a.json()["kind"].as_str()),
        (200, Some("Pod")),
        "pods answer with the pod"
    );
    let events = read_events(&mut stream, 2).await;
    let kinds: Vec<(&str, bool)> = events
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap(),
                e["object"]["metadata"]["deletionTimestamp"].is_string(),
            )
        })
        .collect();
    assert_eq!(kinds, [("MODIFIED", true), ("DELETED", true)]);
    assert_eq!(
        events[0]["object"]["metadata"]["deletionGracePeriodSeconds"],
        0
    );
}

#[tokio::test]
async fn a_watch_with_timeout_zero_runs_for_the_server_default() {
    let (addr, cluster) = start().await;
    let rv = cluster.resource_version();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let watch = format!("GET {API}/configmaps?watch=true&resourceVersion={rv}&timeoutSeconds=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    stream.write_all(watch.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let cms = resources::by_kind("v1", "ConfigMap").unwrap();
    cluster
        .create(cms, "demo", json!({ "metadata": { "name": "later" } }))
        .unwrap();
    let events = read_events(&mut stream, 1).await;
    assert_eq!(events[0]["type"], "ADDED");
}

#[tokio::test]
async fn lists_honour_resource_version_match() {
    let (addr, cluster) = start().await;
    let rv = cluster.resource_version();
    let pods = format!("{API}/pods");
    let a = call(
        &addr,
        "GET",
        &format!("{pods}?resourceVersion={rv}&resourceVersionMatch=Exact"),
        &[],
    )
    .await;
    assert_eq!(
        (a.status, a.json()["metadata"]["resourceVersion"].as_str()),
        (200, Some(rv.to_string().as_str()))
    );
    let before = a.json()["items"].as_array().unwrap().len();
    let pod = resources::by_kind("v1", "Pod").unwrap();
    cluster.delete(pod, "demo", "cache-0", None).unwrap();
    let a = call(
        &addr,
        "GET",
        &format!("{pods}?resourceVersion={rv}&resourceVersionMatch=Exact"),
        &[],
    )
    .await;
    assert_eq!(
        a.json()["items"].as_array().unwrap().len(),
        before,
        "the list as it was at {rv}"
    );
    let a = call(
        &addr,
        "GET",
        &format!("{pods}?resourceVersion={rv}&resourceVersionMatch=NotOlderThan"),
        &[],
    )
    .await;
    assert_eq!(a.json()["items"].as_array().unwrap().len(), before - 1);

    cluster.compact();
    let a = call(
        &addr,
        "GET",
        &format!("{pods}?resourceVersion={rv}&resourceVersionMatch=Exact"),
        &[],
    )
    .await;
    assert_eq!(a.status, 410);
    assert_eq!(a.json(), fixture("c-list-exact-compacted.body"));
    let a = call(
        &addr,
        "GET",
        &format!("{pods}?resourceVersionMatch=Exact"),
        &[],
    )
    .await;
    assert_eq!(a.status, 422);
}

#[tokio::test]
async fn discovery_matches_a_real_server() {
    let (addr, _) = start().await;
    let version = call(&addr, "GET", "/k8s-proxy/version", &[]).await.json();
    assert!(version["gitVersion"]
        .as_str()
        .unwrap()
        .starts_with("v1.33."));
    assert_eq!(
        (version["major"].as_str(), version["minor"].as_str()),
        (Some("1"), Some("33"))
    );

    let core = call(&addr, "GET", "/k8s-proxy/api/v1", &[]).await.json();
    let find = |list: &Value, name: &str| -> Value {
        list["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let pods = find(&core, "pods");
    assert_eq!(pods["shortNames"], json!(["po"]));
    assert_eq!(pods["categories"], json!(["all"]));
    assert_eq!(pods["singularName"], "pod");
    assert_eq!(
        pods["verbs"],
        json!([
            "create",
            "delete",
            "deletecollection",
            "get",
            "list",
            "patch",
            "update",
            "watch"
        ])
    );
    assert_eq!(find(&core, "pods/log")["verbs"], json!(["get"]));
    assert_eq!(find(&core, "pods/eviction")["verbs"], json!(["create"]));
    assert_eq!(find(&core, "pods/eviction")["group"], "policy");
    assert_eq!(
        find(&core, "pods/status")["verbs"],
        json!(["get", "patch", "update"])
    );
    for none in ["configmaps/status", "secrets/status", "events/status"] {
        assert!(find(&core, none).is_null(), "{none}");
    }
    assert!(
        !find(&core, "namespaces/status").is_null()
            && !find(&core, "namespaces/finalize").is_null()
    );
    assert_eq!(find(&core, "secrets")["shortNames"], Value::Null);
    let apps = call(&addr, "GET", "/k8s-proxy/apis/apps/v1", &[])
        .await
        .json();
    assert_eq!(find(&apps, "deployments/scale")["kind"], "Scale");

    let widgets = call(&addr, "GET", "/k8s-proxy/apis/example.com", &[])
        .await
        .json();
    assert_eq!(widgets["preferredVersion"]["version"], "v1");
    assert_eq!(widgets["versions"].as_array().unwrap().len(), 2);

    let v2 =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
    let a = call(&addr, "GET", "/k8s-proxy/apis", &[("Accept", v2)]).await;
    assert_eq!(
        a.header("content-type"),
        Some("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
    );
    let doc = a.json();
    assert_eq!(
        (doc["kind"].as_str(), doc["apiVersion"].as_str()),
        (
            Some("APIGroupDiscoveryList"),
            Some("apidiscovery.k8s.io/v2")
        )
    );
    let group = |name: &str| {
        doc["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["metadata"]["name"] == name)
            .cloned()
            .unwrap()
    };
    let example = group("example.com");
    let versions: Vec<&str> = example["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["v1", "v1beta1"], "preferred first");
    let ks = &group("kustomize.toolkit.fluxcd.io")["versions"][0]["resources"][0];
    assert_eq!(
        (
            ks["resource"].as_str(),
            ks["scope"].as_str(),
            ks["singularResource"].as_str(),
            ks["responseKind"]["kind"].as_str()
        ),
        (
            Some("kustomizations"),
            Some("Namespaced"),
            Some("kustomization"),
            Some("Kustomization")
        )
    );
    assert_eq!(ks["shortNames"], json!(["ks"]));
    assert_eq!(ks["subresources"][0]["subresource"], "status");
    let deploy = group("apps")["versions"][0]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["resource"] == "deployments")
        .cloned()
        .unwrap();
    assert_eq!(deploy["categories"], json!(["all"]));
    assert_eq!(
        deploy["subresources"][0]["responseKind"],
        json!({ "group": "autoscaling", "version": "v1", "kind": "Scale" })
    );

    let core = call(&addr, "GET", "/k8s-proxy/api", &[("Accept", v2)])
        .await
        .json();
    let items = core["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert!(items[0]["metadata"].get("name").is_none());
    let ns = items[0]["versions"][0]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["resource"] == "namespaces")
        .cloned()
        .unwrap();
    assert_eq!(ns["scope"], "Cluster");
    // Without the aggregated media type: the plain documents.
    assert_eq!(
        call(&addr, "GET", "/k8s-proxy/api", &[]).await.json()["kind"],
        "APIVersions"
    );
}

#[tokio::test]
async fn custom_resource_definitions_describe_every_custom_kind_and_are_established() {
    let (addr, _) = start().await;
    let crds = call(
        &addr,
        "GET",
        "/k8s-proxy/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
        &[],
    )
    .await
    .json();
    let items = crds["items"].as_array().unwrap();
    let names: Vec<&str> = items
        .iter()
        .map(|c| c["metadata"]["name"].as_str().unwrap())
        .collect();
    for name in [
        "kustomizations.kustomize.toolkit.fluxcd.io",
        "helmreleases.helm.toolkit.fluxcd.io",
        "widgets.example.com",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let widget = items
        .iter()
        .find(|c| c["metadata"]["name"] == "widgets.example.com")
        .unwrap();
    let versions: Vec<(&str, bool)> = widget["spec"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["name"].as_str().unwrap(), v["storage"].as_bool().unwrap()))
        .collect();
    assert_eq!(versions, [("v1", true), ("v1beta1", false)]);
    for crd in items {
        let status = lookout_client::status::kstatus::compute(crd, 0).unwrap();
        assert_eq!(
            status.status,
            lookout_client::status::kstatus::Status::Current,
            "{}",
            crd["metadata"]["name"]
        );
    }
}

#[tokio::test]
async fn a_kind_served_in_two_versions_is_one_set_of_objects() {
    let (addr, _) = start().await;
    let names = |doc: &Value, version: &str| -> Vec<String> {
        doc["items"]
            .as_array()
            .unwrap()
            .iter()
            .inspect(|w| assert_eq!(w["apiVersion"], format!("example.com/{version}")))
            .map(|w| w["metadata"]["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let v1 = call(
        &addr,
        "GET",
        "/k8s-proxy/apis/example.com/v1/namespaces/demo/widgets",
        &[],
    )
    .await
    .json();
    let beta = call(
        &addr,
        "GET",
        "/k8s-proxy/apis/example.com/v1beta1/namespaces/demo/widgets",
        &[],
    )
    .await
    .json();
    assert_eq!(names(&v1, "v1"), names(&beta, "v1beta1"));
    assert_eq!(names(&v1, "v1").len(), 3);
    let one = call(
        &addr,
        "GET",
        "/k8s-proxy/apis/example.com/v1/namespaces/demo/widgets/sprocket",
        &[],
    )
    .await
    .json();
    assert_eq!(one["apiVersion"], "example.com/v1");
}

#[tokio::test]
async fn eviction_and_scale_subresources() {
    let (addr, cluster) = start().await;
    let eviction = r#"{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"api-5c8d7b9f4-klmno","namespace":"demo"}}"#;
    let a = send(
        &addr,
        "POST",
        &format!("{API}/pods/api-5c8d7b9f4-klmno/eviction"),
        "application/json",
        eviction,
    )
    .await;
    assert_eq!(
        (a.status, a.json()["status"].as_str()),
        (201, Some("Success"))
    );
    let pod = cluster
        .get(
            resources::by_kind("v1", "Pod").unwrap(),
            "demo",
            "api-5c8d7b9f4-klmno",
        )
        .unwrap();
    assert!(
        pod["metadata"]["deletionTimestamp"].is_string(),
        "evicted pods terminate"
    );

    let scale = "/k8s-proxy/apis/apps/v1/namespaces/demo/deployments/web/scale";
    let a = call(&addr, "GET", scale, &[]).await.json();
    assert_eq!(
        (
            a["kind"].as_str(),
            a["spec"]["replicas"].as_u64(),
            a["status"]["selector"].as_str()
        ),
        (Some("Scale"), Some(2), Some("app=web"))
    );
    let a = send(
        &addr,
        "PATCH",
        scale,
        "application/merge-patch+json",
        r#"{"spec":{"replicas":3}}"#,
    )
    .await;
    assert_eq!(a.json()["spec"]["replicas"], 3);
    let d = cluster
        .get(
            resources::by_kind("apps/v1", "Deployment").unwrap(),
            "demo",
            "web",
        )
        .unwrap();
    assert_eq!(d["spec"]["replicas"], 3);
    assert_eq!(
        call(
            &addr,
            "GET",
            &format!("{API}/configmaps/web-config/scale"),
            &[]
        )
        .await
        .status,
        404
    );
}

#[tokio::test]
async fn set_based_label_selectors_select_pods_in_lists_watches_and_deletecollection() {
    let (addr, cluster) = start().await;
    let names = |a: Answer| -> Vec<String> {
        let mut n: Vec<String> = a.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["metadata"]["name"].as_str().unwrap().to_owned())
            .collect();
        n.sort();
        n
    };
    let list = |sel: &str| {
        format!(
            "{API}/pods?labelSelector={}",
            sel.replace(' ', "%20")
                .replace('(', "%28")
                .replace(')', "%29")
                .replace(',', "%2C")
                .replace('!', "%21")
        )
    };
    let a = names(call(&addr, "GET", &list("app in (api,worker)"), &[]).await);
    assert_eq!(a, ["api-5c8d7b9f4-klmno", "worker-6b7c8d9e0-pqrst"]);
    let a = names(call(&addr, "GET", &list("app notin (web,api,worker),app"), &[]).await);
    assert_eq!(a, ["cache-0", "migrate-28f3k"]);
    assert!(names(call(&addr, "GET", &list("!app"), &[]).await).is_empty());
    // The same selectors filter watches: a pod entering the set is ADDED, others are not seen.
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let rv = cluster.resource_version();
    let watch = list("app in (late),tier notin (db)");
    let request =
        format!("GET {watch}&watch=true&resourceVersion={rv} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let pod = |name: &str, labels: Value| json!({ "metadata": { "name": name, "labels": labels }, "spec": { "containers": [{ "name": "c", "image": "i" }] } });
    let pods = resources::by_kind("v1", "Pod").unwrap();
    cluster
        .create(
            pods,
            "demo",
            pod("db", json!({ "app": "late", "tier": "db" })),
        )
        .unwrap();
    cluster
        .create(
            pods,
            "demo",
            pod("front", json!({ "app": "late", "tier": "web" })),
        )
        .unwrap();
    let events = read_events(&mut stream, 1).await;
    assert_eq!(
        (
            events[0]["type"].as_str(),
            events[0]["object"]["metadata"]["name"].as_str()
        ),
        (Some("ADDED"), Some("front"))
    );
    // A pod leaving the set is DELETED with the content it last matched, at the change's
    // resourceVersion (the watch cache's convertToWatchEvent), not with the new labels.
    let moved = cluster
        .patch(
            pods,
            "demo",
            "front",
            &json!({ "metadata": { "labels": { "tier": "db" } } }),
        )
        .unwrap();
    let events = read_events(&mut stream, 1).await;
    let gone = &events[0];
    assert_eq!(gone["type"], "DELETED");
    assert_eq!(gone["object"]["metadata"]["labels"]["tier"], "web");
    assert_eq!(
        gone["object"]["metadata"]["resourceVersion"],
        moved["metadata"]["resourceVersion"]
    );
    let deleted = call(
        &addr,
        "DELETE",
        &format!("{API}/configmaps?labelSelector=app%3Dweb"),
        &[],
    )
    .await
    .json();
    assert_eq!(deleted["kind"], "ConfigMapList");
    assert_eq!(deleted["items"][0]["metadata"]["name"], "web-config");
    assert_eq!(
        call(&addr, "GET", &format!("{API}/configmaps/web-config"), &[])
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn list_items_are_shaped_as_a_real_servers() {
    let (addr, _) = start().await;
    let pods = call(&addr, "GET", &format!("{API}/pods"), &[]).await.json();
    let real = fixture("a-list-pods-app.body");
    let keys = |list: &Value| -> Vec<String> {
        let mut k: Vec<String> = list["items"][0]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        k.sort();
        k
    };
    assert_eq!(
        (pods["kind"].as_str(), pods["apiVersion"].as_str()),
        (Some("PodList"), Some("v1"))
    );
    assert_eq!(
        keys(&pods),
        keys(&real),
        "built-in items carry no kind or apiVersion"
    );
    let ks = "/k8s-proxy/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations";
    let ks = call(&addr, "GET", ks, &[]).await.json();
    assert_eq!(
        ks["items"][0]["kind"], "Kustomization",
        "custom resources keep them"
    );
}

#[tokio::test]
async fn a_deleted_namespace_terminates_its_objects_then_goes() {
    let (addr, cluster) = start().await;
    let a = call(&addr, "DELETE", "/k8s-proxy/api/v1/namespaces/demo", &[]).await;
    let ns = a.json();
    assert_eq!(
        (
            a.status,
            ns["kind"].as_str(),
            ns["status"]["phase"].as_str()
        ),
        (200, Some("Namespace"), Some("Terminating"))
    );
    let pods = call(&addr, "GET", &format!("{API}/pods"), &[]).await.json();
    assert_eq!(pods["items"].as_array().unwrap().len(), 0);
    assert_eq!(
        call(&addr, "GET", "/k8s-proxy/api/v1/namespaces/demo", &[])
            .await
            .status,
        404
    );

    // Objects kept by finalizers keep their namespace Terminating, closed to new content.
    let cms = resources::by_kind("v1", "ConfigMap").unwrap();
    cluster
        .create(
            cms,
            "default",
            json!({ "metadata": { "name": "kept", "finalizers": ["example.com/keep"] } }),
        )
        .unwrap();
    call(&addr, "DELETE", "/k8s-proxy/api/v1/namespaces/default", &[]).await;
    let a = send(
        &addr,
        "POST",
        "/k8s-proxy/api/v1/namespaces/default/configmaps",
        "application/json",
        r#"{"metadata":{"name":"new"}}"#,
    )
    .await;
    refused(&a, 403, "configmaps \"new\" is forbidden: unable to create new content in namespace default because it is being terminated");
}

#[tokio::test]
async fn updates_are_validated_too() {
    let (addr, _) = start().await;
    let path = format!("{API}/pods/web-7d9f8c6b5-abcde");
    let a = send(
        &addr,
        "PATCH",
        &path,
        "application/merge-patch+json",
        r#"{"spec":{"containers":null}}"#,
    )
    .await;
    refused(
        &a,
        422,
        "Pod \"web-7d9f8c6b5-abcde\" is invalid: spec.containers: Required value",
    );
    let a = send(
        &addr,
        "PATCH",
        &path,
        "application/json-patch+json",
        r#"[{"op":"remove","path":"/metadata/ownerReferences/0/uid"}]"#,
    )
    .await;
    assert_eq!(a.status, 422);
}

#[tokio::test]
async fn events_k8s_io_is_a_second_view_of_core_events() {
    let (addr, _) = start().await;
    let core = call(&addr, "GET", &format!("{API}/events"), &[])
        .await
        .json();
    let v1 = "/k8s-proxy/apis/events.k8s.io/v1/namespaces/demo/events";
    let view = call(&addr, "GET", v1, &[]).await.json();
    let names = |l: &Value| -> Vec<String> {
        l["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["metadata"]["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&core), names(&view));
    assert!(!names(&core).is_empty());
    let (c, e) = (&core["items"][0], &view["items"][0]);
    assert_eq!(c["metadata"]["uid"], e["metadata"]["uid"], "one object");
    assert_eq!(
        (e["note"].clone(), e["regarding"].clone()),
        (c["message"].clone(), c["involvedObject"].clone())
    );
    assert!(e["eventTime"].is_string());

    // Created through events.k8s.io, read through core.
    let body = json!({ "metadata": { "name": "via-v1" }, "eventTime": "2026-11-25T10:00:00.000000Z",
        "reportingController": "test", "reportingInstance": "test-1", "action": "Probe", "reason": "Probed",
        "note": "hello", "type": "Normal", "regarding": { "kind": "Pod", "name": "cache-0", "namespace": "demo" } });
    let a = send(&addr, "POST", v1, "application/json", &body.to_string()).await;
    assert_eq!((a.status, a.json()["note"].as_str()), (201, Some("hello")));
    let c = call(&addr, "GET", &format!("{API}/events/via-v1"), &[])
        .await
        .json();
    assert_eq!(
        (c["apiVersion"].as_str(), c["message"].as_str()),
        (Some("v1"), Some("hello"))
    );
    // The view's field labels select on the stored fields (regarding.* is involvedObject.*).
    let about = |selector: &str| {
        let url = format!("{v1}?fieldSelector={selector}");
        let addr = addr.clone();
        async move { names(&call(&addr, "GET", &url, &[]).await.json()) }
    };
    let cache = about("regarding.name%3Dcache-0").await;
    assert!(cache.contains(&"via-v1".to_owned()), "{cache:?}");
    assert_eq!(about("reportingController%3Dtest").await, ["via-v1"]);
    assert!(about("regarding.name%3Dnothing-here").await.is_empty());
    let a = send(
        &addr,
        "PATCH",
        &format!("{v1}/via-v1"),
        "application/merge-patch+json",
        r#"{"note":"changed"}"#,
    )
    .await;
    assert_eq!(a.json()["note"], "changed");
    assert_eq!(
        call(&addr, "GET", &format!("{API}/events/via-v1"), &[])
            .await
            .json()["message"],
        "changed"
    );
}

#[tokio::test]
async fn deleting_a_deployment_collects_its_replica_sets_and_pods() {
    let (addr, cluster) = start().await;
    call(
        &addr,
        "DELETE",
        "/k8s-proxy/apis/apps/v1/namespaces/demo/deployments/api",
        &[],
    )
    .await;
    let rs = "/k8s-proxy/apis/apps/v1/namespaces/demo/replicasets/api-5c8d7b9f4";
    assert_eq!(call(&addr, "GET", rs, &[]).await.status, 404);
    let pod = cluster
        .get(
            resources::by_kind("v1", "Pod").unwrap(),
            "demo",
            "api-5c8d7b9f4-klmno",
        )
        .unwrap();
    assert!(
        pod["metadata"]["deletionTimestamp"].is_string(),
        "its pod terminates"
    );
    let web = cluster.get(
        resources::by_kind("apps/v1", "ReplicaSet").unwrap(),
        "demo",
        "web-7d9f8c6b5",
    );
    assert!(web.is_ok(), "other workloads stay");
}

#[tokio::test]
async fn generate_name_gives_a_new_name_each_time() {
    let (addr, _) = start().await;
    let body = r#"{"metadata":{"generateName":"probe-"},"data":{}}"#;
    let a = send(
        &addr,
        "POST",
        &format!("{API}/configmaps"),
        "application/json",
        body,
    )
    .await;
    let b = send(
        &addr,
        "POST",
        &format!("{API}/configmaps"),
        "application/json",
        body,
    )
    .await;
    assert_eq!((a.status, b.status), (201, 201));
    let (a, b) = (
        a.json()["metadata"]["name"].clone(),
        b.json()["metadata"]["name"].clone(),
    );
    assert!(
        a.as_str().unwrap().starts_with("probe-") && a.as_str().unwrap().len() == 11,
        "{a}"
    );
    assert_ne!(a, b);
}

#[tokio::test]
async fn collection_deletes_need_a_namespace_and_some_kinds_answer_with_the_deleted_object() {
    let (addr, cluster) = start().await;
    for path in ["/k8s-proxy/api/v1/pods", "/k8s-proxy/api/v1/namespaces"] {
        let a = call(&addr, "DELETE", path, &[]).await;
        assert_eq!(
            (a.status, a.json()["reason"].as_str()),
            (405, Some("MethodNotAllowed")),
            "{path}"
        );
    }
    let pods = resources::by_kind("v1", "Pod").unwrap();
    assert!(cluster
        .get(pods, "kube-system", "coredns-5d78c9869d-x2x4q")
        .is_ok());
    // As the real registry's ReturnDeletedObject: the Service and the claim, not a Status.
    for (path, kind) in [
        (format!("{API}/services/web"), "Service"),
        (
            format!("{API}/persistentvolumeclaims/cache-data"),
            "PersistentVolumeClaim",
        ),
    ] {
        let a = call(&addr, "DELETE", &path, &[]).await;
        assert_eq!((a.status, a.json()["kind"].as_str()), (200, Some(kind)));
        assert_eq!(call(&addr, "GET", &path, &[]).await.status, 404);
    }
}

#[tokio::test]
async fn orphaned_dependents_stay_without_their_owner_reference() {
    let (addr, cluster) = start().await;
    let sets = "/k8s-proxy/apis/apps/v1/namespaces/demo";
    // Orphan by the query: the ReplicaSet's pod stays, no longer owned.
    let a = call(
        &addr,
        "DELETE",
        &format!("{sets}/replicasets/api-5c8d7b9f4?propagationPolicy=Orphan"),
        &[],
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let pod = call(
        &addr,
        "GET",
        &format!("{API}/pods/api-5c8d7b9f4-klmno"),
        &[],
    )
    .await
    .json();
    assert!(pod["metadata"]["deletionTimestamp"].is_null(), "{pod}");
    assert!(pod["metadata"]["ownerReferences"].is_null(), "{pod}");
    // Orphan by the DeleteOptions body: the Deployment's ReplicaSet stays.
    let a = call_with_body(
        &addr,
        "DELETE",
        &format!("{sets}/deployments/web"),
        &[("Content-Type", "application/json")],
        r#"{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Orphan"}"#,
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let rs = cluster
        .get(
            resources::by_kind("apps/v1", "ReplicaSet").unwrap(),
            "demo",
            "web-7d9f8c6b5",
        )
        .unwrap();
    assert!(rs["metadata"]["ownerReferences"].is_null(), "{rs}");
    // Foreground is accepted (served as Background); anything else is refused.
    let a = call(
        &addr,
        "DELETE",
        &format!("{sets}/deployments/worker?propagationPolicy=Foreground"),
        &[],
    )
    .await;
    assert_eq!(a.status, 200);
    let a = call(
        &addr,
        "DELETE",
        &format!("{API}/configmaps/web-config?propagationPolicy=Sideways"),
        &[],
    )
    .await;
    refused(
        &a,
        422,
        "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"Sideways\": supported values: \"Foreground\", \"Background\", \"Orphan\"",
    );
}

#[tokio::test]
async fn the_largest_grace_periods_are_accepted() {
    let (addr, _) = start().await;
    let a = call(
        &addr,
        "DELETE",
        &format!("{API}/pods/web-7d9f8c6b5-abcde?gracePeriodSeconds=9223372036854775807"),
        &[],
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let meta = &a.json()["metadata"];
    assert_eq!(meta["deletionTimestamp"], "9999-12-31T23:59:59Z");
    assert_eq!(meta["deletionGracePeriodSeconds"], i64::MAX);
    let a = call_with_body(
        &addr,
        "DELETE",
        &format!("{API}/pods/api-5c8d7b9f4-klmno"),
        &[("Content-Type", "application/json")],
        r#"{"gracePeriodSeconds":18446744073709551615}"#,
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let eviction = r#"{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"worker-6b7c8d9e0-pqrst"},"deleteOptions":{"gracePeriodSeconds":9223372036854775807}}"#;
    let a = send(
        &addr,
        "POST",
        &format!("{API}/pods/worker-6b7c8d9e0-pqrst/eviction"),
        "application/json",
        eviction,
    )
    .await;
    assert_eq!(a.status, 201, "{}", a.body);
}

#[tokio::test]
async fn patches_cannot_change_what_the_server_owns() {
    let (addr, _) = start().await;
    let path = format!("{API}/configmaps/web-config");
    let before = call(&addr, "GET", &path, &[]).await.json();
    let owned = r#"{"metadata":{"deletionTimestamp":"2020-01-01T00:00:00Z","deletionGracePeriodSeconds":0,"generation":9223372036854775807,"uid":"forged","creationTimestamp":"2000-01-01T00:00:00Z"},"data":{"LOG_LEVEL":"debug"}}"#;
    for (content_type, body) in [
        ("application/merge-patch+json", owned),
        ("application/strategic-merge-patch+json", owned),
        (
            "application/json-patch+json",
            r#"[{"op":"add","path":"/metadata/deletionTimestamp","value":"2020-01-01T00:00:00Z"},{"op":"replace","path":"/metadata/uid","value":"forged"}]"#,
        ),
    ] {
        let a = send(&addr, "PATCH", &path, content_type, body).await;
        assert_eq!(a.status, 200, "{content_type}: {}", a.body);
        let now = call(&addr, "GET", &path, &[]).await.json();
        for field in [
            "uid",
            "creationTimestamp",
            "generation",
            "deletionTimestamp",
        ] {
            assert_eq!(
                now["metadata"][field], before["metadata"][field],
                "{content_type}: {field}"
            );
        }
    }
    // A resourceVersion in a patch is a precondition.
    let stale = r#"{"metadata":{"resourceVersion":"1"},"data":{"LOG_LEVEL":"info"}}"#;
    let a = send(&addr, "PATCH", &path, "application/merge-patch+json", stale).await;
    assert_eq!(
        (a.status, a.json()["reason"].as_str()),
        (409, Some("Conflict"))
    );
    // The generation counts spec changes, whatever a patch says of it.
    let deploy = "/k8s-proxy/apis/apps/v1/namespaces/demo/deployments/web";
    let generation = call(&addr, "GET", deploy, &[]).await.json()["metadata"]["generation"].clone();
    let forged = r#"{"metadata":{"generation":9223372036854775807}}"#;
    send(
        &addr,
        "PATCH",
        deploy,
        "application/merge-patch+json",
        forged,
    )
    .await;
    let a = send(
        &addr,
        "PATCH",
        deploy,
        "application/merge-patch+json",
        r#"{"spec":{"minReadySeconds":5}}"#,
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(
        a.json()["metadata"]["generation"].as_i64(),
        generation.as_i64().map(|g| g + 1)
    );
}

/// Asserts a 422 whose message ends with `spec.replicas: Invalid value: <why>`.
fn invalid_replicas(a: &Answer, why: &str) {
    let message = a.json()["message"].as_str().unwrap_or("").to_owned();
    assert!(
        a.status == 422
            && message.ends_with(&format!(" is invalid: spec.replicas: Invalid value: {why}")),
        "{}",
        a.body
    );
}

#[tokio::test]
async fn replica_counts_are_int32_and_not_negative() {
    let (addr, _) = start().await;
    let scale = "/k8s-proxy/apis/apps/v1/namespaces/demo/deployments/web/scale";
    for (replicas, why) in [
        ("1000000000000", "must be less than or equal to 2147483647"),
        ("-1", "must be greater than or equal to 0"),
    ] {
        let body = format!(r#"{{"spec":{{"replicas":{replicas}}}}}"#);
        let a = send(&addr, "PATCH", scale, "application/merge-patch+json", &body).await;
        invalid_replicas(&a, &format!("{replicas}: {why}"));
    }
    let deploy = "/k8s-proxy/apis/apps/v1/namespaces/demo/deployments/web";
    let a = send(
        &addr,
        "PATCH",
        deploy,
        "application/merge-patch+json",
        r#"{"spec":{"replicas":2147483648}}"#,
    )
    .await;
    invalid_replicas(&a, "2147483648: must be less than or equal to 2147483647");
    let a = send(
        &addr,
        "PATCH",
        scale,
        "application/merge-patch+json",
        r#"{"spec":{"replicas":2147483647}}"#,
    )
    .await;
    assert_eq!(a.json()["spec"]["replicas"], 2147483647);
}

#[tokio::test]
async fn discovery_lists_the_access_reviews_and_the_apps_discovery_skips_them() {
    let (addr, _) = start().await;
    let reviews = call(&addr, "GET", "/k8s-proxy/apis/authorization.k8s.io/v1", &[])
        .await
        .json();
    assert_eq!(
        reviews["resources"],
        json!([
            { "name": "selfsubjectaccessreviews", "singularName": "selfsubjectaccessreview",
              "namespaced": false, "kind": "SelfSubjectAccessReview", "verbs": ["create"] },
            { "name": "selfsubjectrulesreviews", "singularName": "selfsubjectrulesreview",
              "namespaced": false, "kind": "SelfSubjectRulesReview", "verbs": ["create"] },
        ])
    );
    let groups = call(&addr, "GET", "/k8s-proxy/apis", &[]).await.json();
    assert!(groups["groups"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["name"] == "authorization.k8s.io"
            && g["preferredVersion"]["groupVersion"] == "authorization.k8s.io/v1"));
    let v2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    let aggregated = call(&addr, "GET", "/k8s-proxy/apis", &[("Accept", v2)])
        .await
        .json();
    let group = aggregated["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["metadata"]["name"] == "authorization.k8s.io")
        .cloned()
        .unwrap();
    let review = &group["versions"][0]["resources"][0];
    assert_eq!(
        (&review["resource"], &review["scope"], &review["verbs"]),
        (
            &json!("selfsubjectaccessreviews"),
            &json!("Cluster"),
            &json!(["create"])
        )
    );
    // What the app's generic pages list: kinds that can be listed, so no review.
    let conn = lookout_client::Connection::new(
        &format!("http://{addr}/k8s-proxy"),
        lookout_client::Auth::None,
    );
    let transport = lookout_client::api::transport::native::NativeTransport::default();
    let discovery = lookout_client::api::discovery::Discovery::fetch(&transport, &conn)
        .await
        .unwrap();
    assert!(discovery.resource("apps", "Deployment").is_some());
    assert!(discovery
        .resource("authorization.k8s.io", "SelfSubjectAccessReview")
        .is_none());
}

/// A number that is not one is a bad request, as the API server answers it, not silently "no
/// limit" or the default timeout.
#[tokio::test]
async fn malformed_numbers_in_a_query_are_bad_requests() {
    let (addr, _) = start().await;
    for query in ["limit=abc", "limit=-1", "watch=true&timeoutSeconds=soon"] {
        let answer = call(&addr, "GET", &format!("{API}/pods?{query}"), &[]).await;
        assert_eq!(answer.status, 400, "{query}");
        assert_eq!(answer.json()["reason"], "BadRequest", "{query}");
    }
    assert_eq!(
        call(&addr, "GET", &format!("{API}/pods?limit=2"), &[])
            .await
            .status,
        200
    );
}
