//! The Kubernetes API server of one simulated cluster: routing of `/api` and `/apis` paths
//! (discovery, objects, collections, subresources), RBAC of a restricted identity, Tables, watches
//! and pod logs. Below KAS (`kas`), above the cluster ([`crate::cluster`]).

pub mod discovery;
mod list_body;
pub mod logs;
pub mod path;
pub mod rbac;
mod reads;
pub mod scale;
mod writes;

use crate::cluster::{in_version, Cluster, PatchKind, PatchScope};
use crate::faults::Faults;
use crate::http::status::ApiError;
use crate::http::{json_response, page_not_found};
use crate::resources::{field_labels, ResourceDef};
use axum::http::{header, HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use lookout_client::api::selector::{FieldSelector, LabelSelector};
use path::{parse_path, Target};
pub use reads::{expired_watch_body, request_fault, watch_spec};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// The API server's settings, shared by every simulated cluster.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How often quiet watches get a bookmark.
    pub bookmark_interval: Duration,
    /// How often followed pod logs get a new line.
    pub log_interval: Duration,
    /// Serve streaming lists (`sendInitialEvents`), as with the WatchList feature gate on.
    pub watch_list: bool,
    /// Faults injected into watch streams.
    pub faults: Arc<Faults>,
}

/// A request to a simulated cluster, after KAS admitted it.
pub struct Request<'a> {
    /// The HTTP method.
    pub method: &'a Method,
    /// The API path (`/api/v1/…`, `/apis/…`, `/version`), without the proxy prefix.
    pub path: &'a str,
    /// The decoded query parameters.
    pub query: &'a HashMap<String, String>,
    /// The request headers.
    pub headers: &'a HeaderMap,
    /// The request body.
    pub body: &'a [u8],
}

/// Answers a request from `cluster`, as `identity` (everything allowed when `None`).
pub fn serve(
    settings: &Settings,
    cluster: &Arc<Cluster>,
    identity: Option<&rbac::Identity>,
    request: &Request,
) -> Response {
    let Request {
        method,
        path,
        query,
        headers,
        body,
    } = *request;
    if let Some(answer) = rbac::intercept(identity, method, path, query, body) {
        return answer;
    }
    if method == Method::GET {
        let accept = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if let Some(answer) = discovery::answer(path, accept) {
            return answer;
        }
    }
    let Some(target) = parse_path(path) else {
        return page_not_found();
    };
    let (ns, def) = (target.namespace.unwrap_or(""), target.def);
    let result = match (method, target.name, target.subresource) {
        (&Method::GET, Some(name), Some("log")) => {
            return logs::pod_log(settings, cluster, ns, name, query)
        }
        (&Method::POST, Some(name), Some("eviction")) => {
            return writes::evict(cluster, &target, name, body)
        }
        (_, Some(name), Some("scale")) => {
            return scale::serve(cluster, def, ns, name, method, headers, body)
        }
        (&Method::GET, None, None) => {
            return reads::collection(settings, cluster, &target, query, headers)
        }
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
            writes::patch(cluster, &target, name, query, headers, body)
        }
        (&Method::DELETE, Some(name), None) => {
            return writes::delete(cluster, &target, name, query, body)
        }
        // No deletecollection across namespaces, nor of namespaces (as the real routes).
        (&Method::DELETE, None, None)
            if (!def.namespaced || target.namespace.is_some()) && def.kind != "Namespace" =>
        {
            return writes::delete_collection(cluster, &target, query, body)
        }
        _ => Err(ApiError::new(
            405,
            "MethodNotAllowed",
            format!("the server does not allow this method on the requested resource ({method})"),
        )),
    };
    match result {
        Ok((code, obj)) => json_response(code, &in_version(def, &obj)),
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

/// The request's `labelSelector` and `fieldSelector`, parsed (400 when malformed).
fn parse_selectors(
    query: &HashMap<String, String>,
) -> Result<(LabelSelector, FieldSelector), ApiError> {
    let get = |k: &str| query.get(k).map(String::as_str).unwrap_or("");
    let labels = LabelSelector::parse(get("labelSelector")).map_err(ApiError::bad_request)?;
    let fields = FieldSelector::parse(get("fieldSelector")).map_err(ApiError::bad_request)?;
    Ok((labels, fields))
}

/// `fields` with its labels converted to the stored kind's, as the server's field label
/// conversion does (`regarding.name` of an events.k8s.io Event selects on
/// `involvedObject.name`): 400 naming the first label `def` does not support. As in the
/// server's handlers, this comes after the list options are validated (a 422 goes first).
fn convert_fields(
    cluster: &Cluster,
    def: &'static ResourceDef,
    fields: FieldSelector,
) -> Result<FieldSelector, ApiError> {
    if fields.is_empty() {
        return Ok(fields);
    }
    let declared = cluster.declared_fields(def);
    fields
        .transform(|label| field_labels::convert(def, &declared, label))
        .map_err(ApiError::bad_request)
}

/// The request's selectors, parsed and converted, for requests without list options to
/// validate in between (deletecollection).
fn selectors(
    cluster: &Cluster,
    def: &'static ResourceDef,
    query: &HashMap<String, String>,
) -> Result<(LabelSelector, FieldSelector), ApiError> {
    let (labels, fields) = parse_selectors(query)?;
    Ok((labels, convert_fields(cluster, def, fields)?))
}
