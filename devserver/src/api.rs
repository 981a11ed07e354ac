//! The Kubernetes API under `/k8s-proxy/`, answered by the simulated cluster.

use crate::cluster::api_error::ApiError;
use crate::cluster::resources::{self, ResourceDef};
use crate::cluster::watch::{WatchSpec, WatchStart};
use crate::cluster::{Cluster, PatchKind, PatchScope};
use crate::table;
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use lookout_client::selector::{FieldSelector, LabelSelector};
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
fn page_not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "404 page not found\n",
    )
        .into_response()
}

/// A parsed API path: the resource, the namespace and the object name, if any.
#[derive(Debug, PartialEq)]
pub(crate) struct Target<'a> {
    def: &'static ResourceDef,
    namespace: Option<&'a str>,
    name: Option<&'a str>,
    /// `log` of `pods/{name}/log`.
    subresource: Option<&'a str>,
}

/// Parses `/api/v1/…` or `/apis/{group}/{version}/…` (without the proxy prefix).
pub(crate) fn parse_path(path: &str) -> Option<Target<'_>> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (group, version, rest) = match segs.as_slice() {
        ["api", version, rest @ ..] => ("", *version, rest),
        ["apis", group, version, rest @ ..] => (*group, *version, rest),
        _ => return None,
    };
    let (namespace, rest) = match rest {
        ["namespaces", ns, plural, more @ ..] => (Some(*ns), [&[*plural][..], more].concat()),
        _ => (None, rest.to_vec()),
    };
    let (plural, name, subresource) = match rest.as_slice() {
        [plural] => (*plural, None, None),
        [plural, name] => (*plural, Some(*name), None),
        ["pods", name, "log"] => ("pods", Some(*name), Some("log")),
        [plural, name, "status"] => (*plural, Some(*name), Some("status")),
        _ => return None,
    };
    let def = resources::by_path(group, version, plural)?;
    if namespace.is_some() && !def.namespaced {
        return None;
    }
    Some(Target {
        def,
        namespace,
        name,
        subresource,
    })
}

pub(crate) fn parse_query(raw: Option<&str>) -> HashMap<String, String> {
    use lookout_client::query::decode;
    raw.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// Handles every request under `/k8s-proxy/`.
pub async fn proxy(
    State(app): State<AppState>,
    method: Method,
    uri: Uri,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().strip_prefix("/k8s-proxy").unwrap_or(uri.path());
    let query = parse_query(raw.as_deref());
    let admitted = match crate::kas::admit(&app.kas, &method, &headers, &query) {
        Ok(a) => a,
        Err(answer) => return *answer,
    };
    let upstream = app.upstreams.get(&admitted.agent);
    let mut response = match (upstream, app.agents.get(&admitted.agent)) {
        (Some(up), _) => {
            let path_and_query = match &raw {
                Some(q) => format!("{path}?{q}"),
                None => path.to_owned(),
            };
            up.forward(&method, &path_and_query, &headers, body).await
        }
        (None, Some(cluster)) => crate::rbac::intercept(
            app.identities.get(&admitted.agent),
            &method,
            path,
            &query,
            &body,
        )
        .unwrap_or_else(|| serve(&app, cluster, &method, path, &query, &headers, &body)),
        // GitLab does not know the agent (or the user may not use it): KAS says 401.
        (None, None) => crate::kas::kas_error(401, "Unauthorized", true),
    };
    response.headers_mut().extend(admitted.cors);
    response
}

/// Answers an admitted request from the agent's cluster.
fn serve(
    app: &AppState,
    cluster: &Arc<Cluster>,
    method: &Method,
    path: &str,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let method = method.clone();
    if method == Method::GET {
        if let Some(doc) = crate::discovery::document(path) {
            return json_response(200, &doc);
        }
    }
    let Some(target) = parse_path(path) else {
        return page_not_found();
    };
    if let (Some("log"), Some(name), true) =
        (target.subresource, target.name, method == Method::GET)
    {
        return crate::logs::pod_log(app, cluster, target.namespace.unwrap_or(""), name, query);
    }
    let result = match (method.clone(), target.name) {
        (Method::GET, None) => return collection(app, cluster, &target, query, headers),
        (Method::GET, Some(name)) => cluster.get(target.def, target.namespace.unwrap_or(""), name),
        (Method::POST, None) => serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))
            .and_then(|obj| cluster.create(target.def, target.namespace.unwrap_or(""), obj)),
        (Method::PATCH, Some(name)) => patch(cluster, &target, name, headers, body),
        (Method::DELETE, Some(name)) => {
            // Pods default to a 30 s grace period, as the API server's.
            let grace = query
                .get("gracePeriodSeconds")
                .and_then(|g| g.parse().ok())
                .unwrap_or(30);
            cluster.delete(target.def, target.namespace.unwrap_or(""), name, grace)
        }
        _ => Err(ApiError {
            code: 405,
            reason: "MethodNotAllowed",
            message: format!(
                "the server does not allow this method on the requested resource ({method})"
            ),
            details: None,
        }),
    };
    match result {
        Ok(obj) if method == Method::POST => json_response(201, &obj),
        Ok(obj) => json_response(200, &obj),
        Err(e) => e.into_response(),
    }
}

fn patch(
    cluster: &Cluster,
    target: &Target,
    name: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let kind = match content_type.split(';').next().unwrap_or("").trim() {
        // Strategic merge differs from merge patch only in how some lists merge.
        "application/merge-patch+json" | "application/strategic-merge-patch+json" => PatchKind::Merge,
        "application/json-patch+json" => PatchKind::Json,
        _ => {
            return Err(ApiError {
                code: 415,
                reason: "UnsupportedMediaType",
                message: format!("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got {content_type:?})"),
                details: None,
            })
        }
    };
    let patch: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the patch is not valid JSON: {e}")))?;
    let scope = if target.subresource == Some("status") {
        PatchScope::Status
    } else {
        PatchScope::Main
    };
    cluster.patch_with(
        target.def,
        target.namespace.unwrap_or(""),
        name,
        kind,
        &patch,
        scope,
    )
}

/// Streaming lists (`sendInitialEvents`) as a 1.28+ API server with the WatchList gate checks them.
fn check_streaming_list(app: &AppState, rv_match: Option<&str>) -> Result<(), ApiError> {
    let (field, message) = if !app.watch_list {
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

/// An object as `PartialObjectMetadata`: kind, apiVersion and metadata only.
pub(crate) fn partial_metadata(obj: &Value) -> Value {
    json!({ "kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj["metadata"] })
}

/// A watch request's parameters (`resourceVersion`, selectors, bookmarks, timeout, streaming list)
/// checked as the API server checks them. Shared by HTTP watches and the WebSocket aggregator.
pub(crate) fn watch_spec(
    app: &AppState,
    def: &'static ResourceDef,
    namespace: Option<&str>,
    query: &HashMap<String, String>,
    table: Option<table::Include>,
) -> Result<WatchSpec, ApiError> {
    let get = |k: &str| query.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let labels = LabelSelector::parse(get("labelSelector").unwrap_or(""))
        .map_err(|e| ApiError::bad_request(format!("unable to parse requirement: {e}")))?;
    let fields =
        FieldSelector::parse(get("fieldSelector").unwrap_or("")).map_err(ApiError::bad_request)?;
    let streaming = matches!(get("sendInitialEvents"), Some("true" | "1"));
    if streaming {
        check_streaming_list(app, get("resourceVersionMatch"))?;
    }
    let start = match get("resourceVersion") {
        None | Some("0") => WatchStart::Now,
        Some(rv) => WatchStart::After(
            rv.parse()
                .map_err(|_| ApiError::bad_request(format!("invalid resource version {rv:?}")))?,
        ),
    };
    let bookmarks = matches!(get("allowWatchBookmarks"), Some("true" | "1"));
    let timeout = get("timeoutSeconds")
        .and_then(|t| t.parse().ok())
        .unwrap_or(1800u64);
    Ok(WatchSpec {
        def,
        namespace: namespace.map(str::to_owned),
        labels,
        fields,
        start,
        bookmarks,
        timeout: Duration::from_secs(timeout),
        bookmark_interval: app.bookmark_interval,
        initial_events_end: streaming && bookmarks,
        table,
        faults: app.faults.clone(),
        metadata_only: false,
    })
}

fn collection(
    app: &AppState,
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
    let labels = match LabelSelector::parse(get("labelSelector").unwrap_or("")) {
        Ok(l) => l,
        Err(e) => {
            return ApiError::bad_request(format!("unable to parse requirement: {e}"))
                .into_response()
        }
    };
    let fields = match FieldSelector::parse(get("fieldSelector").unwrap_or("")) {
        Ok(f) => f,
        Err(e) => return ApiError::bad_request(e).into_response(),
    };
    if matches!(get("watch"), Some("true" | "1")) {
        let spec = match watch_spec(app, target.def, target.namespace, query, table) {
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
    let limit = get("limit").and_then(|l| l.parse().ok()).unwrap_or(0);
    let page = match cluster.list(
        target.def,
        target.namespace,
        |o| labels.matches(o) && fields.matches(o),
        limit,
        get("continue"),
    ) {
        Ok(page) => page,
        Err(e) => return e.into_response(),
    };
    let mut metadata = json!({ "resourceVersion": page.rv.to_string() });
    if let Some(token) = page.continue_token {
        metadata["continue"] = json!(token);
        metadata["remainingItemCount"] = json!(page.remaining);
    }
    if accept.contains("as=PartialObjectMetadataList") {
        let items: Vec<Value> = page.items.iter().map(partial_metadata).collect();
        return json_response(
            200,
            &json!({ "kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1", "metadata": metadata, "items": items }),
        );
    }
    if let Some(include) = table {
        let rv = page.rv.to_string();
        let token = metadata["continue"].as_str();
        return json_response(
            200,
            &table::table(target.def, &page.items, &rv, token, now(), include, true),
        );
    }
    // Serialized from borrowed parts: a large list is written once, never deep-copied.
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct List<'a> {
        kind: String,
        api_version: String,
        metadata: &'a Value,
        items: &'a [Value],
    }
    let list = List {
        kind: target.def.list_kind(),
        api_version: target.def.api_version(),
        metadata: &metadata,
        items: &page.items,
    };
    let body = serde_json::to_vec(&list).unwrap_or_default();
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_resources() {
        let t = parse_path("/api/v1/namespaces/app/pods/web").unwrap();
        assert_eq!(
            (t.def.plural, t.namespace, t.name),
            ("pods", Some("app"), Some("web"))
        );
        let t = parse_path("/api/v1/pods").unwrap();
        assert_eq!((t.def.plural, t.namespace, t.name), ("pods", None, None));
        let t = parse_path("/api/v1/namespaces/app").unwrap();
        assert_eq!(
            (t.def.plural, t.namespace, t.name),
            ("namespaces", None, Some("app"))
        );
        assert_eq!(parse_path("/api/v1/namespaces/app/widgets"), None);
        assert_eq!(parse_path("/apis/nope/v1/things"), None);
    }

    #[test]
    fn query_values_are_decoded() {
        let q = parse_query(Some("labelSelector=app%20in%20%28a%2Cb%29&watch=true&x"));
        assert_eq!(q["labelSelector"], "app in (a,b)");
        assert_eq!(q["watch"], "true");
        assert_eq!(q["x"], "");
    }
}
