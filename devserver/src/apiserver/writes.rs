//! The API server's writes beyond create and update: deletes (one object, a collection, an
//! eviction), patches of every media type and server-side apply.

use super::path::Target;
use super::{parse_body, scope_of, selectors};
use crate::cluster::{in_version, Cluster, PatchKind, Propagation};
use crate::http::json_response;
use crate::http::status::ApiError;
use crate::resources::ResourceDef;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

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
pub(super) fn delete(
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
        Ok(d) => json_response(200, &in_version(def, &d.object)),
        Err(e) => e.into_response(),
    }
}

/// `DELETE` of a collection (`deletecollection`): every object the selectors match, answered
/// with the list of their last states.
pub(super) fn delete_collection(
    cluster: &Arc<Cluster>,
    target: &Target,
    query: &HashMap<String, String>,
    body: &[u8],
) -> Response {
    let (labels, fields) = match selectors(cluster, target.def, query) {
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
        |o| o.selected_by(&labels, &fields),
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
            let d = cluster
                .delete_with(def, o.namespace(), o.name(), grace, propagation)
                .ok()?;
            Some(in_version(def, &d.object).into_owned())
        })
        .collect();
    json_response(
        200,
        &json!({ "kind": def.list_kind(), "apiVersion": def.api_version(),
                 "metadata": { "resourceVersion": cluster.resource_version().to_string() }, "items": items }),
    )
}

/// `POST pods/{name}/eviction`: deletes the pod gracefully, answering `201` `Status` `Success`.
pub(super) fn evict(cluster: &Arc<Cluster>, target: &Target, name: &str, body: &[u8]) -> Response {
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

/// `PATCH` of an object or its status, by the request's media type.
pub(super) fn patch(
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
    let config: Value = serde_saphyr::from_str(text)
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
