//! The Kubernetes API under `/k8s-proxy/`, answered by the simulated cluster.

use crate::cluster::api_error::ApiError;
use crate::cluster::resources::{self, ResourceDef};
use crate::cluster::watch::{WatchSpec, WatchStart};
use crate::cluster::{Cluster, PatchKind, PatchScope, Propagation};
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
    // `namespaces/{ns}/{plural}/…` names a namespaced kind; anything else (including
    // `namespaces/{name}/status`) a cluster-scoped one or a collection across namespaces.
    let namespaced = match rest {
        ["namespaces", ns, plural, more @ ..] => resources::by_path(group, version, plural)
            .filter(|d| d.namespaced)
            .map(|d| (d, Some(*ns), more)),
        _ => None,
    };
    let (def, namespace, rest) = match namespaced {
        Some(found) => found,
        None => {
            let (plural, more) = rest.split_first()?;
            (resources::by_path(group, version, plural)?, None, more)
        }
    };
    let (name, subresource) = match rest {
        [] => (None, None),
        [name] => (Some(*name), None),
        [name, sub] => (Some(*name), Some(*sub)),
        _ => return None,
    };
    if def.namespaced && namespace.is_none() && name.is_some() {
        return None;
    }
    if subresource.is_some_and(|sub| !def.subresources.contains(&sub)) {
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

/// The query string a real cluster gets: the browser's, less KAS's own parameters (the agent id
/// and the CSRF token are for KAS, not for the API server), otherwise byte for byte.
fn upstream_query(raw: Option<&str>) -> String {
    use lookout_client::query::decode;
    raw.unwrap_or("")
        .split('&')
        .filter(|p| {
            let key = decode(p.split_once('=').map_or(*p, |(k, _)| k));
            !p.is_empty() && key != "gitlab-agent-id" && key != "gitlab-csrf-token"
        })
        .collect::<Vec<_>>()
        .join("&")
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
            let path_and_query = match upstream_query(raw.as_deref()) {
                q if q.is_empty() => path.to_owned(),
                q => format!("{path}?{q}"),
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
        let accept = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if let Some(answer) = crate::discovery::answer(path, accept) {
            return answer;
        }
    }
    let Some(target) = parse_path(path) else {
        return page_not_found();
    };
    let (ns, def) = (target.namespace.unwrap_or(""), target.def);
    let result = match (&method, target.name, target.subresource) {
        (&Method::GET, Some(name), Some("log")) => {
            return crate::logs::pod_log(app, cluster, ns, name, query)
        }
        (&Method::POST, Some(name), Some("eviction")) => {
            return evict(cluster, &target, name, body)
        }
        (_, Some(name), Some("scale")) => {
            return crate::scale::serve(cluster, def, ns, name, &method, headers, body)
        }
        (&Method::GET, None, None) => return collection(app, cluster, &target, query, headers),
        (&Method::GET, Some(name), _) => cluster.get(def, ns, name).map(|o| (200, o)),
        // Namespaced objects are created in a namespace (the all-namespaces path only lists).
        (&Method::POST, None, None) if !def.namespaced || target.namespace.is_some() => {
            parse_body(body)
                .and_then(|obj| cluster.create(def, ns, obj))
                .map(|obj| (201, obj))
        }
        (&Method::PUT, Some(name), None | Some("status")) => parse_body(body).and_then(|obj| {
            let scope = scope_of(&target);
            check_body_name(def, name, &obj)?;
            cluster
                .patch_with(def, ns, name, PatchKind::Replace, &obj, scope)
                .map(|o| (200, o))
        }),
        (&Method::PUT, Some(name), Some("finalize")) => parse_body(body).and_then(|obj| {
            check_body_name(def, name, &obj)?;
            let finalizers = json!({ "spec": { "finalizers": obj["spec"]["finalizers"] } });
            cluster
                .patch_with(
                    def,
                    ns,
                    name,
                    PatchKind::Merge,
                    &finalizers,
                    PatchScope::Whole,
                )
                .map(|o| (200, o))
        }),
        (&Method::PATCH, Some(name), None | Some("status")) => {
            patch(cluster, &target, name, query, headers, body)
        }
        (&Method::DELETE, Some(name), None) => return delete(cluster, &target, name, query, body),
        // No deletecollection across namespaces, nor of namespaces (as the real routes).
        (&Method::DELETE, None, None)
            if (!def.namespaced || target.namespace.is_some()) && def.kind != "Namespace" =>
        {
            return delete_collection(cluster, &target, query, body)
        }
        _ => Err(ApiError::new(
            405,
            "MethodNotAllowed",
            format!("the server does not allow this method on the requested resource ({method})"),
        )),
    };
    match result {
        Ok((code, obj)) => json_response(code, &crate::cluster::in_version(def, &obj)),
        Err(e) => e.into_response(),
    }
}

/// The `/status` subresource changes status only; the main resource everything else.
fn scope_of(target: &Target) -> PatchScope {
    if target.subresource == Some("status") {
        PatchScope::Status
    } else {
        PatchScope::Main
    }
}

fn parse_body(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))
}

/// A `PUT` body names the object of its URL.
fn check_body_name(def: &ResourceDef, name: &str, obj: &Value) -> Result<(), ApiError> {
    let sent = obj["metadata"]["name"].as_str().unwrap_or("");
    if sent == name {
        return Ok(());
    }
    Err(ApiError {
        details: Some((def.plural.to_owned(), name.to_owned())),
        ..ApiError::bad_request(format!(
            "the name of the object ({sent}) does not match the name on the URL ({name})"
        ))
    })
}

/// `DELETE`'s options: the grace period and the dependents' fate, from the query or the
/// `DeleteOptions` body (the query wins). A grace period beyond `i64` is the largest one.
fn delete_options(
    query: &HashMap<String, String>,
    options: &Value,
) -> Result<(Option<u64>, Propagation), ApiError> {
    let grace = match query.get("gracePeriodSeconds") {
        Some(g) => g.parse::<u64>().ok(),
        None => options["gracePeriodSeconds"].as_u64(),
    };
    let policy = query
        .get("propagationPolicy")
        .map(String::as_str)
        .or_else(|| options["propagationPolicy"].as_str());
    let orphan_dependents = query
        .get("orphanDependents")
        .map_or(options["orphanDependents"].as_bool(), |o| Some(o == "true"));
    let propagation = match (policy, orphan_dependents) {
        (Some("Orphan"), _) | (None, Some(true)) => Propagation::Orphan,
        // Foreground is served as Background (see `Propagation`).
        (Some("Background" | "Foreground"), _) | (None, _) => Propagation::Background,
        (Some(other), _) => {
            return Err(ApiError::invalid(format!(
                "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{other}\": supported values: \"Foreground\", \"Background\", \"Orphan\""
            )))
        }
    };
    Ok((grace, propagation))
}

/// Whether a removed object of `def` is the answer to its `DELETE` (the real registry's
/// `ReturnDeletedObject`: pods, Services, PersistentVolumeClaims); others answer a `Status`.
fn returns_deleted_object(def: &ResourceDef) -> bool {
    def.group.is_empty() && matches!(def.kind, "Pod" | "Service" | "PersistentVolumeClaim")
}

/// `DELETE`: pods, Services and PersistentVolumeClaims answer with their last state; any other
/// object removed at once with a `Status` `Success` (the real registry returns the object for
/// them only while finalizers or a grace period keep it).
fn delete(
    cluster: &Arc<Cluster>,
    target: &Target,
    name: &str,
    query: &HashMap<String, String>,
    body: &[u8],
) -> Response {
    let options: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let (grace, propagation) = match delete_options(query, &options) {
        Ok(o) => o,
        Err(e) => return e.into_response(),
    };
    let def = target.def;
    let ns = target.namespace.unwrap_or("");
    match cluster.delete_with(def, ns, name, grace, propagation) {
        Ok(d) if d.gone && !returns_deleted_object(def) => {
            let mut details =
                json!({ "name": name, "kind": def.plural, "uid": d.object["metadata"]["uid"] });
            if !def.group.is_empty() {
                details["group"] = json!(def.group);
            }
            json_response(
                200,
                &json!({ "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details }),
            )
        }
        Ok(d) => json_response(200, &crate::cluster::in_version(def, &d.object)),
        Err(e) => e.into_response(),
    }
}

/// `DELETE` of a collection (`deletecollection`): every object the selectors match, answered
/// with the list of their last states.
fn delete_collection(
    cluster: &Arc<Cluster>,
    target: &Target,
    query: &HashMap<String, String>,
    body: &[u8],
) -> Response {
    let (labels, fields) = match selectors(query) {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let options: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let (grace, propagation) = match delete_options(query, &options) {
        Ok(o) => o,
        Err(e) => return e.into_response(),
    };
    let def = target.def;
    let page = match cluster.list(
        def,
        target.namespace,
        |o| labels.matches(o) && fields.matches(o),
        0,
        None,
    ) {
        Ok(page) => page,
        Err(e) => return e.into_response(),
    };
    let items: Vec<Value> = page
        .items
        .iter()
        .filter_map(|o| {
            let ns = o["metadata"]["namespace"].as_str().unwrap_or("");
            let name = o["metadata"]["name"].as_str().unwrap_or("");
            let d = cluster
                .delete_with(def, ns, name, grace, propagation)
                .ok()?;
            Some(crate::cluster::in_version(def, &d.object).into_owned())
        })
        .collect();
    json_response(
        200,
        &json!({ "kind": def.list_kind(), "apiVersion": def.api_version(),
                 "metadata": { "resourceVersion": cluster.resource_version().to_string() }, "items": items }),
    )
}

/// The request's `labelSelector` and `fieldSelector` (400 when malformed).
fn selectors(query: &HashMap<String, String>) -> Result<(LabelSelector, FieldSelector), ApiError> {
    let get = |k: &str| query.get(k).map(String::as_str).unwrap_or("");
    let labels = LabelSelector::parse(get("labelSelector")).map_err(ApiError::bad_request)?;
    let fields = FieldSelector::parse(get("fieldSelector")).map_err(ApiError::bad_request)?;
    Ok((labels, fields))
}

/// `POST pods/{name}/eviction`: deletes the pod gracefully, answering `201` `Status` `Success`.
fn evict(cluster: &Arc<Cluster>, target: &Target, name: &str, body: &[u8]) -> Response {
    let eviction: Value = match parse_body(body) {
        Ok(e) => e,
        Err(e) => return e.into_response(),
    };
    if eviction["metadata"]["name"]
        .as_str()
        .is_some_and(|n| n != name)
    {
        return ApiError::bad_request("name in URL does not match name in Eviction object")
            .into_response();
    }
    let (grace, propagation) = match delete_options(&HashMap::new(), &eviction["deleteOptions"]) {
        Ok(o) => o,
        Err(e) => return e.into_response(),
    };
    let ns = target.namespace.unwrap_or("");
    match cluster.delete_with(target.def, ns, name, grace, propagation) {
        Ok(_) => json_response(
            201,
            &json!({ "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201 }),
        ),
        Err(e) => e.into_response(),
    }
}

/// The media types a `PATCH` of `def` accepts (custom resources have no strategic merge patch).
fn patch_types(def: &ResourceDef) -> &'static str {
    if def.is_custom() {
        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
    } else {
        "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml"
    }
}

fn patch(
    cluster: &Cluster,
    target: &Target,
    name: &str,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(u16, Value), ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let def = target.def;
    let ns = target.namespace.unwrap_or("");
    let kind = match content_type.split(';').next().unwrap_or("").trim() {
        "application/merge-patch+json" => PatchKind::Merge,
        "application/strategic-merge-patch+json" if !def.is_custom() => PatchKind::Strategic,
        "application/json-patch+json" => PatchKind::Json,
        "application/apply-patch+yaml" => return apply(cluster, target, name, query, body),
        _ => {
            return Err(ApiError::new(
                415,
                "UnsupportedMediaType",
                format!(
                    "the body of the request was in an unknown format - accepted media types include: {}",
                    patch_types(def)
                ),
            ))
        }
    };
    let patch: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the patch is not valid JSON: {e}")))?;
    cluster
        .patch_with(def, ns, name, kind, &patch, scope_of(target))
        .map(|obj| (200, obj))
}

/// Server-side apply, simplified: the applied configuration is created when the object does not
/// exist and merged into it (as a JSON merge patch) when it does. Field ownership, conflicts and
/// removal of fields a manager stopped applying are not modelled. `fieldManager` is required, as
/// by the real server.
fn apply(
    cluster: &Cluster,
    target: &Target,
    name: &str,
    query: &HashMap<String, String>,
    body: &[u8],
) -> Result<(u16, Value), ApiError> {
    if query.get("fieldManager").is_none_or(String::is_empty) {
        return Err(ApiError::invalid(
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
        ));
    }
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::bad_request("the apply configuration is not UTF-8"))?;
    let config: Value = serde_norway::from_str(text)
        .map_err(|e| ApiError::bad_request(format!("error decoding YAML: {e}")))?;
    if !config.is_object() {
        return Err(ApiError::bad_request(
            "the apply configuration is not a YAML or JSON object",
        ));
    }
    let def = target.def;
    let ns = target.namespace.unwrap_or("");
    if config["kind"] != def.kind || config["apiVersion"] != def.api_version().as_str() {
        return Err(ApiError::bad_request(format!(
            "the apply configuration must have apiVersion {} and kind {}",
            def.api_version(),
            def.kind
        )));
    }
    if config["metadata"]["name"].as_str() != Some(name) {
        return Err(ApiError::bad_request(format!(
            "the name of the apply configuration does not match the name on the URL ({name})"
        )));
    }
    match cluster.get(def, ns, name) {
        Err(e) if e.code == 404 => cluster.create(def, ns, config).map(|obj| (201, obj)),
        Err(e) => Err(e),
        Ok(_) => cluster
            .patch_with(def, ns, name, PatchKind::Merge, &config, scope_of(target))
            .map(|obj| (200, obj)),
    }
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
    let (labels, fields) = selectors(query)?;
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
    // 0, like no value, means the server's default.
    let timeout = get("timeoutSeconds")
        .and_then(|t| t.parse().ok())
        .filter(|t| *t > 0)
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
    let (labels, fields) = match selectors(query) {
        Ok(s) => s,
        Err(e) => return e.into_response(),
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
    let exact = match list_version(get("resourceVersion"), get("resourceVersionMatch")) {
        Ok(exact) => exact,
        Err(e) => return e.into_response(),
    };
    let mut page = match cluster.list_at(
        target.def,
        target.namespace,
        |o| labels.matches(o) && fields.matches(o),
        limit,
        get("continue"),
        exact,
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
    // A real server's lists of built-in kinds carry `kind` and `apiVersion` on the list only
    // (a-list-pods-*.body); custom resources keep them on each item.
    if !target.def.is_custom() {
        for item in page.items.iter_mut().filter_map(Value::as_object_mut) {
            item.remove("kind");
            item.remove("apiVersion");
        }
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
