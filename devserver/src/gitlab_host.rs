//! A stand-in for GitLab's own web origin, on a second port: it serves the embed demo page (an
//! environment page with the Lookout widgets) the way GitLab would — the page names the KAS URL
//! and carries the session's CSRF token in `meta[name=csrf-token]`, and the answer sets the
//! `_gitlab_kas` session cookie. The widgets then call the KAS emulation on the main port:
//! cross-origin (another port) but same-site, so the cookie travels, exactly as from GitLab to
//! `kas.gitlab.example.com`.
//!
//! The page comes with GitLab's Content-Security-Policy (its defaults in
//! `lib/gitlab/content_security_policy/`: `script-src 'strict-dynamic' 'self' 'unsafe-eval'` with a
//! fresh nonce per answer, `connect-src 'self'` plus the KAS origin and its WebSocket origin,
//! `style-src 'self' 'unsafe-inline'`), so the widgets are shown to work under GitLab's page rules.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;
use std::path::PathBuf;

/// The demo page's file in `dist/`.
pub const DEMO_PAGE: &str = "embed-demo.html";

/// `<lookout-flux-status>`'s loader in `dist/`: the demo page inlines its early-request block.
const FLUX_STATUS_LOADER: &str = "embed/flux-status/lookout-flux-status-loader.js";

/// The loader's block a host page may inline (between its `lookout:early` markers), so that the
/// badge's first request leaves with the page; empty when the loader has none.
fn early_request_block(loader: &str) -> &str {
    loader
        .split_once("// lookout:early-start")
        .and_then(|(_, rest)| rest.split_once('\n'))
        .and_then(|(_, rest)| rest.split_once("// lookout:early-end"))
        .map_or("", |(block, _)| block)
}

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

/// The origin of `url` (`http://host:port`), and the same origin's WebSocket scheme (`ws:`/`wss:`).
fn origins(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest
        .split(['/', '?', '#'])
        .next()
        .filter(|a| !a.is_empty())?;
    let ws = match scheme {
        "http" => "ws",
        "https" => "wss",
        _ => return None,
    };
    Some((
        format!("{scheme}://{authority}"),
        format!("{ws}://{authority}"),
    ))
}

/// GitLab's Content-Security-Policy for a page whose scripts carry `nonce` and that calls the KAS
/// at `kas_url`.
pub fn content_security_policy(nonce: &str, kas_url: &str) -> String {
    let kas = origins(kas_url)
        .map(|(http, ws)| format!(" {http} {ws}"))
        .unwrap_or_default();
    [
        "default-src 'self'".to_owned(),
        format!("script-src 'strict-dynamic' 'self' 'unsafe-eval' 'nonce-{nonce}'"),
        format!("connect-src 'self'{kas}"),
        "style-src 'self' 'unsafe-inline'".to_owned(),
        "img-src 'self' data:".to_owned(),
        "font-src 'self'".to_owned(),
        "worker-src 'self' blob: data:".to_owned(),
        "object-src 'none'".to_owned(),
        "base-uri 'self'".to_owned(),
        "form-action 'self'".to_owned(),
        "frame-ancestors 'self'".to_owned(),
    ]
    .join("; ")
}

/// Serves the demo page; `?session=expired` hands out a session KAS will refuse, `?early=none`
/// leaves out the inlined early request of `<lookout-flux-status>`.
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
    // A fresh nonce per answer, on the page's own <script> tags, as Rails' CSP helper does.
    let Some(nonce) = crate::kas::ws_watch::new_token() else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "no random source for a nonce",
        )
            .into_response();
    };
    // As GitLab would inline it (`javascript_tag nonce: true`); without the loader the page's
    // module loader sends the request itself, a round trip later.
    // `?early=none`: the page of a host that only loads the loader file (the bench compares both).
    let loader = if query.get("early").is_some_and(|e| e == "none") {
        String::new()
    } else {
        tokio::fs::read_to_string(host.dist.join(FLUX_STATUS_LOADER))
            .await
            .unwrap_or_default()
    };
    let body = page
        .replace(
            "__LOOKOUT_FLUX_STATUS_EARLY__",
            early_request_block(&loader),
        )
        .replace("__LOOKOUT_KAS_URL__", &host.kas_url)
        .replace("__LOOKOUT_CSRF_TOKEN__", &host.session.1)
        .replace("__LOOKOUT_CSP_NONCE__", &nonce);
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (
                header::SET_COOKIE,
                format!("_gitlab_kas={cookie}; Path=/; HttpOnly; SameSite=Lax"),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (
                header::CONTENT_SECURITY_POLICY,
                content_security_policy(&nonce, &host.kas_url),
            ),
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
            // Only the page's own switches travel, with their one meaningful value.
            let switches: Vec<String> = [("session", "expired"), ("early", "none")]
                .into_iter()
                .filter(|(name, value)| q.get(*name).is_some_and(|v| v == value))
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            let query = if switches.is_empty() {
                String::new()
            } else {
                format!("?{}", switches.join("&"))
            };
            Redirect::temporary(&format!("{origin}/{DEMO_PAGE}{query}"))
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_the_kas_origin_and_its_websocket_and_the_nonce() {
        let csp = content_security_policy("n0nce", "https://kas.example.com:8443/k8s-proxy");
        assert!(csp.contains(
            "connect-src 'self' https://kas.example.com:8443 wss://kas.example.com:8443;"
        ));
        assert!(csp.contains("script-src 'strict-dynamic' 'self' 'unsafe-eval' 'nonce-n0nce';"));
        assert!(!csp.contains("unsafe-inline' 'nonce") && csp.contains("object-src 'none'"));
        // A KAS URL that is no http(s) URL adds nothing.
        assert!(content_security_policy("n", "/k8s-proxy").contains("connect-src 'self';"));
    }

    #[test]
    fn the_inlined_block_is_the_loaders_marked_part_and_nothing_without_markers() {
        let loader =
            "import x;\n// lookout:early-start\n{ send(); }\n// lookout:early-end\nawait y;";
        assert_eq!(early_request_block(loader), "{ send(); }\n");
        assert_eq!(early_request_block("await y;"), "");
        let crlf = "// lookout:early-start\r\n{ send(); }\r\n// lookout:early-end\r\n";
        assert_eq!(early_request_block(crlf), "{ send(); }\r\n");
        assert_eq!(
            early_request_block("// lookout:early-start\n{ unterminated"),
            ""
        );
    }
}
