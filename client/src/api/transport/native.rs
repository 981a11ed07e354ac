//! [`Transport`] over hyper, for native tests and tools (plain `http://` only).

use super::{Response, Transport, INTERESTING_HEADERS};
use crate::api::connection::Request;
use crate::api::error::Error;
use futures_util::future::LocalBoxFuture;
use futures_util::FutureExt;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// hyper-based transport. Needs a running tokio runtime.
#[derive(Clone)]
pub struct NativeTransport {
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Default for NativeTransport {
    fn default() -> Self {
        NativeTransport {
            client: Client::builder(TokioExecutor::new()).build_http(),
        }
    }
}

impl Transport for NativeTransport {
    fn send(&self, request: Request) -> LocalBoxFuture<'static, Result<Response, Error>> {
        let client = self.client.clone();
        async move {
            let mut builder = hyper::Request::builder()
                .method(request.method.as_str())
                .uri(&request.url);
            for (k, v) in &request.headers {
                builder = builder.header(k, v);
            }
            let body = Full::new(Bytes::from(request.body.unwrap_or_default()));
            let req = builder
                .body(body)
                .map_err(|e| Error::Network(format!("invalid request: {e}")))?;
            let resp = client
                .request(req)
                .await
                .map_err(|e| Error::Network(e.to_string()))?;
            let status = resp.status().as_u16();
            let headers = INTERESTING_HEADERS
                .iter()
                .filter_map(|name| {
                    let v = resp.headers().get(*name)?.to_str().ok()?;
                    Some((name.to_string(), v.to_owned()))
                })
                .collect();
            let body = futures_util::stream::unfold(resp.into_body(), |mut body| async move {
                loop {
                    match body.frame().await? {
                        Ok(frame) => match frame.into_data() {
                            Ok(data) => return Some((Ok(data.to_vec()), body)),
                            Err(_trailers) => continue,
                        },
                        Err(e) => {
                            return Some((
                                Err(Error::Network(format!("connection dropped: {e}"))),
                                body,
                            ))
                        }
                    }
                }
            });
            Ok(Response {
                status,
                headers,
                body: Box::pin(body),
            })
        }
        .boxed_local()
    }

    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()> {
        tokio::time::sleep(duration).boxed_local()
    }

    fn now_millis(&self) -> f64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    }
}
