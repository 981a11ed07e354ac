//! [`Transport`] over the browser's `fetch`, with the body read through a `ReadableStream` reader.
//! Dropping the response (or the pending request) aborts the fetch through an `AbortController`.

use super::{Response, Transport, INTERESTING_HEADERS};
use crate::api::connection::Request;
use crate::api::error::Error;
use futures_util::future::LocalBoxFuture;
use futures_util::FutureExt;
use js_sys::{Promise, Reflect, Uint8Array};
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, Headers, ReadableStreamDefaultReader, RequestCredentials, RequestInit,
};

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The global `fetch` (works in windows and workers alike).
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(input: &str, init: &RequestInit) -> Promise;
    /// The global `setTimeout`.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, millis: i32) -> JsValue;
}

/// `fetch`-based transport for the browser.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebTransport;

/// Aborts the fetch when dropped: cancelling a watch closes its connection.
struct AbortOnDrop(Option<AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = &self.0 {
            controller.abort();
        }
    }
}

fn js_error(context: &str, e: JsValue) -> Error {
    let msg = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into());
    Error::Network(format!("{context}: {msg}"))
}

async fn send(request: Request) -> Result<Response, Error> {
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    let headers = Headers::new().map_err(|e| js_error("headers", e))?;
    for (k, v) in &request.headers {
        headers.append(k, v).map_err(|e| js_error("header", e))?;
    }
    init.set_headers(&headers);
    if let Some(body) = &request.body {
        init.set_body(&Uint8Array::from(body.as_slice()));
    }
    init.set_credentials(if request.include_credentials {
        RequestCredentials::Include
    } else {
        RequestCredentials::SameOrigin
    });
    let controller = AbortController::new().map_err(|e| js_error("abort controller", e))?;
    init.set_signal(Some(&controller.signal()));
    response_of(global_fetch(&request.url, &init), Some(controller)).await
}

/// The response a `fetch` promise resolves to, its body read as [`WebTransport`] reads its own:
/// also for a request the page sent before the wasm ran (a loader's early GET). `abort`, when
/// given, aborts the request once the response (or the pending future) is dropped.
pub async fn response_of(
    fetch: Promise,
    abort: Option<AbortController>,
) -> Result<Response, Error> {
    let guard = AbortOnDrop(abort);
    let resp: web_sys::Response = JsFuture::from(fetch)
        .await
        .map_err(|e| js_error("fetch failed", e))?
        .unchecked_into();
    let headers = INTERESTING_HEADERS
        .iter()
        .filter_map(|name| Some((name.to_string(), resp.headers().get(name).ok()??)))
        .collect();
    let reader: Option<ReadableStreamDefaultReader> =
        resp.body().map(|b| b.get_reader().unchecked_into());
    let body = futures_util::stream::unfold((reader, guard), |(reader, guard)| async move {
        let r = reader.as_ref()?;
        let chunk = match JsFuture::from(r.read()).await {
            Ok(chunk) => chunk,
            Err(e) => return Some((Err(js_error("connection dropped", e)), (None, guard))),
        };
        if Reflect::get(&chunk, &"done".into()).ok()?.is_truthy() {
            return None;
        }
        let value = Reflect::get(&chunk, &"value".into()).ok()?;
        let bytes = value.dyn_into::<Uint8Array>().ok()?.to_vec();
        Some((Ok(bytes), (reader, guard)))
    });
    Ok(Response {
        status: resp.status(),
        headers,
        body: Box::pin(body),
    })
}

impl Transport for WebTransport {
    fn send(&self, request: Request) -> LocalBoxFuture<'static, Result<Response, Error>> {
        send(request).boxed_local()
    }

    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()> {
        let millis = duration.as_millis().min(i32::MAX as u128) as i32;
        let promise = Promise::new(&mut |resolve, _reject| {
            set_timeout(&resolve, millis);
        });
        async move {
            let _ = JsFuture::from(promise).await;
        }
        .boxed_local()
    }

    fn now_millis(&self) -> f64 {
        js_sys::Date::now()
    }
}
