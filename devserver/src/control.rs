//! `POST /_dev/…`: control endpoints tests use to change the simulated cluster and its connections.

use crate::http::json_response;
use crate::http::status::ApiError;
use crate::kas::SocketCommand;
use crate::resources::{self, ResourceDef};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

fn field<'a>(body: &'a Value, name: &str) -> Result<&'a str, ApiError> {
    body[name]
        .as_str()
        .ok_or_else(|| ApiError::bad_request(format!("missing string field {name:?}")))
}

fn def_of(body: &Value) -> Result<&'static ResourceDef, ApiError> {
    let (api_version, kind) = (field(body, "apiVersion")?, field(body, "kind")?);
    resources::by_kind(api_version, kind)
        .ok_or_else(|| ApiError::bad_request(format!("unknown kind {kind:?} in {api_version:?}")))
}

fn namespace(body: &Value) -> &str {
    body["metadata"]["namespace"]
        .as_str()
        .or(body["namespace"].as_str())
        .unwrap_or("")
}

/// Dispatches `/_dev/{action}`:
/// - `create`: body is a whole object (status included), like `kubectl create`.
/// - `patch`: `{apiVersion, kind, namespace, name, patch}` — a merge patch, status included.
/// - `delete`: `{apiVersion, kind, namespace, name, gracePeriodSeconds?}` (default 0: at once).
/// - `stats`: open watch streams and sockets, sockets opened so far, the current resourceVersion.
/// - `watch-aggregator`: `{enabled}` serves or hides `/k8s-proxy/watch` (as older KAS versions).
/// - `faults`: `{kinds, rate, seed, count?, resource?, retryAfter?, stallMs?}` (see `faults.rs`);
///   `faults-report`: what was injected since the last report.
/// - `clock`: `{paused?, advance?}` pauses/resumes the demo story and runs N seconds of it now.
/// - `drop-watches`: cuts every open watch connection mid-stream.
/// - `socket-garbage`: `{text?}` sends every watch socket a frame that is not JSON;
///   `{newSockets: n}` makes the next `n` sockets open with one instead.
/// - `session`: `{expired}` expires GitLab sessions mid-watch (or signs them in again).
/// - `compact`: forgets the change history, so older resourceVersions get `410 Expired`.
pub async fn control(
    State(app): State<AppState>,
    Path(action): Path<String>,
    RawQuery(raw): RawQuery,
    body: axum::body::Bytes,
) -> Response {
    let body: Value = if body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                return ApiError::bad_request(format!("the body is not valid JSON: {e}"))
                    .into_response()
            }
        }
    };
    let query = crate::http::parse_query(raw.as_deref());
    let agent = query.get("agent").and_then(|a| a.parse().ok()).unwrap_or(1);
    let Some(cluster) = app.agents.get(&agent) else {
        return ApiError::not_found("agents", &agent.to_string()).into_response();
    };
    let result = match action.as_str() {
        "create" => {
            def_of(&body).and_then(|def| cluster.create(def, namespace(&body), body.clone()))
        }
        "patch" => def_of(&body).and_then(|def| {
            cluster.patch(def, namespace(&body), field(&body, "name")?, &body["patch"])
        }),
        "delete" => def_of(&body).and_then(|def| {
            let grace = body["gracePeriodSeconds"].as_u64().unwrap_or(0);
            cluster
                .delete(def, namespace(&body), field(&body, "name")?, Some(grace))
                .map(|d| d.object)
        }),
        "stats" => Ok(json!({
            "openWatches": cluster.open_watches(),
            "httpWatches": cluster.http_watches(),
            "watchSockets": cluster.sockets(),
            "watchSocketsOpened": cluster.sockets_opened(),
            "resourceVersion": cluster.resource_version().to_string(),
        })),
        "watch-aggregator" => {
            let enabled = body["enabled"].as_bool().unwrap_or(true);
            app.watch_aggregator
                .store(enabled, std::sync::atomic::Ordering::SeqCst);
            Ok(json!({ "enabled": enabled }))
        }
        "faults" => serde_json::from_value::<crate::faults::FaultConfig>(body.clone())
            .map_err(|e| ApiError::bad_request(format!("fault config: {e}")))
            .map(|config| {
                app.faults.configure(config);
                json!({ "configured": true })
            }),
        "faults-report" => Ok(json!({ "injected": app.faults.take_report() })),
        "clock" => match &app.demo {
            Some(demo) => {
                if let Some(paused) = body["paused"].as_bool() {
                    demo.set_paused(paused);
                }
                let now = demo.advance(body["advance"].as_u64().unwrap_or(0));
                Ok(json!({ "storySeconds": now }))
            }
            None => Err(ApiError::bad_request("no living demo runs on this server")),
        },
        "drop-watches" => Ok(json!({ "dropped": cluster.drop_watches() })),
        "socket-garbage" => match body["newSockets"].as_u64() {
            Some(n) => {
                let n = usize::try_from(n).unwrap_or(usize::MAX);
                app.kas
                    .garbled_sockets
                    .store(n, std::sync::atomic::Ordering::SeqCst);
                Ok(json!({ "newSockets": n }))
            }
            None => {
                let text = body["text"]
                    .as_str()
                    .unwrap_or("<html>502 Bad Gateway</html>");
                let sockets = app
                    .kas
                    .socket_commands
                    .send(SocketCommand::Send(text.to_owned()))
                    .unwrap_or(0);
                Ok(json!({ "sockets": sockets }))
            }
        },
        "session" => body["expired"]
            .as_bool()
            .ok_or_else(|| ApiError::bad_request("session: expected {\"expired\": true|false}"))
            .map(|expired| session(&app, expired)),
        "compact" => {
            cluster.compact();
            Ok(json!({ "resourceVersion": cluster.resource_version().to_string() }))
        }
        other => Err(ApiError::not_found("_dev actions", other)),
    };
    match result {
        Ok(v) => json_response(200, &v),
        Err(e) => e.into_response(),
    }
}

/// `{"expired": true}`: GitLab sessions expire mid-watch. KAS refuses every session cookie from
/// now on (401 `Gitlab-Unauthorized`), and open watches and watch sockets end, as after a network
/// change, so browsers come back and meet the refusal. `{"expired": false}` signs them in again.
fn session(app: &AppState, expired: bool) -> Value {
    app.kas
        .sessions_expired
        .store(expired, std::sync::atomic::Ordering::SeqCst);
    let mut dropped = 0;
    if expired {
        dropped += app
            .kas
            .socket_commands
            .send(SocketCommand::Close)
            .unwrap_or(0);
        dropped += app.agents.values().map(|c| c.drop_watches()).sum::<usize>();
    }
    json!({ "expired": expired, "dropped": dropped })
}
