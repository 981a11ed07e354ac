//! Serves the built app (`dist/`) as a CDN would, with `index.html` for any path that is not a
//! file (SPA routes), and the storybook's own bundle (`stories/index.html`) for `/stories` and
//! below. tower-http's `ServeDir` maps the path (refusing any that would leave
//! `dist/`), picks the precompressed sibling the build wrote (`x.wasm.br`, `x.wasm.gz`) by the
//! request's `Accept-Encoding` and sets the content type. The cache policy is this module's:
//! names with trunk's content hash are cached for a year (`immutable`); fixed names (`index.html`,
//! the `/embed/` widget bundle) are revalidated on every use (`no-cache`) against a strong `ETag`
//! of the bytes sent (ServeDir's own validators come from size and modification time, which two
//! builds in one second can share, so they are stripped both ways).

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// The largest file served (bytes): the release wasm is a few MB.
const MAX_FILE: usize = 256 << 20;

/// Whether the file name carries trunk's content hash (`lookout-app-6db8daa8738dea4d_bg.wasm`,
/// `components-59ddab088e3d7aa9.css`): then its content never changes under that name. A name
/// without an extension is a SPA route, never a hashed file.
fn is_content_hashed(name: &str) -> bool {
    let Some((stem, _)) = name.split_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        // Trunk writes its 64-bit hash in hex without leading zeros: 16 digits, or fewer (one name
        // in 16 has 15).
        (12..=16).contains(&hash.len())
            && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// A strong validator for exactly these bytes (each coding of a file has its own).
fn etag(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for this header).
fn matches_if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// The page that answers a route (a path that names no file): the storybook's bundle for
/// `/stories` and below, when built; else the app's `index.html`.
fn page_of(root: &Path, path: &str) -> PathBuf {
    let stories = root.join("stories").join("index.html");
    if (path == "/stories" || path.starts_with("/stories/")) && stories.is_file() {
        return stories;
    }
    root.join("index.html")
}

/// Fallback handler: a file from the dist directory (precompressed when the client accepts it);
/// a path whose last segment has no `.` and names no file gets its page ([`page_of`]).
pub async fn serve(State(root): State<PathBuf>, mut request: Request) -> Response {
    let name = request
        .uri()
        .path()
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_owned();
    // Validation is by this module's ETag only, of whole files: no ranges, no dates, and none of
    // ServeDir's own conditionals.
    let if_none_match = request.headers().clone();
    for h in [
        header::RANGE,
        header::IF_MODIFIED_SINCE,
        header::IF_UNMODIFIED_SINCE,
        header::IF_NONE_MATCH,
        header::IF_MATCH,
    ] {
        request.headers_mut().remove(h);
    }
    // A HEAD is answered as its GET would be (same ETag, same length), without the body.
    let head = request.method() == Method::HEAD;
    if head {
        *request.method_mut() = Method::GET;
    }
    let files = ServeDir::new(&root)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    let answer = if name.contains('.') {
        files.oneshot(request).await
    } else {
        let index = ServeFile::new(page_of(&root, request.uri().path()))
            .precompressed_br()
            .precompressed_gzip();
        files.fallback(index).oneshot(request).await
    };
    let Ok(answer) = answer;
    let (mut parts, body) = answer.into_parts();
    if parts.status == StatusCode::NOT_FOUND {
        if root.join("index.html").is_file() {
            return (StatusCode::NOT_FOUND, "not found\n").into_response();
        }
        let message = format!(
            "no built app at {} — run scripts/serve (it builds the app first)\n",
            root.display()
        );
        return (StatusCode::NOT_FOUND, message).into_response();
    }
    if parts.status != StatusCode::OK {
        // 405 for a method other than GET or HEAD, 406 when even the plain file is refused.
        return Response::from_parts(parts, Body::new(body));
    }
    parts.headers.remove(header::LAST_MODIFIED);
    parts.headers.remove(header::ACCEPT_RANGES);
    parts.headers.remove(header::ETAG);
    // The app's text (HTML, JS, CSS) is UTF-8; ServeDir names no charset.
    let text = parts.headers.get(header::CONTENT_TYPE).and_then(|t| {
        let t = t.to_str().ok()?;
        (t.starts_with("text/") && !t.contains("charset")).then(|| format!("{t}; charset=utf-8"))
    });
    if let Some(value) = text.and_then(|t| HeaderValue::from_str(&t).ok()) {
        parts.headers.insert(header::CONTENT_TYPE, value);
    }
    if is_content_hashed(&name) {
        parts.headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
        let body = if head { Body::empty() } else { Body::new(body) };
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = to_bytes(Body::new(body), MAX_FILE).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "file unreadable\n").into_response();
    };
    let tag = etag(&bytes);
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, value);
    }
    if matches_if_none_match(&if_none_match, &tag) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    if head {
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_trunk_content_hashes_count_as_hashed_names() {
        for hashed in [
            "lookout-app-6db8daa8738dea4d_bg.wasm",
            "lookout-app-6db8daa8738dea4d.js",
            "components-59ddab088e3d7aa9.css",
            "lookout-app-37347aac58b2f17_bg.wasm",
            // The app's wasm chunks and their loader, named with the app's hash (split_app).
            "split_detail-6db8daa8738dea4d.wasm",
            "chunk_3-6db8daa8738dea4d.wasm",
            "__wasm_split-6db8daa8738dea4d.js",
        ] {
            assert!(is_content_hashed(hashed), "{hashed}");
        }
        for fixed in [
            "index.html",
            "lookout-embed.js",
            "lookout-embed_bg.wasm",
            "inline0.js",
            "lookout-app-6DB8DAA8738DEA4D.js",
            "x-6db8daa8.js",
            // A SPA route that looks like a hash is served index.html: never immutable.
            "web-6db8daa8738dea4d",
        ] {
            assert!(!is_content_hashed(fixed), "{fixed}");
        }
    }
}
