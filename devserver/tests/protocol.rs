//! The simulated cluster against the protocol facts (recorded real-apiserver answers) and against
//! `lookout-client`'s watcher, over real HTTP on loopback.

use futures_util::future::{select, Either};
use futures_util::{FutureExt, StreamExt};
use lookout_client::api::logs::{stream_logs, LogOptions};
use lookout_client::api::transport::native::NativeTransport;
use lookout_client::api::transport::Transport;
use lookout_client::{
    Auth, Connection, Method, ObjectKey, Pod, Selector, Store, TypedResource, Watcher,
    WatcherConfig, WatcherEvent,
};
use lookout_devserver::cluster::Cluster;
use lookout_devserver::resources;
use lookout_devserver::{router, seed, AppState};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::future::IntoFuture;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

async fn start() -> (Connection, Arc<Cluster>) {
    start_with(true).await
}

/// A seeded server; `watch_list` turns streaming lists on, as the WatchList feature gate does.
async fn start_with(watch_list: bool) -> (Connection, Arc<Cluster>) {
    let cluster = Cluster::new(1000);
    seed::seed(&cluster);
    let mut state = AppState::single(
        cluster.clone(),
        Duration::from_millis(300),
        Duration::from_millis(20),
    );
    state.watch_list = watch_list;
    (serve(state).await, cluster)
}

/// Serves `state` on a free port.
async fn serve(state: AppState) -> Connection {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(axum::serve(listener, router(state, PathBuf::from("/nonexistent"))).into_future());
    Connection::new(&format!("http://{addr}/k8s-proxy"), Auth::None)
}

fn pods() -> &'static resources::ResourceDef {
    resources::by_kind("v1", "Pod").unwrap()
}

fn new_pod(name: &str, labels: Value) -> Value {
    json!({ "metadata": { "name": name, "labels": labels }, "spec": { "containers": [{ "name": "main", "image": "busybox" }] },
            "status": { "phase": "Pending" } })
}

async fn get(conn: &Connection, path: &str) -> (u16, Vec<u8>) {
    let resp = NativeTransport::default()
        .send(conn.request(Method::Get, path))
        .await
        .unwrap();
    let status = resp.status;
    (status, resp.bytes().await.unwrap())
}

/// What a test's watcher has seen.
#[derive(Default)]
struct Seen {
    store: Store<Pod>,
    syncs: usize,
}

/// Runs a watcher on `selector` while `script` runs; returns what the script returns.
async fn with_watcher<F: std::future::Future<Output = ()>>(
    conn: &Connection,
    selector: Selector,
    script: impl FnOnce(Rc<RefCell<Seen>>) -> F,
) {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let config = WatcherConfig {
        page_size: 2,
        initial_backoff: Duration::from_millis(50),
        ..WatcherConfig::default()
    };
    let watcher = Watcher::<Pod>::new(
        conn.clone(),
        Rc::new(NativeTransport::default()),
        Pod::API,
        selector,
    )
    .with_config(config);
    let sink = seen.clone();
    let run = watcher.run(move |ev| {
        let mut s = sink.borrow_mut();
        if matches!(ev, WatcherEvent::Synced(_)) {
            s.syncs += 1;
        }
        s.store.apply(ev);
    });
    match select(run.boxed_local(), script(seen).boxed_local()).await {
        Either::Left(_) => panic!("the watcher stopped on its own"),
        Either::Right(_) => {}
    }
}

/// Waits (up to 5 s) until `cond` holds for what the watcher has seen.
async fn until(seen: &Rc<RefCell<Seen>>, what: &str, cond: impl Fn(&Seen) -> bool) {
    for _ in 0..500 {
        if cond(&seen.borrow()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting for: {what}");
}

fn has(s: &Seen, name: &str) -> bool {
    s.store
        .get(&ObjectKey {
            namespace: "demo".into(),
            name: name.into(),
        })
        .is_some()
}

#[tokio::test]
async fn watcher_lists_in_pages_then_follows_every_change() {
    let (conn, cluster) = start().await;
    with_watcher(&conn, Selector::namespace("demo"), |seen| async move {
        until(&seen, "the six demo pods", |s| s.store.len() == 6).await;
        cluster
            .create(pods(), "demo", new_pod("fresh", json!({})))
            .unwrap();
        until(&seen, "the new pod", |s| has(s, "fresh")).await;
        cluster
            .patch(
                pods(),
                "demo",
                "fresh",
                &json!({ "status": { "phase": "Running" } }),
            )
            .unwrap();
        until(&seen, "the phase change", |s| {
            s.store
                .iter()
                .any(|p| p.metadata.name == "fresh" && p.status.phase == "Running")
        })
        .await;
        cluster.delete(pods(), "demo", "fresh", Some(0)).unwrap();
        until(&seen, "the delete", |s| !has(s, "fresh")).await;
        cluster
            .create(pods(), "kube-system", new_pod("elsewhere", json!({})))
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(
            seen.borrow().store.len(),
            6,
            "another namespace's pod leaked in"
        );
        assert_eq!(seen.borrow().syncs, 1);
    })
    .await;
}

#[tokio::test]
async fn without_streaming_lists_the_watcher_falls_back_to_paginated_lists() {
    let (conn, cluster) = start_with(false).await;
    let (status, body) = get(
        &conn,
        "/api/v1/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan",
    )
    .await;
    assert_eq!(status, 422);
    assert!(String::from_utf8_lossy(&body).contains("unless the WatchList feature gate is enabled"));
    with_watcher(&conn, Selector::namespace("demo"), |seen| async move {
        until(&seen, "the six demo pods", |s| s.store.len() == 6).await;
        cluster
            .create(pods(), "demo", new_pod("fresh", json!({})))
            .unwrap();
        until(&seen, "the new pod", |s| has(s, "fresh")).await;
    })
    .await;
}

#[tokio::test]
async fn streaming_list_sends_initial_objects_then_an_end_bookmark() {
    let (conn, cluster) = start().await;
    let (status, _) = get(&conn, "/api/v1/pods?watch=true&sendInitialEvents=true").await;
    assert_eq!(status, 422, "resourceVersionMatch=NotOlderThan is required");
    // Without a resourceVersion, and with the last one a client knew (client-go relists so):
    // both are a snapshot at least that fresh, every object then the end bookmark.
    let known = cluster.resource_version().to_string();
    for rv in [String::new(), format!("&resourceVersion={known}")] {
        let request = conn.request(Method::Get, &format!("/api/v1/namespaces/demo/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1{rv}"));
        let resp = NativeTransport::default().send(request).await.unwrap();
        let body = resp.bytes().await.unwrap();
        let lines: Vec<Value> = body
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).unwrap())
            .collect();
        assert!(lines[..6].iter().all(|l| l["type"] == "ADDED"), "{rv}");
        assert_eq!(lines[6]["type"], "BOOKMARK", "{rv}");
        assert_eq!(
            lines[6]["object"]["metadata"]["annotations"]["k8s.io/initial-events-end"],
            "true"
        );
        assert_eq!(lines[6]["object"]["metadata"]["resourceVersion"], known);
    }
}

#[tokio::test]
async fn a_late_initial_events_end_holds_back_only_the_end_bookmark() {
    let cluster = Cluster::new(1000);
    seed::seed(&cluster);
    let state = AppState::single(cluster, Duration::from_secs(60), Duration::from_secs(1));
    state
        .faults
        .configure(lookout_devserver::faults::FaultConfig {
            kinds: vec![lookout_devserver::faults::Fault::LateInitialEventsEnd],
            rate: 1.0,
            stall_ms: 700,
            ..Default::default()
        });
    let conn = serve(state).await;
    let request = conn.request(Method::Get, "/api/v1/namespaces/demo/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=5");
    let started = std::time::Instant::now();
    let mut body = NativeTransport::default().send(request).await.unwrap().body;
    let (mut text, mut first_added, mut end) = (String::new(), None, None);
    while end.is_none() {
        let chunk = body.next().await.unwrap().unwrap();
        text.push_str(std::str::from_utf8(&chunk).unwrap());
        if first_added.is_none() && text.contains("\"ADDED\"") {
            first_added = Some(started.elapsed());
        }
        if text.contains("initial-events-end") {
            end = Some(started.elapsed());
        }
    }
    let (first_added, end) = (first_added.unwrap(), end.unwrap());
    assert!(
        first_added < Duration::from_millis(300),
        "objects at once ({first_added:?})"
    );
    assert!(
        end >= Duration::from_millis(700),
        "the end bookmark held back ({end:?})"
    );
}

#[tokio::test]
async fn watcher_resumes_after_a_dropped_connection_without_relisting() {
    let (conn, cluster) = start().await;
    with_watcher(&conn, Selector::namespace("demo"), |seen| async move {
        until(&seen, "initial list", |s| s.store.len() == 6).await;
        // Let the watch open before cutting it.
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(cluster.drop_watches() > 0);
        cluster
            .create(pods(), "demo", new_pod("while-away", json!({})))
            .unwrap();
        until(&seen, "the pod created while disconnected", |s| {
            has(s, "while-away")
        })
        .await;
        assert_eq!(seen.borrow().syncs, 1, "a resumable watch must not relist");
    })
    .await;
}

#[tokio::test]
async fn watcher_relists_after_410_and_drops_ghosts() {
    let (conn, cluster) = start().await;
    with_watcher(&conn, Selector::namespace("demo"), |seen| async move {
        until(&seen, "initial list", |s| has(s, "cache-0")).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        cluster.drop_watches();
        cluster.delete(pods(), "demo", "cache-0", Some(0)).unwrap();
        cluster.compact();
        until(&seen, "the relist", |s| s.syncs == 2).await;
        assert!(
            !has(&seen.borrow(), "cache-0"),
            "the deleted pod survived the relist"
        );
        assert_eq!(seen.borrow().store.len(), 5);
    })
    .await;
}

#[tokio::test]
async fn label_selected_watch_sees_objects_enter_and_leave() {
    let (conn, cluster) = start().await;
    let selector = Selector {
        labels: Some("tier=front".into()),
        ..Selector::namespace("demo")
    };
    with_watcher(&conn, selector, |seen| async move {
        until(&seen, "empty initial list", |s| s.syncs == 1).await;
        cluster
            .patch(
                pods(),
                "demo",
                "api-5c8d7b9f4-klmno",
                &json!({ "metadata": { "labels": { "tier": "front" } } }),
            )
            .unwrap();
        until(&seen, "api entering the selection", |s| {
            has(s, "api-5c8d7b9f4-klmno")
        })
        .await;
        cluster
            .patch(
                pods(),
                "demo",
                "api-5c8d7b9f4-klmno",
                &json!({ "metadata": { "labels": { "tier": null } } }),
            )
            .unwrap();
        until(&seen, "api leaving the selection", |s| s.store.is_empty()).await;
    })
    .await;
}

#[tokio::test]
async fn continue_tokens_give_a_consistent_snapshot_then_expire() {
    let (conn, cluster) = start().await;
    let (status, body) = get(&conn, "/api/v1/namespaces/demo/pods?limit=2").await;
    assert_eq!(status, 200);
    let page1: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(page1["metadata"]["remainingItemCount"], 4);
    let token = page1["metadata"]["continue"].as_str().unwrap().to_owned();
    // Change the collection between pages: the rest of the list must not see it.
    cluster
        .delete(pods(), "demo", "worker-6b7c8d9e0-pqrst", Some(0))
        .unwrap();
    cluster
        .create(pods(), "demo", new_pod("zz-late", json!({})))
        .unwrap();
    let mut names = Vec::new();
    let mut remaining = Vec::new();
    let mut next = Some(token);
    while let Some(token) = next {
        let (status, body) = get(
            &conn,
            &format!("/api/v1/namespaces/demo/pods?limit=2&continue={token}"),
        )
        .await;
        assert_eq!(status, 200);
        let page: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            page["metadata"]["resourceVersion"],
            page1["metadata"]["resourceVersion"]
        );
        names.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["metadata"]["name"].as_str().unwrap().to_owned()),
        );
        next = page["metadata"]["continue"].as_str().map(str::to_owned);
        remaining.push(page["metadata"]["remainingItemCount"].as_u64());
    }
    // The count is the snapshot's, page after page; the last page has none.
    assert_eq!(remaining, [Some(2), None]);
    assert!(
        names.contains(&"worker-6b7c8d9e0-pqrst".to_owned()),
        "{names:?}"
    );
    assert!(!names.contains(&"zz-late".to_owned()), "{names:?}");
    assert_eq!(names.len(), 4);

    // With a selector, as on a real server, how many more match is not told.
    let (_, body) = get(
        &conn,
        "/api/v1/namespaces/demo/pods?limit=1&labelSelector=app",
    )
    .await;
    let selected: Value = serde_json::from_slice(&body).unwrap();
    assert!(selected["metadata"]["continue"].is_string());
    assert!(selected["metadata"]
        .as_object()
        .unwrap()
        .get("remainingItemCount")
        .is_none());

    cluster.compact();
    let token = page1["metadata"]["continue"].as_str().unwrap();
    let (status, body) = get(
        &conn,
        &format!("/api/v1/namespaces/demo/pods?limit=2&continue={token}"),
    )
    .await;
    assert_eq!(status, 410);
    let status: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status["reason"], "Expired");
}

/// `namespace/name` of a list body's items, and its continue token.
fn page_names(body: &[u8]) -> (Vec<String>, Option<String>) {
    let v: Value = serde_json::from_slice(body).unwrap();
    let names = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}/{}",
                p["metadata"]["namespace"].as_str().unwrap(),
                p["metadata"]["name"].as_str().unwrap()
            )
        })
        .collect();
    (names, v["metadata"]["continue"].as_str().map(str::to_owned))
}

#[tokio::test]
async fn a_large_list_is_streamed_whole_and_equals_its_pages() {
    let (conn, cluster) = start().await;
    seed::seed_scale(&cluster, 1500); // ~1 MB of pods: a body of several chunks
    let (status, body) = get(&conn, "/api/v1/pods").await;
    assert_eq!(status, 200);
    assert!(body.len() > 512 * 1024, "{} bytes", body.len());
    let (whole, _) = page_names(&body);
    let (mut paged, mut next) = (Vec::new(), Some(String::new()));
    while let Some(token) = next {
        let (_, body) = get(&conn, &format!("/api/v1/pods?limit=500&continue={token}")).await;
        let (page, token) = page_names(&body);
        paged.extend(page);
        next = token;
    }
    assert!(paged.len() > 1500);
    assert_eq!(whole, paged);
}

#[tokio::test]
async fn cluster_wide_pages_cross_namespaces_and_a_namespace_stays_in_its_run() {
    let (conn, _cluster) = start().await;
    let names = page_names;
    let (_, all) = get(&conn, "/api/v1/pods").await;
    let (all, _) = names(&all);
    let mut paged = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let path = match &next {
            Some(t) => format!("/api/v1/pods?limit=3&continue={t}"),
            None => "/api/v1/pods?limit=3".to_owned(),
        };
        let (status, body) = get(&conn, &path).await;
        assert_eq!(status, 200);
        let (page, token) = names(&body);
        paged.extend(page);
        next = token;
        if next.is_none() {
            break;
        }
    }
    assert_eq!(paged, all);
    assert!(
        all.iter().any(|n| n.starts_with("kube-system/"))
            && all.iter().any(|n| n.starts_with("demo/"))
    );
    let (_, body) = get(&conn, "/api/v1/namespaces/kube-system/pods?limit=100").await;
    let (ks, token) = names(&body);
    assert!(
        token.is_none() && !ks.is_empty() && ks.iter().all(|n| n.starts_with("kube-system/")),
        "{ks:?}"
    );
}

/// Compares the shape (keys and value types) of two JSON documents.
fn same_shape(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_shape(v, w)))
        }
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

#[tokio::test]
async fn too_old_watch_is_a_410_error_event_in_a_200_stream_like_a_real_apiserver() {
    let (conn, cluster) = start().await;
    cluster.compact();
    let (status, body) = get(
        &conn,
        "/api/v1/namespaces/demo/pods?watch=true&resourceVersion=1",
    )
    .await;
    assert_eq!(status, 200);
    let ours: Value = serde_json::from_slice(&body).unwrap();
    let real: Value = serde_json::from_slice(
        &std::fs::read(format!("{FIXTURES}c2-watch-rv1-after-restart.body")).unwrap(),
    )
    .unwrap();
    assert!(same_shape(&ours, &real), "ours: {ours}\nreal: {real}");
    assert_eq!(ours["object"]["code"], 410);
    assert!(body.ends_with(b"}\n"));
}

#[tokio::test]
async fn errors_have_the_real_apiservers_shapes() {
    let (conn, _cluster) = start().await;
    let (status, body) = get(&conn, "/api/v1/namespaces/demo/pods/does-not-exist").await;
    assert_eq!(status, 404);
    let real: Value =
        serde_json::from_slice(&std::fs::read(format!("{FIXTURES}f-404-pod.body")).unwrap())
            .unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap(), real);

    let (status, body) = get(&conn, "/api/v1/namespaces/demo/widgets").await;
    assert_eq!(status, 404);
    let real = std::fs::read(format!("{FIXTURES}f-404-unknown-resource.body")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&body).trim(),
        String::from_utf8_lossy(&real).trim()
    );

    let mut create = conn.request(Method::Post, "/api/v1/namespaces/demo/pods");
    create.body = Some(
        br#"{"metadata":{"name":"cache-0"},"spec":{"containers":[{"name":"c","image":"i"}]}}"#
            .to_vec(),
    );
    let resp = NativeTransport::default().send(create).await.unwrap();
    assert_eq!(resp.status, 409);
    let ours: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    let real: Value = serde_json::from_slice(
        &std::fs::read(format!("{FIXTURES}f-409-already-exists.body")).unwrap(),
    )
    .unwrap();
    assert!(same_shape(&ours, &real), "ours: {ours}\nreal: {real}");

    let (status, _) = get(
        &conn,
        "/api/v1/namespaces/demo/pods?labelSelector=a%20in%20b",
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn quiet_watches_get_bookmarks_and_end_at_their_timeout() {
    let (conn, cluster) = start().await;
    let rv = cluster.resource_version();
    let started = std::time::Instant::now();
    let (status, body) = get(&conn, &format!("/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion={rv}&timeoutSeconds=1")).await;
    assert_eq!(status, 200);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(900) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
    let lines: Vec<Value> = body
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert!(!lines.is_empty(), "no bookmark in a quiet watch");
    for line in &lines {
        assert_eq!(line["type"], "BOOKMARK");
        assert_eq!(
            line["object"]["metadata"]["resourceVersion"],
            rv.to_string()
        );
    }
}

#[tokio::test]
async fn pod_logs_stream_as_lines_and_errors_are_specific() {
    let (conn, _cluster) = start().await;
    let transport = NativeTransport::default();
    let mut lines = Vec::new();
    let opts = LogOptions {
        tail_lines: Some(3),
        timestamps: true,
        ..LogOptions::default()
    };
    stream_logs(
        &transport,
        &conn,
        "demo",
        "api-5c8d7b9f4-klmno",
        &opts,
        |l| lines.push(l),
    )
    .await
    .unwrap();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[2].ends_with("INFO api: handled request 49 for api-5c8d7b9f4-klmno in 12 ms"),
        "{lines:?}"
    );
    assert!(
        lookout_client::model::time::parse_rfc3339(&lines[0][..20]).is_some(),
        "{lines:?}"
    );

    // follow keeps the stream open and new lines keep coming.
    let mut followed = Vec::new();
    let opts = LogOptions {
        follow: true,
        tail_lines: Some(1),
        ..LogOptions::default()
    };
    let follow = stream_logs(
        &transport,
        &conn,
        "demo",
        "api-5c8d7b9f4-klmno",
        &opts,
        |l| followed.push(l),
    );
    let _ = tokio::time::timeout(Duration::from_millis(300), follow).await;
    assert!(followed.len() >= 3, "{followed:?}");

    let err = |container: &str, pod: &str| {
        let opts = LogOptions {
            container: Some(container.into()),
            ..LogOptions::default()
        };
        let (t, c) = (transport.clone(), conn.clone());
        let pod = pod.to_owned();
        async move {
            stream_logs(&t, &c, "demo", &pod, &opts, |_| {})
                .await
                .unwrap_err()
                .to_string()
        }
    };
    assert_eq!(
        err("nope", "api-5c8d7b9f4-klmno").await,
        "HTTP 400: request failed: container nope is not valid for pod api-5c8d7b9f4-klmno"
    );
    assert_eq!(
        err("x", "gone").await,
        "HTTP 404: not found: pods \"gone\" not found"
    );
    let mut none = Vec::new();
    stream_logs(
        &transport,
        &conn,
        "demo",
        "cache-0",
        &LogOptions::default(),
        |l| none.push(l),
    )
    .await
    .unwrap();
    assert!(none.is_empty(), "a pod not on a node has no log yet");
}

#[tokio::test]
async fn discovery_finds_every_served_kind() {
    let (conn, _cluster) = start().await;
    let discovery =
        lookout_client::api::discovery::Discovery::fetch(&NativeTransport::default(), &conn)
            .await
            .unwrap();
    let pods = discovery.resource("", "Pod").expect("pods are served");
    assert_eq!((pods.plural.as_ref(), pods.namespaced), ("pods", true));
    assert!(!discovery.resource("", "Namespace").unwrap().namespaced);
    for r in lookout_devserver::resources::RESOURCES {
        assert!(
            discovery.resource(r.group, r.kind).is_some(),
            "{} not discovered",
            r.kind
        );
    }
    let (status, _) = get(&conn, "/apis/nope.example.com/v1").await;
    assert_eq!(status, 404);
}

async fn send(
    conn: &Connection,
    method: Method,
    path: &str,
    content_type: &str,
    body: &str,
) -> (u16, Value) {
    let mut req = conn.request(method, path);
    req.headers
        .push(("Content-Type".into(), content_type.into()));
    req.body = Some(body.as_bytes().to_vec());
    let resp = NativeTransport::default().send(req).await.unwrap();
    let status = resp.status;
    let body = resp.bytes().await.unwrap();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn patches_respect_the_status_subresource_and_content_types() {
    let (conn, _cluster) = start().await;
    let path = "/api/v1/namespaces/demo/pods/api-5c8d7b9f4-klmno";
    let (code, obj) = send(
        &conn,
        Method::Patch,
        path,
        "application/merge-patch+json",
        r#"{"metadata":{"labels":{"x":"1"}},"status":{"phase":"Failed"}}"#,
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(
        (
            obj["metadata"]["labels"]["x"].as_str(),
            obj["status"]["phase"].as_str()
        ),
        (Some("1"), Some("Running")),
        "status ignored on the main resource"
    );
    let (_, obj) = send(
        &conn,
        Method::Patch,
        &format!("{path}/status"),
        "application/merge-patch+json",
        r#"{"metadata":{"labels":{"y":"2"}},"status":{"phase":"Failed"}}"#,
    )
    .await;
    assert_eq!(
        (
            obj["metadata"]["labels"]["y"].as_str(),
            obj["status"]["phase"].as_str()
        ),
        (None, Some("Failed")),
        "only status on /status"
    );
    let (code, obj) = send(
        &conn,
        Method::Patch,
        path,
        "application/json-patch+json",
        r#"[{"op":"add","path":"/metadata/annotations","value":{"a":"b"}}]"#,
    )
    .await;
    assert_eq!(
        (code, obj["metadata"]["annotations"]["a"].as_str()),
        (200, Some("b"))
    );
    let (code, obj) = send(
        &conn,
        Method::Patch,
        path,
        "application/json-patch+json",
        r#"[{"op":"test","path":"/metadata/name","value":"other"}]"#,
    )
    .await;
    assert_eq!((code, obj["reason"].as_str()), (422, Some("Invalid")));
    let (code, obj) = send(&conn, Method::Patch, path, "application/x-yaml", "{}").await;
    assert_eq!(
        (code, obj["reason"].as_str()),
        (415, Some("UnsupportedMediaType"))
    );
}

#[tokio::test]
async fn deletes_mark_then_remove_pods_and_wait_for_finalizers() {
    let (conn, cluster) = start().await;
    let api = conn.clone();
    with_watcher(&conn, Selector::namespace("demo"), |seen| async move {
        let conn = api;
        until(&seen, "initial list", |s| s.store.len() == 6).await;
        let (code, obj) = send(
            &conn,
            Method::Delete,
            "/api/v1/namespaces/demo/pods/api-5c8d7b9f4-klmno?gracePeriodSeconds=1",
            "application/json",
            "",
        )
        .await;
        assert_eq!(code, 200);
        assert!(obj["metadata"]["deletionTimestamp"].is_string());
        until(&seen, "the pod terminating", |s| {
            s.store.iter().any(|p| {
                p.metadata.name == "api-5c8d7b9f4-klmno" && p.display_status() == "Terminating"
            })
        })
        .await;
        until(&seen, "the pod gone after its grace period", |s| {
            !has(s, "api-5c8d7b9f4-klmno")
        })
        .await;
        // A pod never scheduled (no node) is gone at once, as on a real server.
        let (code, obj) = send(
            &conn,
            Method::Delete,
            "/api/v1/namespaces/demo/pods/cache-0",
            "application/json",
            "",
        )
        .await;
        assert_eq!(
            (code, obj["metadata"]["deletionGracePeriodSeconds"].as_u64()),
            (200, Some(0))
        );
        assert_eq!(
            cluster.get(pods(), "demo", "cache-0").unwrap_err().code,
            404
        );

        let cms = resources::by_kind("v1", "ConfigMap").unwrap();
        cluster
            .create(
                cms,
                "demo",
                json!({"metadata": {"name": "guarded", "finalizers": ["example.com/keep"]}}),
            )
            .unwrap();
        let (_, obj) = send(
            &conn,
            Method::Delete,
            "/api/v1/namespaces/demo/configmaps/guarded",
            "application/json",
            "",
        )
        .await;
        assert!(obj["metadata"]["deletionTimestamp"].is_string());
        assert!(
            cluster.get(cms, "demo", "guarded").is_ok(),
            "kept while a finalizer remains"
        );
        cluster
            .patch(
                cms,
                "demo",
                "guarded",
                &json!({"metadata": {"finalizers": null}}),
            )
            .unwrap();
        assert_eq!(cluster.get(cms, "demo", "guarded").unwrap_err().code, 404);
    })
    .await;
}

#[tokio::test]
async fn tables_for_lists_and_watches() {
    let (conn, cluster) = start().await;
    let table_of = |path: &str| {
        let mut req = conn.request(Method::Get, path);
        req.headers.retain(|(k, _)| k != "Accept");
        req.headers.push((
            "Accept".into(),
            "application/json;as=Table;g=meta.k8s.io;v=v1".into(),
        ));
        req
    };
    let resp = NativeTransport::default()
        .send(table_of("/api/v1/namespaces/demo/pods"))
        .await
        .unwrap();
    let t: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    assert_eq!(
        (t["kind"].as_str(), t["apiVersion"].as_str()),
        (Some("Table"), Some("meta.k8s.io/v1"))
    );
    assert_eq!(t["columnDefinitions"].as_array().unwrap().len(), 9);
    let worker = t["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["cells"][0] == "worker-6b7c8d9e0-pqrst")
        .unwrap();
    assert_eq!(
        (worker["cells"][2].as_str(), worker["cells"][3].as_str()),
        (Some("CrashLoopBackOff"), Some("7"))
    );
    assert_eq!(worker["object"]["kind"], "PartialObjectMetadata");

    let rv = cluster.resource_version();
    let watch = NativeTransport::default().send(table_of(&format!(
        "/api/v1/namespaces/demo/pods?watch=true&resourceVersion={rv}&timeoutSeconds=1"
    )));
    let changes = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        cluster
            .patch(
                pods(),
                "demo",
                "cache-0",
                &json!({"status": {"phase": "Running"}}),
            )
            .unwrap();
        cluster
            .patch(
                pods(),
                "demo",
                "api-5c8d7b9f4-klmno",
                &json!({"metadata": {"labels": {"x": "y"}}}),
            )
            .unwrap();
    };
    let (resp, ()) = tokio::join!(watch, changes);
    let body = resp.unwrap().bytes().await.unwrap();
    let events: Vec<Value> = body
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .filter(|e: &Value| e["type"] == "MODIFIED")
        .collect();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["object"]["kind"], "Table");
    assert_eq!(
        events[0]["object"]["columnDefinitions"]
            .as_array()
            .unwrap()
            .len(),
        9,
        "columns in the first event"
    );
    assert_eq!(
        events[1]["object"]["columnDefinitions"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "not repeated"
    );
    assert_eq!(
        events[1]["object"]["rows"][0]["cells"][0],
        "api-5c8d7b9f4-klmno"
    );
}

#[tokio::test]
async fn secrets_are_only_ever_fetched_as_metadata() {
    use lookout_client::model::Object;
    let (conn, cluster) = start().await;
    let secrets = resources::by_kind("v1", "Secret").unwrap();
    cluster.create(secrets, "demo", json!({"metadata": {"name": "db"}, "type": "Opaque", "data": {"password": "c3VwZXJzZWNyZXQ="}})).unwrap();
    let seen: Rc<RefCell<Vec<Value>>> = Rc::default();
    let sink = seen.clone();
    let watcher = Watcher::<Object>::new(
        conn.clone(),
        Rc::new(NativeTransport::default()),
        lookout_client::model::kinds::SECRET,
        Selector::namespace("demo"),
    );
    let run = watcher.run(move |ev| match ev {
        WatcherEvent::Synced(items) => sink.borrow_mut().extend(items.into_iter().map(|o| o.value)),
        WatcherEvent::Applied(o) => sink.borrow_mut().push(o.value),
        _ => {}
    });
    let script = async {
        for _ in 0..300 {
            if !seen.borrow().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        cluster
            .patch(
                secrets,
                "demo",
                "db",
                &json!({"data": {"password": "bmV3c2VjcmV0"}}),
            )
            .unwrap();
        for _ in 0..300 {
            if seen.borrow().len() >= 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    let _ = select(run.boxed_local(), script.boxed_local()).await;
    let seen = seen.borrow();
    assert_eq!(seen.len(), 2, "{seen:?}");
    for obj in seen.iter() {
        assert_eq!(
            obj["kind"], "PartialObjectMetadata",
            "asked for as metadata: {obj}"
        );
        let text = obj.to_string();
        assert!(
            !text.contains("c3VwZXJzZWNyZXQ") && !text.contains("bmV3c2VjcmV0"),
            "{text}"
        );
    }
}
