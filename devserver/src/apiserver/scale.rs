//! The `scale` subresource of Deployments, ReplicaSets and StatefulSets (`autoscaling/v1`
//! `Scale`): read the replica count, or change it with a `PUT` or a merge patch.

use crate::cluster::validation::replicas_cause;
use crate::cluster::{Cluster, PatchKind, PatchScope};
use crate::http::json_response;
use crate::http::status::ApiError;
use crate::resources::ResourceDef;
use axum::http::{header, HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// The `Scale` view of a workload.
fn scale_of(obj: &Value) -> Value {
    let labels = obj["spec"]["selector"]["matchLabels"].as_object();
    let selector: Vec<String> = labels
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
        .collect();
    let meta = &obj["metadata"];
    json!({
        "kind": "Scale", "apiVersion": "autoscaling/v1",
        "metadata": { "name": meta["name"], "namespace": meta["namespace"], "uid": meta["uid"],
                      "resourceVersion": meta["resourceVersion"], "creationTimestamp": meta["creationTimestamp"] },
        "spec": { "replicas": obj["spec"]["replicas"].as_u64().unwrap_or(1) },
        "status": { "replicas": obj["status"]["replicas"].as_u64().unwrap_or(0), "selector": selector.join(",") },
    })
}

/// Serves `GET`, `PUT` and `PATCH` (merge or strategic) of `{plural}/{name}/scale`.
pub fn serve(
    cluster: &Cluster,
    def: &'static ResourceDef,
    ns: &str,
    name: &str,
    method: &Method,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let result = match *method {
        Method::GET => cluster.get(def, ns, name),
        Method::PUT | Method::PATCH => {
            let content_type = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let merge = matches!(
                content_type.split(';').next().unwrap_or("").trim(),
                "application/merge-patch+json" | "application/strategic-merge-patch+json"
            );
            match serde_json::from_slice::<Value>(body) {
                _ if *method == Method::PATCH && !merge => Err(ApiError::new(
                    415,
                    "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json",
                )),
                Err(e) => Err(ApiError::bad_request(format!("the body is not valid JSON: {e}"))),
                Ok(scale) => match (
                    replicas_cause(&scale["spec"]["replicas"]),
                    scale["spec"]["replicas"].as_i64(),
                ) {
                    (Some(cause), _) => Err(ApiError::invalid_object("Scale", name, vec![cause])),
                    (None, Some(n)) => cluster.patch_with(
                        def,
                        ns,
                        name,
                        PatchKind::Merge,
                        &json!({ "spec": { "replicas": n } }),
                        PatchScope::Main,
                    ),
                    (None, None) => cluster.get(def, ns, name),
                },
            }
        }
        _ => Err(ApiError::new(
            405,
            "MethodNotAllowed",
            format!("the server does not allow this method on the requested resource ({method})"),
        )),
    };
    match result {
        Ok(obj) => json_response(200, &scale_of(&obj)),
        Err(e) => e.into_response(),
    }
}
