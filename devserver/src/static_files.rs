//! Serves the built app (`dist/`) as a CDN would, with `index.html` for any path that is not a
//! file (SPA routes). A precompressed sibling the build wrote (`x.wasm.br`, `x.wasm.gz`) is sent
//! when the request's `Accept-Encoding` allows it. Names with trunk's content hash are cached
//! for a year (`immutable`); fixed names (`index.html`, the `/embed/` widget bundle) are
//! revalidated on every use (`no-cache`) against a strong `ETag`.

mod encoding;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::path::{Component, Path, PathBuf};

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// Maps a URL path to a file under `root`, refusing anything that would escape it.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let rel = Path::new(url_path.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    Some(root.join(rel))
}

/// Whether the file name carries trunk's content hash (`lookout-app-6db8daa8738dea4d_bg.wasm`,
/// `components-59ddab088e3d7aa9.css`): then its content never changes under that name.
fn is_content_hashed(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        hash.len() == 16 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
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

/// Fallback handler: a file from the dist directory (precompressed when the client accepts it),
/// else `index.html`.
pub async fn serve(State(root): State<PathBuf>, uri: Uri, request_headers: HeaderMap) -> Response {
    let path = uri.path();
    let file = match resolve(&root, path) {
        Some(p) if p.is_file() => p,
        _ if path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.')) =>
        {
            return (StatusCode::NOT_FOUND, "not found\n").into_response();
        }
        _ => root.join("index.html"),
    };
    let accept = request_headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let sibling = |suffix: &str| {
        let mut name = file.clone().into_os_string();
        name.push(format!(".{suffix}"));
        PathBuf::from(name)
    };
    let coding = encoding::choose(accept, |suffix| sibling(suffix).is_file());
    let body_file = coding.map_or_else(|| file.clone(), |(_, suffix)| sibling(suffix));
    let bytes = match tokio::fs::read(&body_file).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return (
                StatusCode::NOT_FOUND,
                format!(
                    "no built app at {} — run scripts/serve (it builds the app first)\n",
                    root.display()
                ),
            )
                .into_response()
        }
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&file)),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if is_content_hashed(&file) {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    } else {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        let tag = etag(&bytes);
        let revalidated = matches_if_none_match(&request_headers, &tag);
        if let Ok(value) = HeaderValue::from_str(&tag) {
            headers.insert(header::ETAG, value);
        }
        if revalidated {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
    }
    if let Some((name, _)) = coding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
    }
    (StatusCode::OK, headers, bytes).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_escape_the_root() {
        let root = Path::new("/srv/dist");
        assert_eq!(
            resolve(root, "/app.js"),
            Some(PathBuf::from("/srv/dist/app.js"))
        );
        assert_eq!(resolve(root, "/../etc/passwd"), None);
        assert_eq!(resolve(root, "/a/../../x"), None);
    }

    #[test]
    fn only_trunk_content_hashes_count_as_hashed_names() {
        for hashed in [
            "lookout-app-6db8daa8738dea4d_bg.wasm",
            "lookout-app-6db8daa8738dea4d.js",
            "components-59ddab088e3d7aa9.css",
        ] {
            assert!(is_content_hashed(Path::new(hashed)), "{hashed}");
        }
        for fixed in [
            "index.html",
            "embed/lookout-embed.js",
            "embed/lookout-embed_bg.wasm",
            "snippets/lookout-app-c942fd6261ec4c0f/inline0.js",
            "lookout-app-6DB8DAA8738DEA4D.js",
            "x-6db8daa8.js",
        ] {
            assert!(!is_content_hashed(Path::new(fixed)), "{fixed}");
        }
    }
}
