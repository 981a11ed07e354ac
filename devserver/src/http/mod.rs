//! HTTP helpers every layer answers with: JSON responses, the API server's `Status` bodies
//! ([`status`]), its plain-text 404 and query-string parsing. A leaf: it imports no other module
//! of the crate.

pub mod status;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use status::ApiError;
use std::collections::HashMap;

/// JSON response with a status code.
pub fn json_response(code: u16, body: &Value) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.code, &self.to_status())
    }
}

/// What a real API server answers for an unknown path: plain text, not a `Status`.
pub fn page_not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "404 page not found\n",
    )
        .into_response()
}

/// A query string's parameters, percent-decoded (a parameter without `=` has an empty value).
pub fn parse_query(raw: Option<&str>) -> HashMap<String, String> {
    use lookout_client::api::query::decode;
    raw.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_decoded() {
        let q = parse_query(Some("labelSelector=app%20in%20%28a%2Cb%29&watch=true&x"));
        assert_eq!(q["labelSelector"], "app in (a,b)");
        assert_eq!(q["watch"], "true");
        assert_eq!(q["x"], "");
    }
}
