//! The GitLab agent server's (KAS) front, emulated: origin check, the two browser-relevant
//! authentication modes, agent selection, and KAS's own error answers.
//!
//! - A request whose `Origin` is neither this server's own nor the configured GitLab origin gets a
//!   bare `403` with an empty body, before any auth — as a real KAS does.
//! - `Authorization: Bearer pat:<agent>:<token>`: a personal access token.
//! - Cookie `_gitlab_kas` + `GitLab-Agent-Id` + `X-CSRF-Token` (headers, or the `gitlab-agent-id`
//!   and `gitlab-csrf-token` query parameters): the GitLab session mode.
//! - Same-origin requests without credentials come from the app lookout-dev serves, through its
//!   same-origin proxy, which holds the credentials: admitted unless `--strict`. `--open` admits
//!   everything (still honouring the origin check). Both trust only a `Host` that cannot be a
//!   rebound DNS name (an IP address, `localhost`, or the `--host` value): a page on
//!   `evil.test:8080` resolving to 127.0.0.1 is same-origin by its `Origin`, and gets a 403.
//!
//! Failures answer KAS's `Status` (`GitLab Agent Server: …. Trace ID: …`), with
//! `Gitlab-Unauthorized: true` where GitLab refused the user, token, CSRF token or agent.

pub mod proxy;
pub mod ws_watch;

use crate::apiserver::{self, rbac::Identity};
use crate::cluster::Cluster;
use crate::http::status::ApiError;
use crate::upstream::Upstream;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// What KAS's handlers need: its settings and, per agent, the backend it forwards to (a real
/// cluster or KAS, else a simulated cluster with its API server settings and identity).
#[derive(Clone)]
pub struct Kas {
    /// Origin check and authentication settings.
    pub config: Arc<KasConfig>,
    /// The simulated cluster behind each agent id.
    pub agents: Arc<BTreeMap<u64, Arc<Cluster>>>,
    /// Agents served by a real cluster or KAS.
    pub upstreams: Arc<BTreeMap<u64, Arc<Upstream>>>,
    /// Simulated agents that act as a restricted user (RBAC).
    pub identities: Arc<BTreeMap<u64, Identity>>,
    /// The simulated clusters' API server settings.
    pub api: apiserver::Settings,
    /// Whether `/k8s-proxy/watch` is served.
    pub watch_aggregator: Arc<AtomicBool>,
    /// WebSocket watch tokens handed out, and the agent each is for.
    pub ws_tokens: Arc<Mutex<WsTokens>>,
}

/// WebSocket watch tokens handed out and not used yet: the agent each is for and when it was
/// issued.
pub type WsTokens = HashMap<String, (u64, std::time::Instant)>;

/// How strictly requests are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    /// No credentials needed.
    Open,
    /// Same-origin requests are trusted (lookout-dev is their proxy); cross-origin ones are checked.
    Proxy,
    /// Every request is checked, as by a real KAS.
    Strict,
}

/// The KAS emulation's settings.
#[derive(Debug, Clone)]
pub struct KasConfig {
    /// Strictness.
    pub mode: AuthMode,
    /// GitLab's web origin (e.g. `http://127.0.0.1:8081`): the one cross-origin caller allowed.
    pub gitlab_origin: Option<String>,
    /// Personal access tokens GitLab would accept.
    pub tokens: Vec<String>,
    /// `_gitlab_kas` cookie values GitLab would accept, each with its session's CSRF token.
    pub sessions: Vec<(String, String)>,
    /// Whether every session has expired (`/_dev/session`): GitLab then refuses each cookie.
    pub sessions_expired: Arc<AtomicBool>,
    /// Tells every watch socket to close (sessions expired: the browser must connect again) or
    /// to send a frame that is not the protocol (`/_dev/socket-garbage`).
    pub socket_commands: tokio::sync::broadcast::Sender<SocketCommand>,
    /// How many of the next watch sockets open with a frame that is not the protocol (a broken
    /// proxy in front of KAS: `/_dev/socket-garbage {"newSockets": n}`).
    pub garbled_sockets: Arc<std::sync::atomic::AtomicUsize>,
    /// Agent of same-origin requests that name none.
    pub default_agent: u64,
    /// Agents that exist but are not shared with the session's user or token: GitLab refuses
    /// them (403), which KAS collapses, like GitLab's 401 and 404, into its `401` with
    /// `Gitlab-Unauthorized: true`.
    pub no_access_agents: Vec<u64>,
    /// The host name lookout-dev listens on (`--host`): trusted as a `Host` besides IP
    /// addresses and `localhost`.
    pub host: Option<String>,
}

/// What `/_dev` tells every open watch socket.
#[derive(Debug, Clone)]
pub enum SocketCommand {
    /// Close the socket.
    Close,
    /// Send this text frame, as a broken proxy between browser and KAS might (not JSON).
    Send(String),
}

impl Default for KasConfig {
    fn default() -> Self {
        KasConfig {
            mode: AuthMode::Proxy,
            gitlab_origin: None,
            tokens: vec!["lookout-dev-token".into()],
            sessions: vec![("lookout-dev-session".into(), "lookout-dev-csrf".into())],
            sessions_expired: Arc::default(),
            socket_commands: tokio::sync::broadcast::channel(4).0,
            garbled_sockets: Arc::default(),
            default_agent: 1,
            no_access_agents: vec![3],
            host: None,
        }
    }
}

/// A request KAS let through: to which agent, and the CORS headers its answer carries.
#[derive(Debug)]
pub struct Admitted {
    /// The agent (cluster) addressed.
    pub agent: u64,
    /// `Access-Control-*` headers for a cross-origin caller.
    pub cors: Vec<(header::HeaderName, HeaderValue)>,
}

static TRACE: AtomicU64 = AtomicU64::new(0x5eed);

/// KAS's own error: a `Status` whose message starts with `GitLab Agent Server: `.
pub fn kas_error(code: u16, message: &str, gitlab_unauthorized: bool) -> Response {
    let trace = format!(
        "{:032x}",
        TRACE
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
    );
    let status = ApiError::from_code(
        code,
        format!("GitLab Agent Server: {message}. Trace ID: {trace}"),
    );
    let mut resp = status.into_response();
    if gitlab_unauthorized {
        resp.headers_mut()
            .insert("gitlab-unauthorized", HeaderValue::from_static("true"));
    }
    resp
}

/// The answer to a refused request (boxed: a `Response` is large).
pub type Refusal = Box<Response>;

fn unauthorized(detail: &str) -> Refusal {
    Box::new(kas_error(401, &format!("Unauthorized: {detail}"), false))
}

fn refused() -> Refusal {
    Box::new(kas_error(401, "Unauthorized", true))
}

fn single_header<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, ()> {
    let mut values = headers.get_all(name).iter();
    let first = values.next();
    if values.next().is_some() {
        return Err(());
    }
    Ok(first.and_then(|v| v.to_str().ok()))
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('='))
}

/// Whether a `Host` header names this server in a way no other site can: an IP address (a page's
/// origin is then that address itself), `localhost`, or the `--host` value, with any port.
/// Any other name may be a DNS name rebound to this machine (DNS rebinding).
fn trusted_host(config: &KasConfig, host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split_once(']').map_or(v6, |(ip, _)| ip),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.parse::<std::net::IpAddr>().is_ok()
        || name.eq_ignore_ascii_case("localhost")
        || config
            .host
            .as_deref()
            .is_some_and(|h| h.trim_matches(['[', ']']).eq_ignore_ascii_case(name))
}

/// Where a request comes from, by its `Origin` and `Host`.
struct Source {
    /// From the GitLab origin (needs CORS headers and credentials).
    cross_origin: bool,
    /// Its `Host` is one no rebound DNS name can be ([`trusted_host`]).
    trusted_host: bool,
}

fn source(config: &KasConfig, headers: &HeaderMap) -> Result<Source, Refusal> {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let trusted_host = host.is_some_and(|h| trusted_host(config, h));
    let own = host.map(|h| format!("http://{h}"));
    let cross_origin = match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        None => false,
        Some(o) if trusted_host && Some(o) == own.as_deref() => false,
        Some(o) if Some(o) == config.gitlab_origin.as_deref() => true,
        Some(_) => return Err(Box::new(StatusCode::FORBIDDEN.into_response())),
    };
    Ok(Source {
        cross_origin,
        trusted_host,
    })
}

/// Only the origin check (for socket upgrades, which authenticate with a token instead); whether
/// the caller is cross-origin.
pub fn check_origin(config: &KasConfig, headers: &HeaderMap) -> Result<bool, Refusal> {
    source(config, headers).map(|s| s.cross_origin)
}

/// Checks a request under `/k8s-proxy/` the way KAS does. `Err` is the answer to send instead
/// (403 origin, 401 credentials, or the answer to a CORS preflight).
pub fn admit(
    config: &KasConfig,
    method: &Method,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Result<Admitted, Refusal> {
    let source = source(config, headers)?;
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    let mut cors = Vec::new();
    if let (true, Some(o)) = (
        source.cross_origin,
        origin.and_then(|o| HeaderValue::from_str(o).ok()),
    ) {
        cors.push((header::ACCESS_CONTROL_ALLOW_ORIGIN, o));
        cors.push((
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        ));
        cors.push((header::VARY, HeaderValue::from_static("Origin")));
    }
    check(config, method, headers, query, &source, &cors).map_err(|mut answer| {
        // Errors carry the CORS headers too, so an allowed page can read why it was refused.
        answer.headers_mut().extend(cors.clone());
        answer
    })
}

fn check(
    config: &KasConfig,
    method: &Method,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
    source: &Source,
    cors: &[(header::HeaderName, HeaderValue)],
) -> Result<Admitted, Refusal> {
    if method == Method::OPTIONS {
        let mut resp = StatusCode::OK.into_response();
        let requested = headers.get(header::ACCESS_CONTROL_REQUEST_HEADERS).cloned();
        let h = resp.headers_mut();
        if let Some(requested) = requested {
            h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested);
        }
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(
                "GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH",
            ),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("86400"),
        );
        return Err(Box::new(resp));
    }
    let param = |name: &str| query.get(name).map(String::as_str);
    let with_cors = |agent| Admitted {
        agent,
        cors: cors.to_vec(),
    };
    let agent_of = |header_name: &str, param_name: &str| -> Result<Option<u64>, Refusal> {
        let raw = single_header(headers, header_name)
            .map_err(|_| unauthorized("exactly one agent id must be provided either in the \"Gitlab-Agent-Id\" header or \"gitlab-agent-id\" query parameter"))?
            .or(param(param_name));
        raw.map(|v| {
            v.parse::<u64>()
                .map_err(|_| unauthorized(&format!("agent id in request: invalid value: {v:?}")))
        })
        .transpose()
    };

    // The Authorization header wins over the cookie.
    if let Some(auth) = single_header(headers, "authorization")
        .map_err(|_| unauthorized("Authorization header: expecting a single header, got 2"))?
    {
        let token = auth
            .strip_prefix("Bearer ")
            .ok_or_else(|| unauthorized("Authorization header: expecting Bearer token"))?;
        let mut parts = token.splitn(3, ':');
        let (kind, agent, secret) = (parts.next().unwrap_or(""), parts.next(), parts.next());
        let (Some(agent), Some(secret)) = (agent, secret) else {
            return Err(unauthorized("Authorization header: invalid value"));
        };
        if kind != "pat" && kind != "ci" {
            return Err(unauthorized("Authorization header: unknown token type"));
        }
        let agent: u64 = agent.parse().map_err(|_| unauthorized(&format!("Authorization header: failed to parse: strconv.ParseInt: parsing {agent:?}: invalid syntax")))?;
        if secret.is_empty() {
            return Err(unauthorized("Authorization header: empty token"));
        }
        let allowed = kind == "pat"
            && config.tokens.iter().any(|t| t == secret)
            && !config.no_access_agents.contains(&agent);
        return if allowed {
            Ok(with_cors(agent))
        } else {
            Err(refused())
        };
    }
    // Cookies ignore ports: after the embed demo (GitLab's stand-in on another port), the app's
    // same-origin requests carry `_gitlab_kas` too. Only a caller that presents the session's
    // CSRF token, or a cross-origin one, is using it.
    let presents_session = source.cross_origin
        || headers.contains_key("x-csrf-token")
        || param("gitlab-csrf-token").is_some();
    if let Some(session) = cookie(headers, "_gitlab_kas").filter(|_| presents_session) {
        if session.is_empty() {
            return Err(unauthorized("_gitlab_kas cookie value must not be empty"));
        }
        let agent = agent_of("gitlab-agent-id", "gitlab-agent-id")?.ok_or_else(|| {
            unauthorized("exactly one agent id must be provided either in the \"Gitlab-Agent-Id\" header or \"gitlab-agent-id\" query parameter")
        })?;
        let csrf_missing = || {
            unauthorized("exactly one CSRF token must be provided either in the \"X-Csrf-Token\" header or \"gitlab-csrf-token\" query parameter")
        };
        let csrf = single_header(headers, "x-csrf-token")
            .map_err(|_| csrf_missing())?
            .or(param("gitlab-csrf-token"))
            .ok_or_else(csrf_missing)?;
        let valid = !config.sessions_expired.load(Ordering::SeqCst)
            && config
                .sessions
                .iter()
                .any(|(c, t)| c == session && t == csrf);
        return if valid && !config.no_access_agents.contains(&agent) {
            Ok(with_cors(agent))
        } else {
            Err(refused())
        };
    }
    let trusted = match config.mode {
        AuthMode::Open => true,
        AuthMode::Proxy => !source.cross_origin,
        AuthMode::Strict => false,
    };
    // Credentials of lookout-dev's own (a real cluster's, with --kubeconfig) are lent only to
    // callers no rebound DNS name can be.
    if trusted && !source.cross_origin && !source.trusted_host {
        return Err(Box::new(StatusCode::FORBIDDEN.into_response()));
    }
    if !trusted {
        return Err(unauthorized("no valid credentials provided"));
    }
    Ok(with_cors(
        agent_of("gitlab-agent-id", "gitlab-agent-id")?.unwrap_or(config.default_agent),
    ))
}
