//! `lookout-dev`: serves the built Lookout app and emulates the GitLab agent's Kubernetes API proxy
//! (`/k8s-proxy/`) over an embedded simulated cluster. The library half lets tests run the server
//! in-process; `main.rs` is the command line.
//!
//! Layers, each importing only those below it: this crate root (state, routes, `/_dev/*` controls,
//! the demo) → [`kas`] (KAS's front: origin, auth, agents, the watch aggregator) → [`apiserver`]
//! (a simulated cluster's Kubernetes API) or [`upstream`] (a real one) → [`cluster`] (objects,
//! versions, watches) → [`resources`] (the kinds served). [`http`] and [`faults`] are leaves.
#![warn(missing_docs)]

pub mod agents;
pub mod apiserver;
pub mod cluster;
pub mod control;
pub mod demo;
pub mod faults;
pub mod gitlab_host;
pub mod http;
pub mod kas;
pub mod resources;
pub mod seed;
pub mod static_files;
pub mod status_cli;
pub mod upstream;

use axum::extract::{FromRef, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{any, get, post};
use axum::Router;
use cluster::Cluster;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Shared state of the request handlers.
#[derive(Clone)]
pub struct AppState {
    /// The simulated cluster behind each GitLab agent id.
    pub agents: Arc<BTreeMap<u64, Arc<Cluster>>>,
    /// Agents served by forwarding to a real cluster or KAS instead of a simulated cluster.
    pub upstreams: Arc<BTreeMap<u64, Arc<upstream::Upstream>>>,
    /// The KAS emulation's settings.
    pub kas: Arc<kas::KasConfig>,
    /// How often quiet watches get a bookmark.
    pub bookmark_interval: Duration,
    /// How often followed pod logs get a new line.
    pub log_interval: Duration,
    /// The living demo on agent 1, when running (`/_dev/clock` drives it).
    pub demo: Option<Arc<demo::Demo>>,
    /// Injected faults (`/_dev/faults`).
    pub faults: Arc<faults::Faults>,
    /// Whether `/k8s-proxy/watch` is served (older KAS versions lack it); `/_dev/watch-aggregator` flips it.
    pub watch_aggregator: Arc<std::sync::atomic::AtomicBool>,
    /// WebSocket watch tokens handed out, and the agent each is for.
    pub ws_tokens: Arc<std::sync::Mutex<kas::WsTokens>>,
    /// Serve streaming lists (`sendInitialEvents`), as with the WatchList feature gate on.
    pub watch_list: bool,
    /// Added before every answer under `/k8s-proxy/` (`--latency-ms`), as a slow network would.
    pub latency: Duration,
    /// Added before CORS preflights (`OPTIONS`) under `/k8s-proxy/` on top of `latency`
    /// (`--preflight-latency-ms`): Chromium's network emulation delays every request but the
    /// preflights its network service sends itself.
    pub preflight_latency: Duration,
    /// Simulated agents that act as a restricted user (RBAC); the others may do everything.
    pub identities: Arc<BTreeMap<u64, apiserver::rbac::Identity>>,
}

impl AppState {
    /// One simulated cluster as agent 1, open to same-origin callers; the given intervals.
    pub fn single(
        cluster: Arc<Cluster>,
        bookmark_interval: Duration,
        log_interval: Duration,
    ) -> Self {
        AppState {
            agents: Arc::new(BTreeMap::from([(1, cluster)])),
            kas: Arc::new(kas::KasConfig::default()),
            upstreams: Arc::default(),
            bookmark_interval,
            log_interval,
            watch_list: true,
            ws_tokens: Arc::default(),
            watch_aggregator: Arc::new(true.into()),
            faults: Arc::default(),
            demo: None,
            latency: Duration::ZERO,
            preflight_latency: Duration::ZERO,
            identities: Arc::default(),
        }
    }
}

impl FromRef<AppState> for kas::Kas {
    fn from_ref(app: &AppState) -> Self {
        kas::Kas {
            config: app.kas.clone(),
            agents: app.agents.clone(),
            upstreams: app.upstreams.clone(),
            identities: app.identities.clone(),
            api: apiserver::Settings {
                bookmark_interval: app.bookmark_interval,
                log_interval: app.log_interval,
                watch_list: app.watch_list,
                faults: app.faults.clone(),
            },
            watch_aggregator: app.watch_aggregator.clone(),
            ws_tokens: app.ws_tokens.clone(),
        }
    }
}

/// Holds a `/k8s-proxy/` request for `AppState::latency` (plus `preflight_latency` for a CORS
/// preflight) before answering it (headers included).
async fn delay(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let mut wait = app.latency;
    if request.method() == axum::http::Method::OPTIONS {
        wait += app.preflight_latency;
    }
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    next.run(request).await
}

/// All routes: the API proxy, the dev control endpoints and the built app.
pub fn router(state: AppState, dist: PathBuf) -> Router {
    let files = Router::new().fallback(static_files::serve).with_state(dist);
    Router::new()
        .route("/k8s-proxy/watch", any(kas::ws_watch::ws_watch))
        .route("/k8s-proxy/{*path}", any(kas::proxy::proxy))
        // Only the routes above: control endpoints and files answer at once.
        .route_layer(middleware::from_fn_with_state(state.clone(), delay))
        .route("/_dev/agents", get(agents::list))
        .route("/_dev/{action}", post(control::control))
        .with_state(state)
        .fallback_service(files)
}
