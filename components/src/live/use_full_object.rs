//! [`use_full_object`] and [`use_described`]: the whole object, fetched (watches prune objects:
//! no pod spec, no templates).

use leptos::prelude::*;
use lookout_client::{ApiResource, Connection, Method};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

/// One fetch of the whole object, or why it failed.
type Fetch = Pin<Box<dyn Future<Output = Result<Value, String>>>>;

/// A closure that fetches the whole object each time it runs, through the connection in context.
fn fetch_full(api: &ApiResource, namespace: &str, name: &str) -> impl Fn() -> Fetch + 'static {
    let connection = expect_context::<Connection>();
    let path = api.object_path((!namespace.is_empty()).then_some(namespace), name);
    move || {
        let request = connection.request(Method::Get, &path);
        Box::pin(async move {
            let transport = super::transport();
            let response = transport.send(request).await.map_err(|e| e.to_string())?;
            let body = response.success_bytes().await.map_err(|e| e.to_string())?;
            serde_json::from_slice::<Value>(&body)
                .map_err(|e| format!("the answer is not JSON: {e}"))
        })
    }
}

/// The whole object `namespace`/`name` of `api` (empty namespace: cluster-scoped), fetched once.
pub fn use_full_object(
    api: &ApiResource,
    namespace: &str,
    name: &str,
) -> LocalResource<Result<Value, String>> {
    LocalResource::new(fetch_full(api, namespace, name))
}

/// The whole object with the live status: the spec is fetched once per generation of `live` (a
/// pod's containers, a workload's template), the status follows `live` (the watched object).
/// Until the fetch answers, and if it fails, this is `live` itself.
pub fn use_described(
    api: &ApiResource,
    namespace: &str,
    name: &str,
    live: Signal<Value>,
) -> Signal<Value> {
    let generation = Memo::new(move |_| {
        live.with(|v| v.pointer("/metadata/generation").and_then(Value::as_i64))
    });
    let fetch = fetch_full(api, namespace, name);
    let full = LocalResource::new(move || {
        generation.track();
        fetch()
    });
    // A memo: computed once per change of the fetch or the live object, not per read (every
    // reader would otherwise clone the whole object).
    let whole = Memo::new(move |_| {
        let mut whole = full.get().and_then(Result::ok).unwrap_or(Value::Null);
        live.with(|live| {
            if whole.is_object() {
                whole["status"] = live["status"].clone();
            } else {
                whole = live.clone();
            }
        });
        whole
    });
    whole.into()
}
