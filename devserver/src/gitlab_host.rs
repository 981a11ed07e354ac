//! A stand-in for GitLab's own web origin, on a second port: it serves the embed demo page (an
//! environment page with the Lookout widgets) the way GitLab would — the page names the KAS URL
//! and carries the session's CSRF token in `meta[name=csrf-token]`, and the answer sets the
//! `_gitlab_kas` session cookie. The widgets then call the KAS emulation on the main port:
//! cross-origin (another port) but same-site, so the cookie travels, exactly as from GitLab to
//! `kas.gitlab.example.com`.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;
use std::path::PathBuf;

/// The demo page's file in `dist/`.
pub const DEMO_PAGE: &str = "embed-demo.html";

/// What the GitLab stand-in needs to know.
#[derive(Clone)]
pub struct GitLabHost {
    /// The built app (holds the demo page and the widget bundle).
    pub dist: PathBuf,
    /// Where the KAS emulation answers, e.g. `http://127.0.0.1:8080/k8s-proxy`.
    pub kas_url: String,
    /// The session cookie value and its CSRF token.
    pub session: (String, String),
}

/// Serves the demo page; `?session=expired` hands out a session KAS will refuse.
async fn demo_page(
    State(host): State<GitLabHost>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Ok(page) = tokio::fs::read_to_string(host.dist.join(DEMO_PAGE)).await else {
        return (StatusCode::NOT_FOUND, "embed-demo.html is not built").into_response();
    };
    let expired = query.get("session").is_some_and(|s| s == "expired");
    let cookie = if expired {
        "expired-session"
    } else {
        host.session.0.as_str()
    };
    let body = page
        .replace("__LOOKOUT_KAS_URL__", &host.kas_url)
        .replace("__LOOKOUT_CSRF_TOKEN__", &host.session.1);
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (
                header::SET_COOKIE,
                format!("_gitlab_kas={cookie}; Path=/; HttpOnly; SameSite=Lax"),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// The GitLab stand-in's routes: the demo page, and every built file (the widget bundle).
pub fn router(host: GitLabHost) -> Router {
    let files = Router::new()
        .fallback(crate::static_files::serve)
        .with_state(host.dist.clone());
    Router::new()
        .route(&format!("/{DEMO_PAGE}"), get(demo_page))
        .with_state(host)
        .fallback_service(files)
}

/// On the main port, `/embed-demo.html` sends the browser to the GitLab stand-in.
pub fn redirect_to(origin: String) -> Router {
    Router::new().route(
        &format!("/{DEMO_PAGE}"),
        get(move |Query(q): Query<HashMap<String, String>>| async move {
            let query = if q.get("session").is_some_and(|s| s == "expired") {
                "?session=expired"
            } else {
                ""
            };
            Redirect::temporary(&format!("{origin}/{DEMO_PAGE}{query}"))
        }),
    )
}
