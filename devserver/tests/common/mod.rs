//! Raw HTTP/1.1 calls for the devserver's integration tests: exactly the headers given, the
//! whole answer read.

#![allow(dead_code)] // each test file uses a part

use lookout_devserver::cluster::Cluster;
use lookout_devserver::{router, seed, AppState};
use std::future::IntoFuture;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Serves `state` (no app files) on a loopback port; its address.
pub async fn serve(state: AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(axum::serve(listener, router(state, PathBuf::from("/nonexistent"))).into_future());
    addr
}

/// The seeded demo cluster (keeping `history` changes, no living demo) and a state serving it as
/// agent 1: bookmarks every 60 s, a log line every 50 ms.
pub fn seeded(history: usize) -> (Arc<Cluster>, AppState) {
    let cluster = Cluster::new(history);
    seed::seed(&cluster);
    let state = AppState::single(
        cluster.clone(),
        Duration::from_secs(60),
        Duration::from_millis(50),
    );
    (cluster, state)
}

/// A response: status, headers, body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    /// A header's value (names are case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`null` if it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// One HTTP/1.1 request with exactly these headers, read to the end.
pub async fn call(addr: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
    call_with_body(addr, method, path, headers, "").await
}

/// [`call`] with a request body.
pub async fn call_with_body(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    // The server's address is the `Host`, unless the caller names another.
    let host = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("host"))
        .map_or(addr, |(_, v)| v);
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    let headers = headers
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("host"));
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_owned(),
    }
}
