//! `lookout-dev --kubeconfig` against the ways real clusters are reached: TLS with a CA and client
//! certificates (generated here), `tls-server-name`, `insecure-skip-tls-verify`, paths relative to
//! the kubeconfig, exec plugins whose tokens expire, token files rotated on disk, an HTTP proxy,
//! several contexts as agents. The "real" API server is a simulated cluster behind TLS that
//! requires a client certificate and a bearer token.

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use futures_util::StreamExt;
use lookout_client::api::transport::native::NativeTransport;
use lookout_client::api::transport::Transport;
use lookout_client::{Auth, Connection, Method};
use lookout_devserver::cluster::Cluster;
use lookout_devserver::kas::KasConfig;
use lookout_devserver::resources;
use lookout_devserver::upstream::{from_kubeconfig, Upstream};
use lookout_devserver::{router, seed, AppState};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::future::IntoFuture;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

mod common;

/// A CA, a server certificate for `api.test` (no IP address: `tls-server-name` or a proxy is
/// needed to reach it by 127.0.0.1) and a client certificate, all PEM.
struct Pki {
    ca: String,
    server: (String, String),
    client: (String, String),
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "lookout test CA");
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca = params.self_signed(&ca_key).unwrap().pem();
    let issuer = Issuer::new(params, ca_key);
    let leaf = |names: Vec<String>, name: &str, usage| {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(names).unwrap();
        params.distinguished_name.push(DnType::CommonName, name);
        params.extended_key_usages = vec![usage];
        let cert = params.signed_by(&key, &issuer).unwrap();
        (cert.pem(), key.serialize_pem())
    };
    Pki {
        server: leaf(
            vec!["api.test".into()],
            "api.test",
            ExtendedKeyUsagePurpose::ServerAuth,
        ),
        client: leaf(
            vec![],
            "lookout-tester",
            ExtendedKeyUsagePurpose::ClientAuth,
        ),
        ca,
    }
}

/// Accepts TLS connections that present a client certificate of the test CA.
struct TlsListener {
    tcp: TcpListener,
    tls: tokio_rustls::TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((tcp, addr)) = self.tcp.accept().await else {
                continue;
            };
            if let Ok(stream) = self.tls.accept(tcp).await {
                return (stream, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

fn tls_acceptor(pki: &Pki) -> tokio_rustls::TlsAcceptor {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(pki.ca.as_bytes()).unwrap())
        .unwrap();
    let clients =
        rustls::server::WebPkiClientVerifier::builder_with_provider(roots.into(), provider.clone())
            .build()
            .unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(clients)
        .with_single_cert(
            vec![CertificateDer::from_pem_slice(pki.server.0.as_bytes()).unwrap()],
            PrivateKeyDer::from_pem_slice(pki.server.1.as_bytes()).unwrap(),
        )
        .unwrap();
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

/// Which bearer tokens the API server accepts, and for how long more (watches end then).
type Check = Arc<dyn Fn(&str) -> Option<Option<Duration>> + Send + Sync>;

/// The API server's authentication: every token it was sent, whether accepted.
#[derive(Clone)]
struct Guard {
    check: Check,
    seen: Arc<Mutex<Vec<(String, bool)>>>,
}

async fn authenticate(State(guard): State<Guard>, mut request: Request, next: Next) -> Response {
    let token = request
        .headers_mut()
        .remove("authorization")
        .and_then(|v| v.to_str().ok()?.strip_prefix("Bearer ").map(str::to_owned))
        .unwrap_or_default();
    let verdict = (guard.check)(&token);
    guard.seen.lock().unwrap().push((token, verdict.is_some()));
    let Some(lifetime) = verdict else {
        let status = json!({ "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": "Unauthorized", "reason": "Unauthorized", "code": 401 });
        return (axum::http::StatusCode::UNAUTHORIZED, axum::Json(status)).into_response();
    };
    let watch = request
        .uri()
        .query()
        .is_some_and(|q| q.contains("watch=true"));
    let mut response = next.run(request).await;
    // What must stay between lookout-dev and the API server.
    let headers = response.headers_mut();
    headers.insert("set-cookie", "api-session=secret".parse().unwrap());
    headers.insert("www-authenticate", "Bearer realm=\"api\"".parse().unwrap());
    match (watch, lifetime) {
        // An API server stops serving a watch whose credentials expired.
        (true, Some(lifetime)) => {
            let (parts, body) = response.into_parts();
            let body = body
                .into_data_stream()
                .take_until(tokio::time::sleep(lifetime));
            Response::from_parts(parts, axum::body::Body::from_stream(body))
        }
        _ => response,
    }
}

/// A TLS API server with the seeded demo cluster at `https://<addr>/k8s-proxy`.
struct Api {
    addr: String,
    cluster: Arc<Cluster>,
    seen: Arc<Mutex<Vec<(String, bool)>>>,
}

async fn api(pki: &Pki, check: Check) -> Api {
    let (cluster, mut state) = common::seeded(1000);
    // Reached as https://api.test:<port>: its name, trusted as its own.
    state.kas = Arc::new(KasConfig {
        host: Some("api.test".into()),
        ..KasConfig::default()
    });
    let guard = Guard {
        check,
        seen: Arc::default(),
    };
    let app = router(state, PathBuf::from("/nonexistent"))
        .layer(middleware::from_fn_with_state(guard.clone(), authenticate));
    let tcp = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = tcp.local_addr().unwrap().to_string();
    let listener = TlsListener {
        tcp,
        tls: tls_acceptor(pki),
    };
    tokio::spawn(axum::serve(listener, app).into_future());
    Api {
        addr,
        cluster,
        seen: guard.seen,
    }
}

fn only(token: &'static str) -> Check {
    Arc::new(move |t| (t == token).then_some(None))
}

/// lookout-dev serving `upstreams` as agents 1..N; the connection to agent `n` of it.
async fn front(upstreams: Vec<Arc<Upstream>>) -> String {
    let mut state = AppState::single(
        Cluster::new(10),
        Duration::from_secs(60),
        Duration::from_millis(50),
    );
    state.agents = Arc::default();
    state.upstreams = Arc::new((1..).zip(upstreams).collect::<BTreeMap<_, _>>());
    common::serve(state).await
}

fn agent(front: &str, agent_id: u64) -> Connection {
    Connection::new(
        &format!("http://{front}/k8s-proxy"),
        Auth::ProxyAgent { agent_id },
    )
}

async fn get(conn: &Connection, path: &str) -> (u16, Value) {
    let resp = NativeTransport::default()
        .send(conn.request(Method::Get, path))
        .await
        .unwrap();
    let status = resp.status;
    let body = resp.bytes().await.unwrap();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// A scratch directory (not the working directory), removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new(tag: &str) -> Dir {
        let p = std::env::temp_dir().join(format!("lookout-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap();
        Dir(p)
    }
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn b64(pem: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(pem)
}

/// A kubeconfig of `(context, cluster fields, user fields)`, each field list YAML at 4 spaces.
fn kubeconfig(entries: &[(&str, String, String)]) -> String {
    let mut clusters = String::new();
    let mut users = String::new();
    let mut contexts = String::new();
    for (name, cluster, user) in entries {
        clusters += &format!("- name: {name}\n  cluster:\n{cluster}");
        users += &format!("- name: {name}\n  user:\n{user}");
        contexts += &format!("- name: {name}\n  context:\n    cluster: {name}\n    user: {name}\n");
    }
    format!("apiVersion: v1\nkind: Config\ncurrent-context: {}\nclusters:\n{clusters}users:\n{users}contexts:\n{contexts}", entries[0].0)
}

/// Cluster fields trusting the test CA (inline) for a server reached as `https://<addr>`.
fn trusting(pki: &Pki, addr: &str) -> String {
    format!("    server: https://{addr}/k8s-proxy\n    certificate-authority-data: {}\n    tls-server-name: api.test\n", b64(&pki.ca))
}

/// User fields with the test client certificate (inline) and more.
fn certified(pki: &Pki, more: &str) -> String {
    format!(
        "    client-certificate-data: {}\n    client-key-data: {}\n{more}",
        b64(&pki.client.0),
        b64(&pki.client.1)
    )
}

#[tokio::test]
async fn tls_client_certificates_relative_paths_and_several_contexts() {
    let pki = pki();
    let first = api(&pki, only("first-token")).await;
    let second = api(&pki, only("second-token")).await;
    seed::seed_staging(&second.cluster);
    // Files next to the kubeconfig, named relative to it; the tests run elsewhere.
    let dir = Dir::new("kubeconfig-tls");
    dir.write("ca.crt", &pki.ca);
    dir.write("client.crt", &pki.client.0);
    dir.write("client.key", &pki.client.1);
    let by_files = format!(
        "    server: https://{}/k8s-proxy\n    certificate-authority: ca.crt\n    tls-server-name: api.test\n",
        first.addr
    );
    let path = dir.write(
        "config",
        &kubeconfig(&[
            (
                "first",
                by_files,
                "    client-certificate: client.crt\n    client-key: client.key\n    token: first-token\n".into(),
            ),
            (
                "second",
                trusting(&pki, &second.addr),
                certified(&pki, "    token: second-token\n"),
            ),
            (
                "no-server-name",
                format!("    server: https://{}/k8s-proxy\n    certificate-authority: ca.crt\n", first.addr),
                certified(&pki, "    token: first-token\n"),
            ),
            (
                "insecure",
                format!("    server: https://{}/k8s-proxy\n    insecure-skip-tls-verify: true\n", first.addr),
                certified(&pki, "    token: first-token\n"),
            ),
            ("no-client-cert", trusting(&pki, &first.addr), "    token: first-token\n".into()),
        ]),
    );
    assert_ne!(std::env::current_dir().unwrap(), dir.0);
    let names: Vec<String> = [
        "first",
        "second",
        "no-server-name",
        "insecure",
        "no-client-cert",
    ]
    .map(String::from)
    .to_vec();
    let front = front(from_kubeconfig(Some(&path), &names).await.unwrap()).await;

    let (status, pods) = get(&agent(&front, 1), "/api/v1/namespaces/demo/pods").await;
    assert_eq!(status, 200, "{pods}");
    assert_eq!(pods["items"].as_array().unwrap().len(), 6);
    // Agent 2 is the other cluster: its staging namespace exists, and its own token was sent.
    let (status, ns) = get(&agent(&front, 2), "/api/v1/namespaces/staging").await;
    assert_eq!(
        (status, ns["metadata"]["name"].as_str()),
        (200, Some("staging"))
    );
    assert_eq!(
        second.seen.lock().unwrap().as_slice(),
        [("second-token".to_owned(), true)]
    );
    // The certificate names api.test, not 127.0.0.1: without tls-server-name it is refused.
    let (status, refused) = get(&agent(&front, 3), "/api/v1/namespaces").await;
    assert_eq!(status, 503, "{refused}");
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .contains("cannot reach https://127.0.0.1"));
    assert_eq!(get(&agent(&front, 4), "/api/v1/namespaces").await.0, 200);
    // The server requires a client certificate.
    assert_eq!(get(&agent(&front, 5), "/api/v1/namespaces").await.0, 503);
    assert!(first
        .seen
        .lock()
        .unwrap()
        .iter()
        .all(|(t, ok)| t == "first-token" && *ok));

    // Only the answer reaches the browser: none of the API server's cookies or auth headers.
    let head = raw_get(&front, "/k8s-proxy/api/v1/namespaces").await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-type: application/json"), "{head}");
    assert!(
        !head.contains("set-cookie") && !head.contains("www-authenticate"),
        "{head}"
    );

    // The app's cluster picker names the agents by context.
    let resp = NativeTransport::default()
        .send(
            Connection::new(&format!("http://{front}"), Auth::None)
                .request(Method::Get, "/_dev/agents"),
        )
        .await
        .unwrap();
    let agents: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    let listed: Vec<(u64, &str, bool)> = agents
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_u64().unwrap(),
                a["name"].as_str().unwrap(),
                a["simulated"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (1, "first", false),
            (2, "second", false),
            (3, "no-server-name", false),
            (4, "insecure", false),
            (5, "no-client-cert", false)
        ]
    );
}

/// The status line and headers (lower-cased) of a plain `GET` to agent 1.
async fn raw_get(addr: &str, path: &str) -> String {
    use tokio::io::AsyncReadExt;
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nGitLab-Agent-Id: 1\r\nConnection: close\r\n\r\n"
    );
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut raw = String::new();
    tcp.read_to_string(&mut raw).await.unwrap();
    raw.split("\r\n\r\n").next().unwrap().to_lowercase()
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Reads a watch body until `want` shows up; `None` when the stream ends first.
async fn until(
    body: &mut futures_util::stream::LocalBoxStream<
        'static,
        Result<Vec<u8>, lookout_client::Error>,
    >,
    want: &str,
) -> Option<String> {
    let mut seen = String::new();
    loop {
        let chunk = tokio::time::timeout(Duration::from_secs(8), body.next())
            .await
            .expect("the watch goes on or ends in time")?;
        seen += &String::from_utf8_lossy(&chunk.ok()?);
        if seen.contains(want) {
            return Some(seen);
        }
    }
}

#[tokio::test]
async fn exec_plugin_tokens_are_renewed_when_they_expire_mid_watch() {
    let pki = pki();
    // Tokens `exec-<n>-<expiry>` are good until their expiry (Unix seconds).
    let check: Check = Arc::new(|t| {
        let expiry: u64 = t.strip_prefix("exec-")?.split('-').nth(1)?.parse().ok()?;
        let left = expiry.checked_sub(now()).filter(|s| *s > 0)?;
        Some(Some(Duration::from_secs(left)))
    });
    let server = api(&pki, check).await;
    let dir = Dir::new("kubeconfig-exec");
    // Each run counts itself and issues a token valid for 3 seconds.
    let script = dir.write(
        "credential.sh",
        r#"#!/bin/sh
d=$(dirname "$0"); n=$(( $(cat "$d/runs" 2>/dev/null || echo 0) + 1 )); echo $n > "$d/runs"
exp=$(( $(date +%s) + 3 ))
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-%s-%s","expirationTimestamp":"%s"}}' $n $exp "$(date -u -d @$exp +%Y-%m-%dT%H:%M:%SZ)"
"#,
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    // A relative command with a path separator resolves against the kubeconfig's directory.
    let exec = certified(
        &pki,
        "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./credential.sh\n      interactiveMode: Never\n",
    );
    let path = dir.write(
        "config",
        &kubeconfig(&[("exec", trusting(&pki, &server.addr), exec)]),
    );
    let front = front(from_kubeconfig(Some(&path), &[]).await.unwrap()).await;
    let conn = agent(&front, 1);

    let (status, list) = get(&conn, "/api/v1/namespaces/demo/pods").await;
    assert_eq!(status, 200, "{list}");
    let rv = list["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_owned();
    let pods = resources::by_kind("v1", "Pod").unwrap();
    let step = |step: &str| {
        let patch = json!({ "metadata": { "labels": { "step": step } } });
        server
            .cluster
            .patch(pods, "demo", "cache-0", &patch)
            .unwrap();
    };
    let watch = |rv: String| {
        NativeTransport::default().send(conn.request(
            Method::Get,
            &format!("/api/v1/namespaces/demo/pods?watch=true&resourceVersion={rv}"),
        ))
    };
    let mut body = watch(rv).await.unwrap().body;
    step("one");
    let events = until(&mut body, "\"step\":\"one\"")
        .await
        .expect("an event before expiry");
    // The token expires: the API server ends the watch…
    assert_eq!(until(&mut body, "never").await, None);
    let last = events
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str::<Value>(l).ok())
        .unwrap();
    let rv = last["object"]["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_owned();
    // …and the watch resumes with a renewed token.
    let resumed = watch(rv).await.unwrap();
    assert_eq!(resumed.status, 200);
    let mut body = resumed.body;
    step("two");
    assert!(until(&mut body, "\"step\":\"two\"").await.is_some());

    let seen = server.seen.lock().unwrap().clone();
    assert!(seen.iter().all(|(_, ok)| *ok), "{seen:?}");
    let tokens: std::collections::BTreeSet<_> = seen.iter().map(|(t, _)| t.clone()).collect();
    assert!(tokens.len() >= 2, "one token for every request: {seen:?}");
    let runs: u32 = std::fs::read_to_string(dir.0.join("runs"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(runs >= 2, "{runs}");
}

#[tokio::test]
async fn a_token_file_rotated_on_disk_is_picked_up() {
    let pki = pki();
    let current = Arc::new(Mutex::new("first".to_owned()));
    let valid = current.clone();
    let server = api(
        &pki,
        Arc::new(move |t| (*valid.lock().unwrap() == t).then_some(None)),
    )
    .await;
    let dir = Dir::new("kubeconfig-token-file");
    dir.write("token", "first\n");
    let path = dir.write(
        "config",
        &kubeconfig(&[(
            "file",
            trusting(&pki, &server.addr),
            certified(&pki, "    tokenFile: token\n"),
        )]),
    );
    let conn = agent(
        &front(from_kubeconfig(Some(&path), &[]).await.unwrap()).await,
        1,
    );
    let (status, body) = get(&conn, "/api/v1/namespaces").await;
    assert_eq!(status, 200, "{body}");

    // The token is rotated: the server takes only the new one from now on.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    dir.write("token", "second\n");
    *current.lock().unwrap() = "second".into();
    let (status, body) = get(&conn, "/api/v1/namespaces").await;
    assert_eq!(status, 200, "{body}");
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            ("first".to_owned(), true),
            ("first".to_owned(), false),
            ("second".to_owned(), true)
        ]
    );
    assert_eq!(get(&conn, "/api/v1/namespaces").await.0, 200);
}

/// An HTTP CONNECT proxy that sends every tunnel to 127.0.0.1 (whatever host is asked: `api.test`
/// resolves nowhere else) and records the targets it was asked for.
async fn connect_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let tunnels = Arc::new(Mutex::new(Vec::new()));
    let record = tunnels.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let record = record.clone();
            tokio::spawn(async move {
                let mut client = BufReader::new(client);
                let mut head = String::new();
                while client.read_line(&mut head).await.unwrap_or(0) > 2
                    && !head.ends_with("\r\n\r\n")
                {}
                let target = head.split_whitespace().nth(1).unwrap_or("").to_owned();
                let port = target.rsplit(':').next().unwrap_or("");
                let Ok(mut upstream) = TcpStream::connect(format!("127.0.0.1:{port}")).await else {
                    return;
                };
                record.lock().unwrap().push(target);
                let mut client = client.into_inner();
                let _ = client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await;
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            });
        }
    });
    (addr, tunnels)
}

#[tokio::test]
async fn proxy_url_tunnels_through_the_proxy() {
    let pki = pki();
    let server = api(&pki, only("proxied")).await;
    let port = server.addr.rsplit(':').next().unwrap();
    let (proxy, tunnels) = connect_proxy().await;
    let dir = Dir::new("kubeconfig-proxy");
    let cluster = format!(
        "    server: https://api.test:{port}/k8s-proxy\n    certificate-authority-data: {}\n    proxy-url: http://{proxy}\n",
        b64(&pki.ca)
    );
    let path = dir.write(
        "config",
        &kubeconfig(&[("proxied", cluster, certified(&pki, "    token: proxied\n"))]),
    );
    let conn = agent(
        &front(from_kubeconfig(Some(&path), &[]).await.unwrap()).await,
        1,
    );
    let (status, body) = get(&conn, "/api/v1/namespaces/demo/pods").await;
    assert_eq!(status, 200, "{body}");
    let tunnels = tunnels.lock().unwrap().clone();
    assert!(
        !tunnels.is_empty() && tunnels.iter().all(|t| *t == format!("api.test:{port}")),
        "{tunnels:?}"
    );
}

#[tokio::test]
async fn kubeconfig_errors_name_the_context_and_the_file() {
    let dir = Dir::new("kubeconfig-errors");
    let path = dir.write(
        "config",
        &kubeconfig(&[(
            "files",
            "    server: https://127.0.0.1:9\n    certificate-authority: missing-ca.crt\n".into(),
            "    token: x\n".into(),
        )]),
    );
    let err = from_kubeconfig(Some(&path), &[]).await.unwrap_err();
    // The missing file is looked for next to the kubeconfig, not in the working directory.
    let expected = dir.0.join("missing-ca.crt");
    assert!(err.contains("context \"files\""), "{err}");
    assert!(err.contains(expected.to_str().unwrap()), "{err}");
    let err = from_kubeconfig(Some(Path::new("/nonexistent/kubeconfig")), &[])
        .await
        .unwrap_err();
    assert!(
        err.starts_with("kubeconfig /nonexistent/kubeconfig:"),
        "{err}"
    );
}

/// The only test that reads `KUBECONFIG` (no other test of this binary depends on it).
#[tokio::test]
async fn without_a_path_kubeconfig_files_are_merged_and_the_current_context_is_used() {
    let dir = Dir::new("kubeconfig-env");
    let entry = |name: &'static str| {
        (
            name,
            format!("    server: http://{name}.invalid\n"),
            "    token: x\n".to_owned(),
        )
    };
    let one = dir.write("one", &kubeconfig(&[entry("alpha")]));
    let two = dir.write("two", &kubeconfig(&[entry("beta"), entry("gamma")]));
    let list = std::env::join_paths([&one, &two]).unwrap();
    std::env::set_var("KUBECONFIG", &list);
    // The first file's current context wins; the others' contexts are there by name.
    let current = from_kubeconfig(None, &[]).await.unwrap();
    let named = from_kubeconfig(None, &["gamma".into(), "alpha".into()])
        .await
        .unwrap();
    std::env::remove_var("KUBECONFIG");
    let names = |ups: &[Arc<Upstream>]| ups.iter().map(|u| u.name().to_owned()).collect::<Vec<_>>();
    assert_eq!(names(&current), ["alpha"]);
    assert_eq!(names(&named), ["gamma", "alpha"]);
}
