//! `--latency-ms`: every answer under `/k8s-proxy/` waits before its headers; nothing else does.
//! `--preflight-latency-ms`: CORS preflights there wait that much more.

use lookout_devserver::cluster::Cluster;
use lookout_devserver::{router, seed, AppState};
use std::future::IntoFuture;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const LATENCY: Duration = Duration::from_millis(400);

async fn start(latency: Duration) -> String {
    start_with(latency, Duration::ZERO).await
}

async fn start_with(latency: Duration, preflight_latency: Duration) -> String {
    let cluster = Cluster::new(100);
    seed::seed(&cluster);
    let mut state = AppState::single(cluster, Duration::from_secs(60), Duration::from_millis(50));
    state.latency = latency;
    state.preflight_latency = preflight_latency;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(axum::serve(listener, router(state, PathBuf::from("/nonexistent"))).into_future());
    addr
}

/// Sends one request and returns its status line and how long the head (status line and headers)
/// took to arrive. Watches never end, so only the head is read.
async fn head(addr: &str, method: &str, path: &str) -> (String, Duration) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    );
    let sent = Instant::now();
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    while !raw.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "connection closed before the headers");
        raw.extend_from_slice(&buf[..n]);
    }
    let took = sent.elapsed();
    let text = String::from_utf8_lossy(&raw);
    (text.lines().next().unwrap_or("").to_owned(), took)
}

#[tokio::test]
async fn proxy_answers_wait_before_their_headers() {
    let addr = start(LATENCY).await;
    for path in [
        "/k8s-proxy/api/v1/namespaces/demo/pods",
        "/k8s-proxy/api/v1/namespaces/demo/pods?watch=true",
        "/k8s-proxy/api/v1/namespaces/demo/pods/no-such-pod",
        "/k8s-proxy/apis",
    ] {
        let (status, took) = head(&addr, "GET", path).await;
        assert!(status.starts_with("HTTP/1.1 "), "{path}: {status}");
        assert!(took >= LATENCY, "{path} answered after {took:?}");
    }
}

#[tokio::test]
async fn control_endpoints_and_files_do_not_wait() {
    let addr = start(LATENCY).await;
    let (status, took) = head(&addr, "POST", "/_dev/stats").await;
    assert!(status.contains(" 200 "), "{status}");
    assert!(took < LATENCY, "/_dev/stats answered after {took:?}");
    let (_, took) = head(&addr, "GET", "/index.html").await;
    assert!(took < LATENCY, "a static file answered after {took:?}");
}

#[tokio::test]
async fn no_latency_by_default() {
    let addr = start(Duration::ZERO).await;
    let (status, took) = head(&addr, "GET", "/k8s-proxy/api/v1/namespaces").await;
    assert!(status.contains(" 200 "), "{status}");
    assert!(took < LATENCY, "answered after {took:?}");
}

#[tokio::test]
async fn preflight_latency_holds_only_preflights() {
    let addr = start_with(Duration::ZERO, LATENCY).await;
    let path = "/k8s-proxy/api/v1/namespaces";
    let (status, took) = head(&addr, "OPTIONS", path).await;
    assert!(status.starts_with("HTTP/1.1 "), "{status}");
    assert!(took >= LATENCY, "the preflight answered after {took:?}");
    let (status, took) = head(&addr, "GET", path).await;
    assert!(status.contains(" 200 "), "{status}");
    assert!(took < LATENCY, "the GET answered after {took:?}");
}
