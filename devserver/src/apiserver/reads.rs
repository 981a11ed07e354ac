//! The API server's collection reads: lists (pages, exact resourceVersions, Tables, metadata
//! only) and HTTP watches, with their parameters checked as the API server checks them.

use super::list_body::list_body;
use super::path::Target;
use super::{convert_fields, parse_selectors, Settings};
use crate::cluster::watch::{WatchSpec, WatchStart};
use crate::cluster::Cluster;
use crate::faults;
use crate::http::json_response;
use crate::http::status::ApiError;
use crate::resources::table;
use crate::resources::ResourceDef;
use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Streaming lists (`sendInitialEvents`) as a 1.28+ API server with the WatchList gate checks them.
fn check_streaming_list(settings: &Settings, rv_match: Option<&str>) -> Result<(), ApiError> {
    let (field, message) = if !settings.watch_list {
        (
            "sendInitialEvents",
            "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled",
        )
    } else if rv_match != Some("NotOlderThan") {
        (
            "resourceVersionMatch",
            "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
        )
    } else {
        return Ok(());
    };
    Err(ApiError::invalid(format!(
        "ListOptions.meta.k8s.io \"\" is invalid: {field}: Forbidden: {message}"
    )))
}

/// A watch request's parameters (`resourceVersion`, selectors, bookmarks, timeout, streaming list)
/// checked as the API server checks them. Shared by HTTP watches and the WebSocket aggregator.
pub fn watch_spec(
    settings: &Settings,
    cluster: &Cluster,
    def: &'static ResourceDef,
    namespace: Option<&str>,
    query: &HashMap<String, String>,
    table: Option<table::Include>,
) -> Result<WatchSpec, ApiError> {
    let get = |k: &str| query.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let (labels, fields) = parse_selectors(query)?;
    let streaming = matches!(get("sendInitialEvents"), Some("true" | "1"));
    if streaming {
        check_streaming_list(settings, get("resourceVersionMatch"))?;
    }
    let fields = convert_fields(cluster, def, fields)?;
    let start = match get("resourceVersion") {
        // A streaming list is a snapshot at least as fresh as the resourceVersion named (client-go
        // names the last one it knew when it lists again): the current state, then changes.
        _ if streaming => WatchStart::Now,
        None | Some("0") => WatchStart::Now,
        Some(rv) => WatchStart::After(
            rv.parse()
                .map_err(|_| ApiError::bad_request(format!("invalid resource version {rv:?}")))?,
        ),
    };
    let bookmarks = matches!(get("allowWatchBookmarks"), Some("true" | "1"));
    // 0, like no value, means the server's default.
    let timeout = number(get("timeoutSeconds"))?
        .filter(|t| *t > 0)
        .unwrap_or(1800);
    Ok(WatchSpec {
        def,
        namespace: namespace.map(str::to_owned),
        labels,
        fields,
        start,
        bookmarks,
        timeout: Duration::from_secs(timeout),
        bookmark_interval: settings.bookmark_interval,
        initial_events_end: streaming && bookmarks,
        table,
        faults: settings.faults.clone(),
        metadata_only: false,
    })
}

/// A whole-number query parameter; one that is not a number is a bad request, as the API server
/// answers it (not silently the default).
fn number(value: Option<&str>) -> Result<Option<u64>, ApiError> {
    value
        .map(|v| {
            v.parse().map_err(|_| {
                ApiError::bad_request(format!("strconv.ParseInt: parsing {v:?}: invalid syntax"))
            })
        })
        .transpose()
}

/// The exact resourceVersion a list must be served at (`resourceVersionMatch=Exact`), checking
/// the combination as the API server does; `None` serves the current state (unset, `NotOlderThan`
/// or a plain `resourceVersion`, which a cache may answer with anything as new).
fn list_version(rv: Option<&str>, rv_match: Option<&str>) -> Result<Option<u64>, ApiError> {
    let forbidden = |msg: &str| {
        ApiError::invalid(format!(
            "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: {msg}"
        ))
    };
    let parsed = rv
        .map(|v| {
            v.parse::<u64>()
                .map_err(|_| ApiError::bad_request(format!("invalid resource version {v:?}")))
        })
        .transpose()?;
    match (parsed, rv_match) {
        (_, None) => Ok(None),
        (None, Some(_)) => Err(forbidden(
            "resourceVersionMatch is forbidden unless resourceVersion is provided",
        )),
        (Some(0), Some("Exact")) => Err(forbidden(
            "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"",
        )),
        (Some(v), Some("Exact")) => Ok(Some(v)),
        (Some(_), Some("NotOlderThan")) => Ok(None),
        (Some(_), Some(other)) => Err(ApiError::invalid(format!(
            "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Unsupported value: \"{other}\": supported values: \"Exact\", \"NotOlderThan\", \"\""
        ))),
    }
}

/// The `Status` an injected request fault (`/_dev/faults`: 429, 500, 503, or 410 for a watch
/// that resumes from a resourceVersion) answers a list or watch with instead of the API; a 429
/// carries `details.retryAfterSeconds` as the API server's does (and [`fault_response`] the
/// `Retry-After` header).
pub fn request_fault(
    settings: &Settings,
    def: &ResourceDef,
    query: &HashMap<String, String>,
) -> Option<Value> {
    let get = |k: &str| query.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let watch = matches!(get("watch"), Some("true" | "1"));
    let resuming = watch && get("resourceVersion").is_some_and(|rv| rv != "0");
    let what = format!("{} {}", if watch { "watch" } else { "list" }, def.plural);
    let fault = settings.faults.for_request(def.plural, &what, resuming)?;
    let (code, mut status) = faults::status_of(fault);
    if code == 429 {
        status["details"] = json!({ "retryAfterSeconds": settings.faults.timings().0 });
    }
    Some(status)
}

/// The body of a watch a 410 ends before it starts, as the API server answers a watch from a
/// resourceVersion it no longer has: `200` with one `ERROR` event, then the end.
pub fn expired_watch_body(status: &Value) -> Option<String> {
    (status["code"] == 410).then(|| format!("{}\n", json!({ "type": "ERROR", "object": status })))
}

/// A request fault's `Status` as an HTTP answer (a 410 on a watch as the API server sends it).
fn fault_response(status: &Value, watch: bool) -> Response {
    if let Some(body) = expired_watch_body(status).filter(|_| watch) {
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    }
    let code = status["code"].as_u64().unwrap_or(500) as u16;
    let mut response = json_response(code, status);
    if let Some(seconds) = status["details"]["retryAfterSeconds"].as_u64() {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, seconds.into());
    }
    response
}

/// `GET` of a collection: a list, or a watch with `watch=true`.
pub(super) fn collection(
    settings: &Settings,
    cluster: &Arc<Cluster>,
    target: &Target,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
) -> Response {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let table = table::wants_table(accept)
        .then(|| table::Include::parse(query.get("includeObject").map(String::as_str)));
    let get = |k: &str| query.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let watch = matches!(get("watch"), Some("true" | "1"));
    if let Some(status) = request_fault(settings, target.def, query) {
        return fault_response(&status, watch);
    }
    if watch {
        let spec = match watch_spec(
            settings,
            cluster,
            target.def,
            target.namespace,
            query,
            table,
        ) {
            Ok(mut spec) => {
                spec.metadata_only = accept.contains("as=PartialObjectMetadata");
                spec
            }
            Err(e) => return e.into_response(),
        };
        let guard = cluster.count_http_watch();
        let rx = cluster.watch(spec);
        let stream = futures_util::stream::unfold((rx, guard), |(mut rx, guard)| async move {
            rx.recv().await.map(|chunk| (chunk, (rx, guard)))
        });
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            Body::from_stream(stream),
        )
            .into_response();
    }
    // As the server: the parameters parsed (400), the list options validated (422), then the
    // field labels converted (400).
    let (labels, fields) = match parse_selectors(query) {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let limit = match number(get("limit")) {
        Ok(limit) => limit.unwrap_or(0) as usize,
        Err(e) => return e.into_response(),
    };
    let exact = match list_version(get("resourceVersion"), get("resourceVersionMatch")) {
        Ok(exact) => exact,
        Err(e) => return e.into_response(),
    };
    let fields = match convert_fields(cluster, target.def, fields) {
        Ok(fields) => fields,
        Err(e) => return e.into_response(),
    };
    let def = target.def;
    // As a real server: with selectors, how many more match is left unknown.
    let unselected = get("labelSelector").is_none() && get("fieldSelector").is_none();
    let page = match cluster.list_at(
        def,
        target.namespace,
        |o| o.selected_by(&labels, &fields),
        limit,
        get("continue"),
        exact,
        unselected,
    ) {
        Ok(page) => page,
        Err(e) => return e.into_response(),
    };
    let mut metadata = json!({ "resourceVersion": page.rv.to_string() });
    if let Some(token) = &page.continue_token {
        metadata["continue"] = json!(token);
        if unselected {
            metadata["remainingItemCount"] = json!(page.remaining);
        }
    }
    if let Some(include) = table {
        let rv = page.rv.to_string();
        let token = page.continue_token.as_deref();
        return json_response(
            200,
            &table::table(def, &page.values(def), &rv, token, now(), include, true),
        );
    }
    let body = if accept.contains("as=PartialObjectMetadataList") {
        list_body(
            "PartialObjectMetadataList",
            "meta.k8s.io/v1",
            &metadata,
            page.items,
            |o, out| o.write_metadata_only(out),
        )
    } else {
        list_body(
            &def.list_kind(),
            &def.api_version(),
            &metadata,
            page.items,
            move |o, out| o.write_list_item(def, out),
        )
    };
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}
