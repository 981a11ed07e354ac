//! Forwarding to a real cluster (kubeconfig) or KAS (PAT), here played by a strict lookout-dev.

use lookout_client::api::transport::native::NativeTransport;
use lookout_client::api::transport::Transport;
use lookout_client::{Auth, Connection, Method};
use lookout_devserver::cluster::Cluster;
use lookout_devserver::kas::{AuthMode, KasConfig};
use lookout_devserver::resources;
use lookout_devserver::upstream::{from_kas, from_kubeconfig, Upstream};
use lookout_devserver::AppState;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::future::IntoFuture;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

mod common;
use common::{seeded, serve};

/// The "real" side: a strict KAS-like server that only accepts `Bearer pat:1:lookout-dev-token`.
async fn real() -> (String, Arc<Cluster>) {
    let (cluster, mut state) = seeded(100);
    state.kas = Arc::new(KasConfig {
        mode: AuthMode::Strict,
        ..KasConfig::default()
    });
    (serve(state).await, cluster)
}

/// The front: lookout-dev forwarding agent 1 to `upstream`.
async fn front(upstream: Arc<Upstream>) -> Connection {
    let mut state = AppState::single(
        Cluster::new(10),
        Duration::from_secs(60),
        Duration::from_millis(50),
    );
    state.upstreams = Arc::new(BTreeMap::from([(1, upstream)]));
    Connection::new(
        &format!("http://{}/k8s-proxy", serve(state).await),
        Auth::None,
    )
}

async fn get(conn: &Connection, path: &str) -> (u16, Vec<(String, String)>, Value) {
    let resp = NativeTransport::default()
        .send(conn.request(Method::Get, path))
        .await
        .unwrap();
    let (status, headers) = (resp.status, resp.headers.clone());
    (
        status,
        headers,
        serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap_or(Value::Null),
    )
}

/// The upstream of the kubeconfig at `path`, its current context.
async fn current(path: &str) -> Arc<Upstream> {
    from_kubeconfig(Some(Path::new(path)), &[])
        .await
        .unwrap()
        .remove(0)
}

fn write(dir: &tempdir::Dir, name: &str, text: &str) -> String {
    let path = dir.0.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

mod tempdir {
    /// A scratch directory removed on drop.
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new(tag: &str) -> Dir {
            let p = std::env::temp_dir().join(format!("lookout-{tag}-{}", std::process::id()));
            std::fs::create_dir_all(&p).unwrap();
            Dir(p)
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn kubeconfig(server: &str, user: &str) -> String {
    format!("apiVersion: v1\nkind: Config\ncurrent-context: real\nclusters:\n- name: c\n  cluster:\n    server: {server}\ncontexts:\n- name: real\n  context:\n    cluster: c\n    user: u\nusers:\n- name: u\n  user:\n{user}")
}

#[tokio::test]
async fn kubeconfig_tokens_and_exec_plugins_reach_the_real_cluster_and_watches_stream() {
    let (addr, cluster) = real().await;
    let dir = tempdir::Dir::new("kubeconfig");
    let server = format!("http://{addr}/k8s-proxy");
    let path = write(
        &dir,
        "token.yaml",
        &kubeconfig(&server, "    token: pat:1:lookout-dev-token\n"),
    );
    let conn = front(current(&path).await).await;
    let (status, _, list) = get(&conn, "/api/v1/namespaces/demo/pods").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["items"].as_array().unwrap().len(), 6);

    // A watch streams through while it is open.
    let rv = list["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_owned();
    let watch = NativeTransport::default().send(conn.request(
        Method::Get,
        &format!("/api/v1/namespaces/demo/pods?watch=true&resourceVersion={rv}"),
    ));
    let mut body = watch.await.unwrap().body;
    cluster
        .patch(
            resources::by_kind("v1", "Pod").unwrap(),
            "demo",
            "cache-0",
            &json!({"status": {"phase": "Running"}}),
        )
        .unwrap();
    let chunk = tokio::time::timeout(
        Duration::from_secs(5),
        futures_util::StreamExt::next(&mut body),
    )
    .await
    .expect("streamed, not buffered")
    .unwrap()
    .unwrap();
    assert!(String::from_utf8_lossy(&chunk).contains("\"MODIFIED\""));

    let exec = "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: sh\n      args: [\"-c\", \"echo '{\\\"kind\\\":\\\"ExecCredential\\\",\\\"status\\\":{\\\"token\\\":\\\"pat:1:lookout-dev-token\\\"}}'\"]\n";
    let path = write(&dir, "exec.yaml", &kubeconfig(&server, exec));
    let conn = front(current(&path).await).await;
    assert_eq!(get(&conn, "/api/v1/namespaces").await.0, 200);

    let bad = write(
        &dir,
        "bad.yaml",
        &kubeconfig(&server, "    token: pat:1:wrong\n"),
    );
    let conn = front(current(&bad).await).await;
    let (status, headers, _) = get(&conn, "/api/v1/pods").await;
    assert_eq!(status, 401);
    assert!(
        headers
            .iter()
            .any(|(k, v)| k == "gitlab-unauthorized" && v == "true"),
        "{headers:?}"
    );

    assert!(from_kubeconfig(Some(Path::new(&path)), &["nope".into()])
        .await
        .unwrap_err()
        .contains("no context named \"nope\""));
    let broken = write(&dir, "broken.yaml", "clusters: [");
    assert!(from_kubeconfig(Some(Path::new(&broken)), &[])
        .await
        .unwrap_err()
        .starts_with("kubeconfig "));
}

#[tokio::test]
async fn kas_mode_sends_the_servers_pat_and_unreachable_upstreams_are_a_503() {
    let (addr, _cluster) = real().await;
    let dir = tempdir::Dir::new("kas");
    let token = write(&dir, "token", "lookout-dev-token\n");
    let conn = front(from_kas(&format!("http://{addr}/k8s-proxy"), 1, &token).unwrap()).await;
    let (status, _, body) = get(&conn, "/api/v1/namespaces/kube-system/pods").await;
    assert_eq!(
        (status, body["items"].as_array().map(Vec::len)),
        (200, Some(3))
    );

    // The cluster URL's password stays in this server.
    let down = front(Upstream::new("http://admin:s3cret@127.0.0.1:9", None).unwrap()).await;
    let (status, _, body) = get(&down, "/api/v1/pods").await;
    assert_eq!(
        (status, body["reason"].as_str()),
        (503, Some("ServiceUnavailable"))
    );
    let message = body["message"].as_str().unwrap();
    assert!(
        message.starts_with("lookout-dev cannot reach http://127.0.0.1:9")
            && !message.contains("s3cret"),
        "{message}"
    );
}

#[tokio::test]
async fn kas_only_query_parameters_stay_out_of_the_real_clusters_requests() {
    // The real cluster's stand-in answers with the query string it got.
    let echo = axum::Router::new().fallback(|uri: axum::http::Uri| async move {
        let body = json!({ "query": uri.query() }).to_string();
        ([("content-type", "application/json")], body)
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(axum::serve(listener, echo).into_future());
    let conn = front(Upstream::new(&format!("http://{addr}"), None).unwrap()).await;
    let (status, _, body) = get(
        &conn,
        "/api/v1/pods?limit=5&gitlab-agent-id=1&labelSelector=app%3Dweb&gitlab-csrf-token=t0k3n",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["query"], "limit=5&labelSelector=app%3Dweb");
}

#[test]
fn gitlab_metadata_names_the_kas_proxy() {
    use lookout_devserver::upstream::k8s_proxy_url;
    let modern = json!({ "version": "17.5.0", "kas": { "enabled": true, "externalUrl": "wss://kas.gitlab.example.com",
        "externalK8sProxyUrl": "https://kas.gitlab.example.com/k8s-proxy/" } });
    assert_eq!(
        k8s_proxy_url(&modern).unwrap(),
        "https://kas.gitlab.example.com/k8s-proxy"
    );
    let older = json!({ "kas": { "enabled": true, "externalUrl": "wss://gitlab.example.com/-/kubernetes-agent/" } });
    assert_eq!(
        k8s_proxy_url(&older).unwrap(),
        "https://gitlab.example.com/-/kubernetes-agent/k8s-proxy"
    );
    let grpc = json!({ "kas": { "enabled": true, "externalUrl": "grpcs://kas.example.com" } });
    assert!(k8s_proxy_url(&grpc).unwrap_err().contains("--kas-url"));
    let off = json!({ "kas": { "enabled": false } });
    assert!(k8s_proxy_url(&off).unwrap_err().contains("not enabled"));
    assert!(k8s_proxy_url(&json!({}))
        .unwrap_err()
        .contains("no \"kas\""));
}

#[tokio::test]
async fn the_kas_url_is_asked_of_gitlab_with_the_token() {
    use axum::http::HeaderMap;
    let app = axum::Router::new().route(
        "/api/v4/metadata",
        axum::routing::get(|headers: HeaderMap| async move {
            if headers.get("private-token").and_then(|v| v.to_str().ok()) == Some("glpat-abc") {
                axum::Json(json!({ "kas": { "enabled": true, "externalK8sProxyUrl": "http://127.0.0.1:9/k8s-proxy" } }))
                    .into_response()
            } else {
                (axum::http::StatusCode::UNAUTHORIZED, "401 Unauthorized").into_response()
            }
        }),
    );
    use axum::response::IntoResponse;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(axum::serve(listener, app).into_future());
    let dir = std::env::temp_dir().join(format!("lookout-gitlab-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (good, bad) = (dir.join("good"), dir.join("bad"));
    std::fs::write(&good, "glpat-abc\n").unwrap();
    std::fs::write(&bad, "nope").unwrap();
    let gitlab = format!("http://{addr}");
    let url = lookout_devserver::upstream::kas_url_from_gitlab(&gitlab, good.to_str().unwrap())
        .await
        .unwrap();
    assert_eq!(url, "http://127.0.0.1:9/k8s-proxy");
    let err = lookout_devserver::upstream::kas_url_from_gitlab(&gitlab, bad.to_str().unwrap())
        .await
        .unwrap_err();
    assert!(err.contains("401"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}
