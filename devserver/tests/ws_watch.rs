//! The WebSocket watch aggregator: token, subprotocol auth, many watches over one socket.

use futures_util::{SinkExt, StreamExt};
use lookout_devserver::cluster::Cluster;
use lookout_devserver::resources;
use lookout_devserver::{router, AppState};
use serde_json::{json, Value};
use std::future::IntoFuture;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

mod common;

async fn start() -> (String, Arc<Cluster>) {
    let (cluster, state) = common::seeded(1000);
    (common::serve(state).await, cluster)
}

async fn token(addr: &str) -> String {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let req = format!("GET /k8s-proxy/watch?kas-websocket-token-request=true HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).await.unwrap();
    let body: Value = serde_json::from_str(raw.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    body["token"].as_str().unwrap().to_owned()
}

type Socket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

async fn connect(addr: &str, token: &str) -> Result<Socket, u16> {
    connect_with(addr, token, &[]).await
}

/// [`connect`] with more headers (`Host`, `Origin`).
async fn connect_with(
    addr: &str,
    token: &str,
    headers: &[(&'static str, &str)],
) -> Result<Socket, u16> {
    let mut req = format!("ws://{addr}/k8s-proxy/watch")
        .into_client_request()
        .unwrap();
    let protocols = format!("gitlab-agent-watch-api, websocket-token.kas.gitlab.com.{token}");
    req.headers_mut()
        .insert("sec-websocket-protocol", protocols.parse().unwrap());
    for (name, value) in headers {
        req.headers_mut().insert(*name, value.parse().unwrap());
    }
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    match tokio_tungstenite::client_async(req, tcp).await {
        Ok((socket, resp)) => {
            assert_eq!(
                resp.headers()["sec-websocket-protocol"],
                "gitlab-agent-watch-api"
            );
            Ok(socket)
        }
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => Err(resp.status().as_u16()),
        Err(e) => panic!("{e}"),
    }
}

/// A socket authenticated with a fresh token.
async fn open(addr: &str) -> Socket {
    let token = token(addr).await;
    connect(addr, &token).await.unwrap()
}

async fn next(socket: &mut Socket) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("a message in time")
            .unwrap()
            .unwrap();
        if let Message::Text(t) = msg {
            return serde_json::from_str(&t).unwrap();
        }
    }
}

fn watch(id: &str, resource: &str, namespace: &str, rv: &str) -> Message {
    Message::Text(
        json!({ "type": "watch", "watchId": id, "watchParams": {
        "group": "", "version": "v1", "resource": resource, "namespace": namespace,
        "resourceVersion": rv, "allowWatchBookmarks": true } })
        .to_string()
        .into(),
    )
}

/// Sets a demo pod's phase to Running, which its watchers see as `MODIFIED`.
fn running(cluster: &Cluster, pod: &str) {
    let pods = resources::by_kind("v1", "Pod").unwrap();
    cluster
        .patch(
            pods,
            "demo",
            pod,
            &json!({ "status": { "phase": "Running" } }),
        )
        .unwrap();
}

#[tokio::test]
async fn a_token_opens_one_socket() {
    let (addr, _) = start().await;
    let token = token(&addr).await;
    assert!(connect(&addr, &token).await.is_ok());
    assert_eq!(connect(&addr, &token).await.unwrap_err(), 401);
    assert_eq!(connect(&addr, "made-up").await.unwrap_err(), 401);
}

#[tokio::test]
async fn a_socket_from_a_rebound_dns_name_is_refused() {
    let (addr, _) = start().await;
    let port = addr.rsplit_once(':').unwrap().1;
    let token = token(&addr).await;
    let evil = format!("evil.test:{port}");
    let origin = format!("http://{evil}");
    let headers = [("host", evil.as_str()), ("origin", origin.as_str())];
    assert_eq!(
        connect_with(&addr, &token, &headers).await.unwrap_err(),
        403
    );
    let local = format!("localhost:{port}");
    let origin = format!("http://{local}");
    let headers = [("host", local.as_str()), ("origin", origin.as_str())];
    assert!(connect_with(&addr, &token, &headers).await.is_ok());
}

#[tokio::test]
async fn many_watches_share_one_socket() {
    let (addr, cluster) = start().await;
    assert_eq!(connect(&addr, "forged").await.unwrap_err(), 401);
    let mut socket = open(&addr).await;
    let rv = cluster.resource_version().to_string();
    socket
        .send(watch("pods-demo", "pods", "demo", &rv))
        .await
        .unwrap();
    socket
        .send(watch("ns", "namespaces", "", &rv))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        (
            cluster.open_watches(),
            cluster.http_watches(),
            cluster.sockets()
        ),
        (2, 0, 1)
    );

    running(&cluster, "cache-0");
    let msg = next(&mut socket).await;
    // KAS's (protojson's) camelCase field names, as `@gitlab/cluster-client` reads them.
    assert_eq!(
        (msg["type"].as_str(), msg["watchId"].as_str()),
        (Some("watch_event"), Some("pods-demo"))
    );
    assert!(msg.get("watch_id").is_none() && msg.get("watch_event").is_none());
    assert_eq!(msg["watchEvent"]["type"], "MODIFIED");
    assert_eq!(msg["watchEvent"]["object"]["metadata"]["name"], "cache-0");

    socket
        .send(Message::Text(
            json!({ "type": "unwatch", "watchId": "pods-demo" })
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(cluster.open_watches(), 1);

    // The snake_case names `@gitlab/cluster-client` 3.0 sends are accepted too (protojson).
    socket.send(Message::Text(json!({ "type": "watch", "watch_id": "bad", "watch_params": { "group": "", "version": "v1", "resource": "gadgets" } }).to_string().into())).await.unwrap();
    let msg = next(&mut socket).await;
    assert_eq!(
        (
            msg["type"].as_str(),
            msg["watchId"].as_str(),
            msg["error"]["object"]["code"].as_u64()
        ),
        (Some("error"), Some("bad"), Some(404))
    );

    cluster.compact();
    socket
        .send(watch("old", "pods", "demo", "1"))
        .await
        .unwrap();
    let msg = next(&mut socket).await;
    assert_eq!(
        (
            msg["watchEvent"]["type"].as_str(),
            msg["watchEvent"]["object"]["code"].as_u64()
        ),
        (Some("ERROR"), Some(410))
    );
    assert_eq!(next(&mut socket).await["type"], "watch_end");

    drop(socket);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!((cluster.open_watches(), cluster.sockets()), (0, 0));
}

#[tokio::test]
async fn an_agent_served_by_a_real_cluster_watches_there() {
    // The "real" cluster (served over HTTP), and a front whose agent 1 forwards to it while its
    // own simulated agent 1 is empty: an answer from the simulator would have no pods.
    let (real, cluster) = start().await;
    let mut state = AppState::single(
        Cluster::new(10),
        Duration::from_secs(60),
        Duration::from_millis(50),
    );
    let upstream =
        lookout_devserver::upstream::Upstream::new(&format!("http://{real}/k8s-proxy"), None)
            .unwrap();
    state.upstreams = Arc::new(std::collections::BTreeMap::from([(1, upstream)]));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let front = listener.local_addr().unwrap().to_string();
    tokio::spawn(axum::serve(listener, router(state, PathBuf::from("/nonexistent"))).into_future());

    let mut socket = open(&front).await;
    let rv = cluster.resource_version().to_string();
    socket
        .send(watch("pods", "pods", "demo", &rv))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        cluster.open_watches(),
        1,
        "the watch is open on the real cluster"
    );
    running(&cluster, "cache-0");
    let msg = next(&mut socket).await;
    assert_eq!(
        (
            msg["type"].as_str(),
            msg["watchId"].as_str(),
            msg["watchEvent"]["type"].as_str()
        ),
        (Some("watch_event"), Some("pods"), Some("MODIFIED"))
    );
    assert_eq!(msg["watchEvent"]["object"]["metadata"]["name"], "cache-0");

    // The real cluster's refusal reaches the socket as an error with its Status.
    socket
        .send(watch("nope", "widgets", "demo", ""))
        .await
        .unwrap();
    let msg = next(&mut socket).await;
    assert_eq!(
        (
            msg["type"].as_str(),
            msg["watchId"].as_str(),
            msg["error"]["object"]["code"].as_u64()
        ),
        (Some("error"), Some("nope"), Some(404))
    );
    // A compacted resourceVersion: the 410 event, then the end of the watch, as over HTTP.
    cluster.compact();
    socket
        .send(watch("old", "pods", "demo", "1"))
        .await
        .unwrap();
    let msg = next(&mut socket).await;
    assert_eq!(
        msg["watchEvent"]["object"]["code"].as_u64(),
        Some(410),
        "{msg}"
    );
    assert_eq!(next(&mut socket).await["type"], "watch_end");
    drop(socket);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        cluster.open_watches(),
        0,
        "closing the socket ends the real watches"
    );
}

#[tokio::test]
async fn injected_request_faults_refuse_http_and_socket_watches_as_the_api_would() {
    use lookout_devserver::faults::{Fault, FaultConfig};
    let (cluster, state) = common::seeded(1000);
    let faults = state.faults.clone();
    let addr = common::serve(state).await;
    let rv = cluster.resource_version().to_string();
    faults.configure(FaultConfig {
        kinds: vec![Fault::TooManyRequests],
        rate: 1.0,
        count: Some(2),
        retry_after: 3,
        ..FaultConfig::default()
    });
    // HTTP: a 429 Status with Retry-After, as the API server's max-in-flight filter answers.
    let path = format!("/k8s-proxy/api/v1/namespaces/demo/pods?watch=true&resourceVersion={rv}");
    let answer = common::call(&addr, "GET", &path, &[]).await;
    assert_eq!(answer.status, 429);
    assert_eq!(answer.header("retry-after"), Some("3"));
    assert_eq!(answer.json()["details"]["retryAfterSeconds"], 3);
    // Over the socket: the watch's error message carries the same Status.
    let mut socket = open(&addr).await;
    socket.send(watch("w1", "pods", "demo", &rv)).await.unwrap();
    let msg = next(&mut socket).await;
    assert_eq!(
        (msg["type"].as_str(), msg["watchId"].as_str()),
        (Some("error"), Some("w1"))
    );
    assert_eq!(msg["error"]["object"]["code"], 429);
    assert_eq!(msg["error"]["object"]["details"]["retryAfterSeconds"], 3);
    // The faults are used up: the next watch is served.
    socket.send(watch("w2", "pods", "demo", &rv)).await.unwrap();
    let pods = resources::by_kind("v1", "Pod").unwrap();
    let label = json!({ "metadata": { "labels": { "soak": "yes" } } });
    cluster.patch(pods, "demo", "cache-0", &label).unwrap();
    let msg = next(&mut socket).await;
    assert_eq!(
        (msg["type"].as_str(), msg["watchId"].as_str()),
        (Some("watch_event"), Some("w2"))
    );
    assert_eq!(faults.take_report().len(), 2);
    // A 410 on a resuming watch is answered as the API server does: 200 and one ERROR event.
    faults.configure(FaultConfig {
        kinds: vec![Fault::Expired],
        rate: 1.0,
        count: Some(2),
        ..FaultConfig::default()
    });
    let answer = common::call(&addr, "GET", &path, &[]).await;
    assert_eq!(answer.status, 200);
    let event = answer.json();
    assert_eq!(
        (event["type"].as_str(), event["object"]["code"].as_u64()),
        (Some("ERROR"), Some(410))
    );
    socket.send(watch("w3", "pods", "demo", &rv)).await.unwrap();
    let msg = next(&mut socket).await;
    assert_eq!(msg["type"], "watch_event");
    assert_eq!(msg["watchEvent"]["type"], "ERROR");
    assert_eq!(msg["watchEvent"]["object"]["code"], 410);
    assert_eq!(next(&mut socket).await["type"], "watch_end");
}

#[tokio::test]
async fn a_socket_watch_on_an_unsupported_field_label_is_refused_as_an_http_one() {
    let (addr, cluster) = start().await;
    let rv = cluster.resource_version().to_string();
    let path = format!(
        "/k8s-proxy/api/v1/namespaces/demo/pods?watch=true&resourceVersion={rv}&fieldSelector=spec.foo%3Dx"
    );
    let http = common::call(&addr, "GET", &path, &[]).await;
    assert_eq!(http.status, 400);
    let mut socket = open(&addr).await;
    let msg = json!({ "type": "watch", "watchId": "w1", "watchParams": {
        "group": "", "version": "v1", "resource": "pods", "namespace": "demo",
        "resourceVersion": rv, "fieldSelector": "spec.foo=x" } });
    socket
        .send(Message::Text(msg.to_string().into()))
        .await
        .unwrap();
    let msg = next(&mut socket).await;
    assert_eq!(
        (msg["type"].as_str(), msg["watchId"].as_str()),
        (Some("error"), Some("w1"))
    );
    assert_eq!(
        msg["error"]["message"],
        "field label not supported: spec.foo"
    );
    assert_eq!(msg["error"]["object"], http.json());
    // A supported label on the same socket is served.
    socket
        .send(Message::Text(
            json!({ "type": "watch", "watchId": "w2", "watchParams": {
                "group": "", "version": "v1", "resource": "pods", "namespace": "demo",
                "resourceVersion": rv, "fieldSelector": "metadata.name=cache-0" } })
            .to_string()
            .into(),
        ))
        .await
        .unwrap();
    running(&cluster, "cache-0");
    let msg = next(&mut socket).await;
    assert_eq!(
        (msg["type"].as_str(), msg["watchId"].as_str()),
        (Some("watch_event"), Some("w2"))
    );
    assert_eq!(msg["watchEvent"]["object"]["metadata"]["name"], "cache-0");
}
