//! The built app is served as a CDN would: precompressed siblings by `Accept-Encoding`, hashed
//! names cached for a year, fixed names revalidated by `ETag`.

mod common;

use common::{call, seeded, Answer};
use lookout_devserver::router;
use std::future::IntoFuture;

/// A dist directory written by the test (inside a parent holding a file that must stay private),
/// served on a loopback port; its address.
async fn serve_dist(name: &str) -> String {
    let parent = std::env::temp_dir().join(format!("lookout-{name}-{}", std::process::id()));
    let dist = parent.join("dist");
    let _ = std::fs::remove_dir_all(&parent);
    std::fs::create_dir_all(dist.join("embed")).unwrap();
    std::fs::create_dir_all(dist.join("stories")).unwrap();
    let files: [(&str, &str); 9] = [
        ("../secret.txt", "outside the root"),
        ("index.html", "<!doctype html><title>app</title>"),
        ("lookout-app-6db8daa8738dea4d_bg.wasm", "plain wasm bytes"),
        ("lookout-app-6db8daa8738dea4d_bg.wasm.br", "br"),
        ("lookout-app-6db8daa8738dea4d_bg.wasm.gz", "gzip bytes"),
        ("embed/lookout-embed.js", "export default 1; // plain"),
        ("embed/lookout-embed.js.br", "brotli js"),
        ("embed/lookout-embed.js.gz", "gzip js"),
        (
            "stories/index.html",
            "<!doctype html><title>stories</title>",
        ),
    ];
    for (path, content) in files {
        std::fs::write(dist.join(path), content).unwrap();
    }
    let (_, state) = seeded(10);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(axum::serve(listener, router(state, dist)).into_future());
    addr
}

const WASM: &str = "/lookout-app-6db8daa8738dea4d_bg.wasm";

fn assert_sent(answer: &Answer, body: &str, coding: Option<&str>) {
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, body);
    assert_eq!(answer.header("content-encoding"), coding);
    assert_eq!(answer.header("content-type"), Some("application/wasm"));
    assert_eq!(answer.header("vary"), Some("accept-encoding"));
    assert_eq!(
        answer.header("content-length"),
        Some(body.len().to_string().as_str())
    );
}

#[tokio::test]
async fn the_precompressed_sibling_the_client_accepts_is_sent_as_is() {
    let addr = serve_dist("encodings").await;
    let br = call(
        &addr,
        "GET",
        WASM,
        &[("accept-encoding", "gzip, deflate, br")],
    )
    .await;
    assert_sent(&br, "br", Some("br"));
    let gzip = call(&addr, "GET", WASM, &[("accept-encoding", "gzip")]).await;
    assert_sent(&gzip, "gzip bytes", Some("gzip"));
    let refused = call(
        &addr,
        "GET",
        WASM,
        &[("accept-encoding", "br;q=0, gzip;q=0")],
    )
    .await;
    assert_sent(&refused, "plain wasm bytes", None);
    let plain = call(&addr, "GET", WASM, &[]).await;
    assert_sent(&plain, "plain wasm bytes", None);
}

#[tokio::test]
async fn hashed_names_are_immutable_and_fixed_names_revalidate() {
    let addr = serve_dist("caching").await;
    let hashed = call(&addr, "GET", WASM, &[]).await;
    assert_eq!(
        hashed.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );

    for path in ["/index.html", "/some/spa/route"] {
        let page = call(&addr, "GET", path, &[]).await;
        assert_eq!(page.status, 200);
        assert_eq!(page.body, "<!doctype html><title>app</title>");
        assert_eq!(page.header("cache-control"), Some("no-cache"));
        let tag = page.header("etag").expect("an ETag").to_owned();
        assert!(tag.starts_with('"'), "a strong ETag: {tag}");
        let again = call(&addr, "GET", path, &[("if-none-match", &tag)]).await;
        assert_eq!(again.status, 304);
        assert_eq!(again.body, "");
        assert_eq!(again.header("etag"), Some(tag.as_str()));
        let stale = call(&addr, "GET", path, &[("if-none-match", "\"other\"")]).await;
        assert_eq!(stale.status, 200);
        // A HEAD validates as its GET does; the file server's own validators never answer.
        let head = call(&addr, "HEAD", path, &[]).await;
        assert_eq!((head.status, head.body.as_str()), (200, ""));
        assert_eq!(head.header("etag"), Some(tag.as_str()));
        let any = call(&addr, "GET", path, &[("if-none-match", "*")]).await;
        assert_eq!(any.status, 304);
        assert_eq!(any.header("cache-control"), Some("no-cache"));
        assert_eq!(any.header("etag"), Some(tag.as_str()));
        let unmatched = call(&addr, "GET", path, &[("if-match", "\"other\"")]).await;
        assert_eq!(unmatched.status, 200);
    }

    // The widget bundle has a fixed name: each coding is its own representation with its own tag.
    let js = "/embed/lookout-embed.js";
    let br = call(&addr, "GET", js, &[("accept-encoding", "br")]).await;
    assert_eq!(br.body, "brotli js");
    assert_eq!(br.header("cache-control"), Some("no-cache"));
    assert_eq!(
        br.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    let br_tag = br.header("etag").expect("an ETag").to_owned();
    let gzip = call(&addr, "GET", js, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzip.body, "gzip js");
    let gz_tag = gzip.header("etag").expect("an ETag");
    assert_ne!(gz_tag, br_tag);
    let revalidated = call(
        &addr,
        "GET",
        js,
        &[("accept-encoding", "br"), ("if-none-match", &br_tag)],
    )
    .await;
    assert_eq!(revalidated.status, 304);
}

#[tokio::test]
async fn paths_outside_dist_are_still_refused() {
    let addr = serve_dist("traversal").await;
    for path in [
        "/../secret.txt",
        "/embed/../../secret.txt",
        "/%2e%2e/secret.txt",
    ] {
        let answer = call(&addr, "GET", path, &[("accept-encoding", "br, gzip")]).await;
        assert_eq!(answer.status, 404, "{path}");
        assert!(!answer.body.contains("outside the root"), "{path}");
    }
}

#[tokio::test]
async fn spa_routes_get_the_page_and_missing_files_a_404() {
    let addr = serve_dist("spa").await;
    // A route (no extension) that looks like a hashed name, and a directory: the page, revalidated.
    for path in ["/pods/web-6db8daa8738dea4d", "/embed", "/embed/"] {
        let page = call(&addr, "GET", path, &[("accept-encoding", "br, gzip")]).await;
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(page.body, "<!doctype html><title>app</title>", "{path}");
        assert_eq!(page.header("cache-control"), Some("no-cache"), "{path}");
        assert_eq!(
            page.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{path}"
        );
    }
    // The storybook's routes get its own bundle's page; a path that merely starts alike does not.
    for (path, title) in [
        ("/stories", "stories"),
        ("/stories/pod-table/huge", "stories"),
        ("/storiesque", "app"),
    ] {
        let page = call(&addr, "GET", path, &[]).await;
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(
            page.body,
            format!("<!doctype html><title>{title}</title>"),
            "{path}"
        );
    }
    // A file that is not there (a stale bundle name) is not answered with the page.
    for path in ["/lookout-app-0000000000000000.js", "/embed/missing.wasm"] {
        let answer = call(&addr, "GET", path, &[]).await;
        assert_eq!(
            (answer.status, answer.body.as_str()),
            (404, "not found\n"),
            "{path}"
        );
    }
}
