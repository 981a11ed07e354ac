//! `pods/{name}/log` of the simulated cluster: a deterministic history per container, and with
//! `follow=true` a new line every `log_interval` for as long as the client listens.

use super::Settings;
use crate::cluster::Cluster;
use crate::http::status::ApiError;
use crate::resources;
use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use lookout_client::model::time::format_rfc3339;
use serde_json::Value;
use std::collections::HashMap;

/// Lines of history each container starts with.
const HISTORY: u64 = 50;

/// Pod annotation whose value is the whole log of each of its containers, for tests that need
/// exact bytes in a log (terminal escapes, control characters).
const LOG_ANNOTATION: &str = "lookout-dev/log";

fn log_line(pod: &str, container: &str, n: u64, epoch: i64, timestamps: bool) -> String {
    let level = if n % 7 == 3 { "WARN" } else { "INFO" };
    let text = format!(
        "{level} {container}: handled request {n} for {pod} in {} ms",
        3 + n % 40
    );
    if timestamps {
        format!("{} {text}\n", format_rfc3339(epoch))
    } else {
        format!("{text}\n")
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The log of the container's previous instance: its last lines and the crash, or 400 when the
/// container never restarted (the API server's answer).
fn previous_log(pod: &Value, name: &str, container: &str, timestamps: bool) -> Response {
    let restarts = pod["status"]["containerStatuses"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["name"] == container)
        .and_then(|c| c["restartCount"].as_u64())
        .unwrap_or(0);
    if restarts == 0 {
        return ApiError::bad_request(format!(
            "previous terminated container \"{container}\" in pod \"{name}\" not found"
        ))
        .into_response();
    }
    let t = now() - 60;
    let mut text: String = (0..5)
        .map(|n| log_line(name, container, n, t + n as i64, timestamps))
        .collect();
    let crash = format!("FATAL {container}: cannot connect to the database: dial tcp 10.96.0.12:5432: connect: connection refused (restart {restarts})\n");
    text.push_str(&if timestamps {
        format!("{} {crash}", format_rfc3339(t + 5))
    } else {
        crash
    });
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain")], text).into_response()
}

/// Answers a log request as the API server does: 404 for a missing pod, 400 for a wrong or missing
/// container, 204 for a pod not yet on a node, else plain text.
pub fn pod_log(
    settings: &Settings,
    cluster: &Cluster,
    namespace: &str,
    name: &str,
    query: &HashMap<String, String>,
) -> Response {
    let Some(pods) = resources::by_kind("v1", "Pod") else {
        return ApiError::not_found("pods", name).into_response();
    };
    let pod = match cluster.get(pods, namespace, name) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let containers: Vec<String> = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("name")?.as_str().map(str::to_owned))
        .collect();
    let container = match query.get("container").filter(|c| !c.is_empty()) {
        Some(c) if containers.contains(c) => c.clone(),
        Some(c) => {
            return ApiError::bad_request(format!("container {c} is not valid for pod {name}"))
                .into_response()
        }
        None if containers.len() == 1 => containers[0].clone(),
        None => {
            return ApiError::bad_request(format!(
                "a container name must be specified for pod {name}, choose one of: [{}]",
                containers.join(" ")
            ))
            .into_response()
        }
    };
    if pod
        .pointer("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty()
    {
        return StatusCode::NO_CONTENT.into_response();
    }
    let headers = [(header::CONTENT_TYPE, "text/plain")];
    if let Some(text) = pod["metadata"]["annotations"][LOG_ANNOTATION].as_str() {
        return (StatusCode::OK, headers, text.to_owned()).into_response();
    }
    let flag = |k: &str| matches!(query.get(k).map(String::as_str), Some("true" | "1"));
    let timestamps = flag("timestamps");
    if flag("previous") {
        return previous_log(&pod, name, &container, timestamps);
    }
    let tail = query
        .get("tailLines")
        .and_then(|t| t.parse::<u64>().ok())
        .unwrap_or(HISTORY)
        .min(HISTORY);
    let started = now();
    let mut text = String::new();
    for n in HISTORY - tail..HISTORY {
        text.push_str(&log_line(
            name,
            &container,
            n,
            started - (HISTORY - n) as i64,
            timestamps,
        ));
    }
    if !flag("follow") {
        return (StatusCode::OK, headers, text).into_response();
    }
    let interval = settings.log_interval;
    let (pod_name, first) = (name.to_owned(), Bytes::from(text));
    let stream = futures_util::stream::unfold(HISTORY, move |n| {
        let (pod_name, container) = (pod_name.clone(), container.clone());
        let first = first.clone();
        async move {
            if n == HISTORY {
                return Some((Ok::<_, std::io::Error>(first), n + 1));
            }
            tokio::time::sleep(interval).await;
            Some((
                Ok(Bytes::from(log_line(
                    &pod_name,
                    &container,
                    n - 1,
                    now(),
                    timestamps,
                ))),
                n + 1,
            ))
        }
    });
    (StatusCode::OK, headers, Body::from_stream(stream)).into_response()
}
