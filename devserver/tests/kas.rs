//! The KAS front: origin check, session and PAT modes, agent selection, KAS's error shapes.

use lookout_devserver::cluster::Cluster;
use lookout_devserver::kas::{AuthMode, KasConfig};
use lookout_devserver::{seed, AppState};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

mod common;
use common::{call, serve};

const GITLAB: &str = "http://gitlab.example";

async fn start(mode: AuthMode) -> String {
    let (demo, staging) = (Cluster::new(100), Cluster::new(100));
    seed::seed(&demo);
    seed::seed_staging(&staging);
    let mut state = AppState::single(demo, Duration::from_secs(60), Duration::from_millis(50));
    state.agents = Arc::new(BTreeMap::from([
        (1, state.agents[&1].clone()),
        (2, staging),
    ]));
    state.kas = Arc::new(KasConfig {
        mode,
        gitlab_origin: Some(GITLAB.into()),
        ..KasConfig::default()
    });
    serve(state).await
}

const PODS: &str = "/k8s-proxy/api/v1/pods";

#[tokio::test]
async fn foreign_origins_get_a_bare_403_before_any_auth() {
    let addr = start(AuthMode::Proxy).await;
    let a = call(
        &addr,
        "GET",
        PODS,
        &[
            ("Origin", "http://evil.example"),
            ("Authorization", "Bearer pat:1:lookout-dev-token"),
        ],
    )
    .await;
    assert_eq!((a.status, a.body.as_str()), (403, ""));
    assert_eq!(a.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn gitlab_session_mode_selects_the_agents_cluster() {
    let addr = start(AuthMode::Proxy).await;
    let session = [
        ("Origin", GITLAB),
        ("Cookie", "_gitlab_kas=lookout-dev-session"),
        ("GitLab-Agent-Id", "2"),
        ("X-CSRF-Token", "lookout-dev-csrf"),
    ];
    let a = call(&addr, "GET", PODS, &session).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(
        a.body.contains("api-6f5d4c3b2-yyyyy") && !a.body.contains("coredns"),
        "agent 2 is the staging cluster"
    );
    assert_eq!(a.header("access-control-allow-origin"), Some(GITLAB));
    assert_eq!(a.header("access-control-allow-credentials"), Some("true"));

    // The query-parameter form (for WebSockets) works too.
    let path = format!("{PODS}?gitlab-agent-id=1&gitlab-csrf-token=lookout-dev-csrf");
    let a = call(
        &addr,
        "GET",
        &path,
        &[
            ("Origin", GITLAB),
            ("Cookie", "_gitlab_kas=lookout-dev-session"),
        ],
    )
    .await;
    assert!(a.status == 200 && a.body.contains("coredns"));

    // An agent that exists but is not shared with the user: GitLab says 403, which KAS collapses
    // into its 401 with Gitlab-Unauthorized (not a cluster answer).
    let no_access = [
        ("Origin", GITLAB),
        ("Cookie", "_gitlab_kas=lookout-dev-session"),
        ("GitLab-Agent-Id", "3"),
        ("X-CSRF-Token", "lookout-dev-csrf"),
    ];
    let a = call(&addr, "GET", PODS, &no_access).await;
    assert_eq!(a.status, 401, "{}", a.body);
    assert_eq!(a.header("gitlab-unauthorized"), Some("true"));
    assert!(
        a.body
            .contains("\"message\":\"GitLab Agent Server: Unauthorized. Trace ID: "),
        "{}",
        a.body
    );
    let pat = [("Authorization", "Bearer pat:3:lookout-dev-token")];
    let a = call(&addr, "GET", PODS, &pat).await;
    assert_eq!(
        (a.status, a.header("gitlab-unauthorized")),
        (401, Some("true"))
    );

    let bad_csrf = [
        ("Origin", GITLAB),
        ("Cookie", "_gitlab_kas=lookout-dev-session"),
        ("GitLab-Agent-Id", "2"),
        ("X-CSRF-Token", "stolen"),
    ];
    let a = call(&addr, "GET", PODS, &bad_csrf).await;
    assert_eq!(a.status, 401);
    assert_eq!(a.header("gitlab-unauthorized"), Some("true"));
    assert!(
        a.body
            .contains(r#""message":"GitLab Agent Server: Unauthorized. Trace ID: "#),
        "{}",
        a.body
    );
    assert_eq!(
        a.header("access-control-allow-origin"),
        Some(GITLAB),
        "the page may read why it was refused"
    );

    let two_csrf = [
        ("Origin", GITLAB),
        ("Cookie", "_gitlab_kas=lookout-dev-session"),
        ("GitLab-Agent-Id", "2"),
        ("X-CSRF-Token", "lookout-dev-csrf"),
        ("X-CSRF-Token", "other"),
    ];
    let a = call(&addr, "GET", PODS, &two_csrf).await;
    assert_eq!(a.status, 401);
    assert!(a.body.contains("exactly one CSRF token"), "{}", a.body);

    let no_agent = [
        ("Origin", GITLAB),
        ("Cookie", "_gitlab_kas=lookout-dev-session"),
        ("X-CSRF-Token", "lookout-dev-csrf"),
    ];
    let a = call(&addr, "GET", PODS, &no_agent).await;
    assert!(
        a.body.contains("exactly one agent id must be provided"),
        "{}",
        a.body
    );
    assert_eq!(a.header("gitlab-unauthorized"), None);
}

#[tokio::test]
async fn personal_access_tokens_and_their_errors() {
    let addr = start(AuthMode::Strict).await;
    let ok = call(
        &addr,
        "GET",
        PODS,
        &[("Authorization", "Bearer pat:1:lookout-dev-token")],
    )
    .await;
    assert_eq!(ok.status, 200);
    let cases = [
        (
            "Bearer pat:1:wrong",
            "GitLab Agent Server: Unauthorized. Trace ID",
            true,
        ),
        (
            "Bearer pat:9:lookout-dev-token",
            "GitLab Agent Server: Unauthorized. Trace ID",
            true,
        ),
        (
            "Basic abc",
            "Unauthorized: Authorization header: expecting Bearer token",
            false,
        ),
        (
            "Bearer xyz:1:t",
            "Unauthorized: Authorization header: unknown token type",
            false,
        ),
        (
            "Bearer pat:one:t",
            "Unauthorized: Authorization header: failed to parse",
            false,
        ),
        (
            "Bearer pat:1:",
            "Unauthorized: Authorization header: empty token",
            false,
        ),
    ];
    for (auth, message, refused) in cases {
        let a = call(&addr, "GET", PODS, &[("Authorization", auth)]).await;
        assert_eq!(a.status, 401, "{auth}");
        assert!(a.body.contains(message), "{auth}: {}", a.body);
        assert_eq!(a.header("gitlab-unauthorized").is_some(), refused, "{auth}");
    }
    // Prefers the Authorization header over the cookie.
    let a = call(
        &addr,
        "GET",
        PODS,
        &[
            ("Authorization", "Bearer pat:1:wrong"),
            ("Cookie", "_gitlab_kas=lookout-dev-session"),
        ],
    )
    .await;
    assert_eq!(a.status, 401);
}

#[tokio::test]
async fn same_origin_callers_are_trusted_unless_strict_and_preflights_are_answered() {
    let proxy = start(AuthMode::Proxy).await;
    assert_eq!(call(&proxy, "GET", PODS, &[]).await.status, 200);
    let own_origin = format!("http://{proxy}");
    assert_eq!(
        call(&proxy, "GET", PODS, &[("Origin", &own_origin)])
            .await
            .status,
        200
    );
    // The embed demo's cookie (cookies ignore ports) does not sign the app's own requests out.
    let stray = [("Cookie", "_gitlab_kas=lookout-dev-session")];
    assert_eq!(call(&proxy, "GET", PODS, &stray).await.status, 200);
    let cross = call(&proxy, "GET", PODS, &[("Origin", GITLAB)]).await;
    assert_eq!(cross.status, 401);
    assert!(
        cross
            .body
            .contains("Unauthorized: no valid credentials provided"),
        "{}",
        cross.body
    );

    let strict = start(AuthMode::Strict).await;
    assert_eq!(call(&strict, "GET", PODS, &[]).await.status, 401);

    let pre = call(
        &proxy,
        "OPTIONS",
        PODS,
        &[
            ("Origin", GITLAB),
            (
                "Access-Control-Request-Headers",
                "gitlab-agent-id,x-csrf-token",
            ),
        ],
    )
    .await;
    assert_eq!(pre.status, 200);
    assert_eq!(
        pre.header("access-control-allow-headers"),
        Some("gitlab-agent-id,x-csrf-token")
    );
    assert!(pre
        .header("access-control-allow-methods")
        .unwrap()
        .contains("PATCH"));
    assert_eq!(pre.header("access-control-allow-origin"), Some(GITLAB));

    let open = start(AuthMode::Open).await;
    assert_eq!(
        call(&open, "GET", PODS, &[("Origin", GITLAB)]).await.status,
        200
    );
}

#[tokio::test]
async fn a_rebound_dns_name_gets_no_same_origin_trust() {
    for mode in [AuthMode::Proxy, AuthMode::Open] {
        let addr = start(mode).await;
        let port = addr.rsplit_once(':').unwrap().1;
        // A page on evil.test:<port>, its name rebound to 127.0.0.1: same-origin by its Origin.
        let evil = format!("evil.test:{port}");
        let evil_origin = format!("http://{evil}");
        for headers in [
            vec![("Host", evil.as_str())],
            vec![("Host", evil.as_str()), ("Origin", evil_origin.as_str())],
        ] {
            let a = call(&addr, "GET", PODS, &headers).await;
            assert_eq!(
                (a.status, a.body.as_str()),
                (403, ""),
                "{mode:?} {headers:?}"
            );
        }
        // The names no other site can have, with any port, stay trusted.
        for host in [
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
            "127.0.0.1".to_owned(),
        ] {
            let origin = format!("http://{host}");
            let headers = [("Host", host.as_str()), ("Origin", origin.as_str())];
            assert_eq!(
                call(&addr, "GET", PODS, &headers).await.status,
                200,
                "{host}"
            );
        }
        // Credentials of the caller's own still count (GitLab's origin, a PAT).
        let pat = [
            ("Host", evil.as_str()),
            ("Authorization", "Bearer pat:1:lookout-dev-token"),
        ];
        assert_eq!(call(&addr, "GET", PODS, &pat).await.status, 200);
    }
    // The --host value is trusted too.
    let mut state = AppState::single(
        Cluster::new(10),
        Duration::from_secs(60),
        Duration::from_millis(50),
    );
    state.kas = Arc::new(KasConfig {
        host: Some("lookout.lan".into()),
        ..KasConfig::default()
    });
    let addr = serve(state).await;
    let host = [
        ("Host", "lookout.lan:8080"),
        ("Origin", "http://lookout.lan:8080"),
    ];
    assert_eq!(call(&addr, "GET", PODS, &host).await.status, 200);
}

#[tokio::test]
async fn the_client_reads_kas_refusals_as_signed_out() {
    let addr = start(AuthMode::Strict).await;
    let a = call(
        &addr,
        "GET",
        PODS,
        &[("Authorization", "Bearer pat:1:wrong")],
    )
    .await;
    let headers: Vec<(String, String)> = a
        .headers
        .iter()
        .map(|(k, v)| (k.to_lowercase(), v.clone()))
        .collect();
    let e = lookout_client::Error::from_response(a.status, &headers, a.body.as_bytes());
    assert_eq!(e.kind(), lookout_client::ErrorKind::SignedOut);
    assert!(
        e.to_string()
            .starts_with("HTTP 401: GitLab refused the credentials"),
        "{e}"
    );
}

#[tokio::test]
async fn the_gitlab_stand_in_serves_the_embed_page_with_a_session() {
    let dist = std::env::temp_dir().join(format!("lookout-embed-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("embed-demo.html"),
        r#"<meta name="csrf-token" content="__LOOKOUT_CSRF_TOKEN__"><x kas-url="__LOOKOUT_KAS_URL__"><script nonce="__LOOKOUT_CSP_NONCE__"></script>"#,
    )
    .unwrap();
    let host = lookout_devserver::gitlab_host::GitLabHost {
        dist: dist.clone(),
        kas_url: "http://127.0.0.1:1/k8s-proxy".into(),
        session: ("s3ss".into(), "c5rf".into()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        axum::serve(listener, lookout_devserver::gitlab_host::router(host))
            .await
            .unwrap()
    });
    let page = call(&addr, "GET", "/embed-demo.html", &[]).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(r#"content="c5rf""#)
            && page.body.contains("http://127.0.0.1:1/k8s-proxy")
    );
    assert_eq!(
        page.header("set-cookie"),
        Some("_gitlab_kas=s3ss; Path=/; HttpOnly; SameSite=Lax")
    );
    // GitLab's page rules, with a fresh nonce per answer that the page's scripts carry.
    let nonce_of = |page: &common::Answer| {
        let csp = page.header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("connect-src 'self' http://127.0.0.1:1 ws://127.0.0.1:1;"),
            "{csp}"
        );
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|n| n.split('\'').next())
            .unwrap_or_default()
            .to_owned();
        assert!(nonce.len() >= 22, "{csp}");
        assert!(page.body.contains(&format!(r#"<script nonce="{nonce}">"#)));
        nonce
    };
    let again = call(&addr, "GET", "/embed-demo.html", &[]).await;
    assert_ne!(nonce_of(&page), nonce_of(&again));
    let expired = call(&addr, "GET", "/embed-demo.html?session=expired", &[]).await;
    assert!(expired
        .header("set-cookie")
        .is_some_and(|c| c.starts_with("_gitlab_kas=expired-session;")));
    let _ = std::fs::remove_dir_all(dist);
}
