//! The WebSocket watch aggregator (`/k8s-proxy/watch`, subprotocol `gitlab-agent-watch-api`): many
//! watches over one socket, as newer KAS versions offer it.
//!
//! 1. `GET /k8s-proxy/watch?kas-websocket-token-request=true` (normally authenticated) → `{"token"}`.
//! 2. Upgrade with subprotocols `gitlab-agent-watch-api` and `websocket-token.kas.gitlab.com.<token>`.
//! 3. Client → server: `{"type":"watch","watchId","watchParams":{group, version, resource,
//!    namespace, labelSelector, fieldSelector, resourceVersion, allowWatchBookmarks,
//!    sendInitialEvents, resourceVersionMatch, timeoutSeconds}}` and `{"type":"unwatch","watchId"}`.
//!    KAS decodes them with protojson, which also accepts the snake_case field names
//!    (`watch_id`, `watch_params`, `label_selector`, …, as `@gitlab/cluster-client` 3.0 sends them).
//! 4. Server → client, in protojson's camelCase: `{"type":"watch_event","watchId","watchEvent":{"type","object"}}`;
//!    `{"type":"error","watchId","error":{"message","object"?}}` (a `Status` when the API refused the
//!    watch; the watch is over); `{"type":"watch_end","watchId"}` when the server ended the watch
//!    (timeout), as the end of an HTTP watch response.
//!
//! An agent served by a real cluster (`--kubeconfig`, `--kas-url`) has its watches opened there,
//! as its HTTP requests are: every transport reaches the same backend.

use super::{admit, check_origin, kas_error, Kas, SocketCommand};
use crate::apiserver::rbac::{self, Identity};
use crate::apiserver::{expired_watch_body, request_fault, watch_spec};
use crate::cluster::Cluster;
use crate::http::status::ApiError;
use crate::http::{json_response, page_not_found, parse_query};
use crate::resources;
use crate::upstream::Upstream;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc;

const SUBPROTOCOL: &str = "gitlab-agent-watch-api";
const TOKEN_PREFIX: &str = "websocket-token.kas.gitlab.com.";
/// How long a watch token may wait for its socket.
const TOKEN_LIFETIME: std::time::Duration = std::time::Duration::from_secs(60);

/// Handles `/k8s-proxy/watch`: token requests and socket upgrades.
pub async fn ws_watch(
    State(kas): State<Kas>,
    method: Method,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    if !kas
        .watch_aggregator
        .load(std::sync::atomic::Ordering::SeqCst)
    {
        // An older KAS: the path is just another (unknown) API path.
        return page_not_found();
    }
    let query = parse_query(raw.as_deref());
    if query.get("kas-websocket-token-request").map(String::as_str) == Some("true") {
        let admitted = match admit(&kas.config, &method, &headers, &query) {
            Ok(a) => a,
            Err(answer) => return *answer,
        };
        let Some(token) = new_token() else {
            return kas_error(500, "Internal error: no random token available", false);
        };
        let Ok(mut tokens) = kas.ws_tokens.lock() else {
            return kas_error(500, "Internal error: the token store is unusable", false);
        };
        // Tokens are short-lived, as KAS's are: the ones never used are forgotten.
        tokens.retain(|_, (_, issued)| issued.elapsed() < TOKEN_LIFETIME);
        tokens.insert(token.clone(), (admitted.agent, std::time::Instant::now()));
        drop(tokens);
        let mut resp = json_response(200, &json!({ "token": token }));
        resp.headers_mut().extend(admitted.cors);
        return resp;
    }
    let Ok(upgrade) = upgrade else {
        return kas_error(
            400,
            "Bad request: expected a WebSocket upgrade or kas-websocket-token-request=true",
            false,
        );
    };
    if let Err(answer) = check_origin(&kas.config, &headers) {
        return *answer;
    }
    let offered: Vec<&str> = headers
        .get_all("sec-websocket-protocol")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let token = offered.iter().find_map(|p| p.strip_prefix(TOKEN_PREFIX));
    // A token opens one socket (KAS's are short-lived): a second upgrade needs a new one.
    let agent = token
        .and_then(|t| kas.ws_tokens.lock().ok()?.remove(t))
        .filter(|(_, issued)| issued.elapsed() < TOKEN_LIFETIME)
        .map(|(agent, _)| agent);
    let (true, Some(agent)) = (offered.contains(&SUBPROTOCOL), agent) else {
        return kas_error(
            401,
            "Unauthorized: missing or invalid WebSocket token",
            true,
        );
    };
    // The same backend as the agent's HTTP requests: its real cluster, else its simulated one.
    let backend = match (kas.upstreams.get(&agent), kas.agents.get(&agent)) {
        (Some(upstream), _) => Backend::Upstream(upstream.clone()),
        (None, Some(cluster)) => {
            Backend::Simulated(cluster.clone(), kas.identities.get(&agent).cloned())
        }
        (None, None) => return kas_error(401, "Unauthorized", true),
    };
    upgrade
        .protocols([SUBPROTOCOL])
        .on_upgrade(move |socket| serve(kas, backend, socket))
        .into_response()
}

/// A new WebSocket token (or CSP nonce): 128 bits from the OS's random source, in hex (`None` if
/// the OS has none).
pub(crate) fn new_token() -> Option<String> {
    use rand::TryRngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.try_fill_bytes(&mut bytes).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A field of a message by its camelCase name or its snake_case one (protojson accepts both).
fn field<'a>(msg: &'a Value, camel: &str, snake: &str) -> &'a Value {
    match &msg[camel] {
        Value::Null => &msg[snake],
        v => v,
    }
}

/// Kubernetes query parameters from the watch params.
fn query_of(params: &Value) -> HashMap<String, String> {
    let mut q = HashMap::new();
    q.insert("watch".to_owned(), "true".to_owned());
    for (snake, camel) in [
        ("label_selector", "labelSelector"),
        ("field_selector", "fieldSelector"),
        ("resource_version", "resourceVersion"),
        ("allow_watch_bookmarks", "allowWatchBookmarks"),
        ("send_initial_events", "sendInitialEvents"),
        ("resource_version_match", "resourceVersionMatch"),
        ("timeout_seconds", "timeoutSeconds"),
    ] {
        match field(params, camel, snake) {
            Value::String(s) => drop(q.insert(camel.to_owned(), s.clone())),
            Value::Bool(b) => drop(q.insert(camel.to_owned(), b.to_string())),
            Value::Number(n) => drop(q.insert(camel.to_owned(), n.to_string())),
            _ => {}
        }
    }
    q
}

fn error_message(id: &str, message: &str, status: Option<Value>) -> String {
    let mut error = json!({ "message": message });
    if let Some(s) = status {
        error["object"] = s;
    }
    json!({ "type": "error", "watchId": id, "error": error }).to_string()
}

/// Where a socket's watches are served from.
enum Backend {
    /// The simulated cluster, seen as this agent's identity (its RBAC rules), if it has one.
    Simulated(Arc<Cluster>, Option<Identity>),
    Upstream(Arc<Upstream>),
}

/// Starts one watch; its events go to `out` until it ends.
fn start_watch(
    kas: &Kas,
    backend: &Backend,
    msg: &Value,
    out: mpsc::Sender<String>,
) -> Result<tokio::task::JoinHandle<()>, String> {
    let id = field(msg, "watchId", "watch_id")
        .as_str()
        .unwrap_or("")
        .to_owned();
    let p = field(msg, "watchParams", "watch_params");
    let (cluster, identity) = match backend {
        Backend::Simulated(cluster, identity) => (cluster, identity.as_ref()),
        Backend::Upstream(upstream) => {
            let path = upstream_watch_path(p).map_err(|e| error_message(&id, &e, None))?;
            return Ok(tokio::spawn(upstream_watch(
                upstream.clone(),
                path,
                id,
                out,
            )));
        }
    };
    let s = |k: &str| p[k].as_str().unwrap_or("");
    let Some(def) = resources::by_path(s("group"), s("version"), s("resource")) else {
        let gone = ApiError::not_found(s("resource"), "");
        return Err(error_message(
            &id,
            &format!(
                "unknown resource {}/{}/{}",
                s("group"),
                s("version"),
                s("resource")
            ),
            Some(gone.to_status()),
        ));
    };
    let namespace = Some(s("namespace")).filter(|n| !n.is_empty());
    rbac::check_watch(identity, def.group, def.plural, namespace).map_err(|status| {
        error_message(
            &id,
            status["message"].as_str().unwrap_or(""),
            Some(status.clone()),
        )
    })?;
    let query = query_of(p);
    if let Some(status) = request_fault(&kas.api, def, &query) {
        // A 410 is the watch's one ERROR event (the API server answers 200), relayed as any.
        if let Some(body) = expired_watch_body(&status) {
            let chunk = Ok::<_, std::convert::Infallible>(axum::body::Bytes::from(body));
            return Ok(tokio::spawn(relay(
                id,
                futures_util::stream::iter([chunk]),
                out,
            )));
        }
        let message = status["message"].as_str().unwrap_or_default().to_owned();
        return Err(error_message(&id, &message, Some(status)));
    }
    let spec = watch_spec(&kas.api, cluster, def, namespace, &query, None)
        .map_err(|e| error_message(&id, &e.message, Some(e.to_status())))?;
    let mut rx = cluster.watch(spec);
    let chunks = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    Ok(tokio::spawn(relay(id, chunks, out)))
}

/// The API path of a watch on a real cluster: `/api/v1/namespaces/demo/pods?watch=true&…`.
fn upstream_watch_path(p: &Value) -> Result<String, String> {
    let s = |k: &str| p[k].as_str().unwrap_or("");
    let (group, version, resource, namespace) =
        (s("group"), s("version"), s("resource"), s("namespace"));
    // A DNS-1123 label (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`): never `.` or `..`.
    let label = |v: &str| {
        v.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
            && !v.starts_with('-')
            && !v.ends_with('-')
    };
    // A group is labels joined by dots (`apps`, `helm.toolkit.fluxcd.io`), or empty (core).
    let group_ok = group.is_empty() || group.split('.').all(|l| !l.is_empty() && label(l));
    if version.is_empty()
        || resource.is_empty()
        || !group_ok
        || ![version, resource, namespace].into_iter().all(label)
    {
        return Err(format!(
            "invalid watch parameters: group {group:?}, version {version:?}, resource {resource:?}, namespace {namespace:?}"
        ));
    }
    let mut path = match group {
        "" => format!("/api/{version}"),
        g => format!("/apis/{g}/{version}"),
    };
    if !namespace.is_empty() {
        path += &format!("/namespaces/{namespace}");
    }
    let mut query: Vec<String> = query_of(p)
        .into_iter()
        .map(|(k, v)| format!("{k}={}", lookout_client::api::query::encode(&v)))
        .collect();
    query.sort();
    Ok(format!("{path}/{resource}?{}", query.join("&")))
}

/// Runs one watch on a real cluster: a refusal becomes an `error` carrying the API's `Status`.
async fn upstream_watch(
    upstream: Arc<Upstream>,
    path: String,
    id: String,
    out: mpsc::Sender<String>,
) {
    use http_body_util::BodyExt;
    let response = upstream
        .forward(&Method::GET, &path, &HeaderMap::new(), Default::default())
        .await;
    let code = response.status();
    if !code.is_success() {
        let body = response
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        // Not every refusal is a `Status` (`404 page not found`, a proxy's page): make one.
        let status = serde_json::from_slice::<Value>(&body)
            .ok()
            .filter(|s| s["kind"] == "Status")
            .unwrap_or_else(|| {
                let text = String::from_utf8_lossy(&body);
                let message = match text.trim() {
                    "" => format!("the API server answered {code}"),
                    text => text.chars().take(200).collect(),
                };
                ApiError::from_code(code.as_u16(), message).to_status()
            });
        let message = status["message"].as_str().unwrap_or_default().to_owned();
        let _ = out.send(error_message(&id, &message, Some(status))).await;
        return;
    }
    relay(id, response.into_body().into_data_stream(), out).await;
}

/// Passes a watch response's events (one JSON object a line, lines split anywhere across chunks)
/// to the socket as `watch_event` messages, then `watch_end`; a broken stream is an `error`.
async fn relay<E>(
    id: String,
    mut chunks: impl futures_util::Stream<Item = Result<axum::body::Bytes, E>> + Unpin,
    out: mpsc::Sender<String>,
) {
    use futures_util::StreamExt;
    let mut pending = Vec::new();
    while let Some(chunk) = chunks.next().await {
        let Ok(bytes) = chunk else {
            let _ = out
                .send(error_message(&id, "the watch connection dropped", None))
                .await;
            return;
        };
        pending.extend_from_slice(&bytes);
        while let Some(end) = pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            let Ok(event) = serde_json::from_slice::<Value>(&line) else {
                continue;
            };
            let msg =
                json!({ "type": "watch_event", "watchId": id, "watchEvent": event }).to_string();
            if out.send(msg).await.is_err() {
                return;
            }
        }
    }
    let _ = out
        .send(json!({ "type": "watch_end", "watchId": id }).to_string())
        .await;
}

async fn serve(kas: Kas, backend: Backend, mut socket: WebSocket) {
    let _open = match &backend {
        Backend::Simulated(cluster, _) => Some(cluster.count_socket()),
        Backend::Upstream(_) => None,
    };
    let (out, mut outgoing) = mpsc::channel::<String>(1024);
    let mut watches: HashMap<String, tokio::task::JoinHandle<()>> = HashMap::new();
    let mut commands = kas.config.socket_commands.subscribe();
    let garbled = kas.config.garbled_sockets.fetch_update(
        std::sync::atomic::Ordering::SeqCst,
        std::sync::atomic::Ordering::SeqCst,
        |n| n.checked_sub(1),
    );
    if garbled.is_ok() {
        let frame = Message::Text("<html>502 Bad Gateway</html>".into());
        if socket.send(frame).await.is_err() {
            return;
        }
    }
    loop {
        tokio::select! {
            command = commands.recv() => match command {
                Ok(SocketCommand::Send(text)) => {
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Ok(SocketCommand::Close) | Err(_) => break,
            },
            incoming = socket.recv() => {
                let text = match incoming {
                    Some(Ok(Message::Text(t))) => t,
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Binary(_))) => continue,
                    _ => break,
                };
                let Ok(msg) = serde_json::from_str::<Value>(&text) else {
                    let _ = out.send(error_message("", "malformed message: not JSON", None)).await;
                    continue;
                };
                let id = field(&msg, "watchId", "watch_id").as_str().unwrap_or("").to_owned();
                match msg["type"].as_str() {
                    Some("watch") => match start_watch(&kas, &backend, &msg, out.clone()) {
                        Ok(task) => {
                            if let Some(old) = watches.insert(id, task) {
                                old.abort();
                            }
                        }
                        Err(error) => drop(out.send(error).await),
                    },
                    Some("unwatch") => {
                        if let Some(task) = watches.remove(&id) {
                            task.abort();
                        }
                    }
                    other => drop(out.send(error_message(&id, &format!("unknown message type {other:?}"), None)).await),
                }
            }
            Some(text) = outgoing.recv() => {
                if socket.send(Message::Text(text.into())).await.is_err() {
                    break;
                }
            }
        }
    }
    for task in watches.into_values() {
        task.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::{new_token, upstream_watch_path};
    use serde_json::json;

    #[test]
    fn tokens_are_128_random_bits_in_hex() {
        let tokens: std::collections::HashSet<String> =
            (0..64).filter_map(|_| new_token()).collect();
        assert_eq!(tokens.len(), 64, "64 distinct tokens");
        for t in &tokens {
            assert!(
                t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()),
                "{t}"
            );
        }
    }

    #[test]
    fn upstream_watch_paths_are_api_paths_and_nothing_else() {
        let p = json!({ "group": "apps", "version": "v1", "resource": "deployments",
            "namespace": "demo", "label_selector": "app in (a,b)", "allow_watch_bookmarks": true });
        assert_eq!(
            upstream_watch_path(&p).unwrap(),
            "/apis/apps/v1/namespaces/demo/deployments?allowWatchBookmarks=true&labelSelector=app%20in%20%28a%2Cb%29&watch=true"
        );
        let flux = json!({ "group": "helm.toolkit.fluxcd.io", "version": "v2beta1",
            "resource": "helmreleases", "namespace": "flux-system" });
        assert_eq!(
            upstream_watch_path(&flux).unwrap(),
            "/apis/helm.toolkit.fluxcd.io/v2beta1/namespaces/flux-system/helmreleases?watch=true"
        );
        let core = json!({ "version": "v1", "resource": "nodes" });
        assert_eq!(
            upstream_watch_path(&core).unwrap(),
            "/api/v1/nodes?watch=true"
        );
        for bad in [
            json!({ "version": "v1", "resource": "pods", "namespace": "../../secrets" }),
            json!({ "version": "v1", "resource": "pods", "namespace": ".." }),
            json!({ "version": "v1", "resource": "pods", "namespace": "." }),
            json!({ "version": "v1", "resource": "pods", "namespace": ".hidden" }),
            json!({ "version": "..", "resource": "pods" }),
            json!({ "group": "..", "version": "v1", "resource": "pods" }),
            json!({ "group": ".", "version": "v1", "resource": "pods" }),
            json!({ "group": "apps.", "version": "v1", "resource": "deployments" }),
            json!({ "version": "v1", "resource": "Pods" }),
            json!({ "version": "v1", "resource": "pods?x=1" }),
            json!({ "resource": "pods" }),
        ] {
            assert!(upstream_watch_path(&bad)
                .unwrap_err()
                .starts_with("invalid watch parameters"));
        }
    }
}
