//! The platform seam: sending HTTP requests with streamed bodies, and timers.
//!
//! [`Transport`] is implemented by the browser's `fetch` ([`web::WebTransport`], wasm) and by hyper
//! ([`native::NativeTransport`], for tests and tools). Everything above it is platform-independent.

use crate::api::connection::Request;
use crate::api::error::Error;
use futures_util::future::LocalBoxFuture;
use futures_util::stream::LocalBoxStream;
use futures_util::StreamExt;
use std::time::Duration;

#[cfg(not(target_arch = "wasm32"))]
pub mod native;
pub mod watch_api;
#[cfg(target_arch = "wasm32")]
pub mod web;
#[cfg(target_arch = "wasm32")]
pub mod ws_mux;

/// A response whose body arrives as a stream of chunks. Dropping it aborts the request.
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// The response headers the client looks at (lower-case names).
    pub headers: Vec<(String, String)>,
    /// Body chunks as they arrive.
    pub body: LocalBoxStream<'static, Result<Vec<u8>, Error>>,
}

/// Response headers the client reads; transports need to copy only these.
pub const INTERESTING_HEADERS: [&str; 3] = ["content-type", "retry-after", "gitlab-unauthorized"];

impl Response {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Reads the whole body.
    pub async fn bytes(mut self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        while let Some(chunk) = self.body.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    /// The body of a 2xx response, or the specific error a non-2xx response stands for.
    pub async fn success_bytes(self) -> Result<Vec<u8>, Error> {
        if self.is_success() {
            return self.bytes().await;
        }
        let (code, headers) = (self.status, self.headers.clone());
        let body = self.bytes().await.unwrap_or_default();
        Err(Error::from_response(code, &headers, &body))
    }
}

/// The platform's own transport: the browser's `fetch` in wasm, hyper natively.
pub fn platform() -> std::rc::Rc<dyn Transport> {
    #[cfg(target_arch = "wasm32")]
    return std::rc::Rc::new(web::WebTransport);
    #[cfg(not(target_arch = "wasm32"))]
    return std::rc::Rc::new(native::NativeTransport::default());
}

/// HTTP with streamed bodies, plus the timers the watcher needs.
pub trait Transport {
    /// Sends a request; resolves once the response headers are in.
    fn send(&self, request: Request) -> LocalBoxFuture<'static, Result<Response, Error>>;
    /// Resolves after `duration`.
    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()>;
    /// Milliseconds since the Unix epoch (for "stale since" and for how long a watch lasted).
    fn now_millis(&self) -> f64;
    /// Whether watches share one connection (then they cost no HTTP connection each).
    fn multiplexes_watches(&self) -> bool {
        false
    }
}
