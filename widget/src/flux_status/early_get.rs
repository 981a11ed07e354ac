//! The hand-over from the page's loader (`lookout-flux-status-loader.js`, `widget/js/`): it sends
//! each widget's first request — the list of its named object — while the wasm downloads and
//! compiles, and files the `fetch` promise in a `Map` at `globalThis[Symbol.for(SLOT)]`, keyed by
//! the agent id and the URL. The widget's first request takes it from there, once, instead of
//! sending the same request again; any other request goes to the network.

use futures_util::future::LocalBoxFuture;
use futures_util::FutureExt;
use js_sys::{Map, Promise, Reflect, Symbol};
use lookout_client::api::transport::web::response_of;
use lookout_client::api::transport::{Response, Transport};
use lookout_client::{Error, Method, Request};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};

/// The global symbol (`Symbol.for`) the loader files its requests under.
const SLOT: &str = "lookout-flux-status.early-get";

/// A transport that answers a request the loader already sent with the loader's response.
pub struct EarlyGet(pub Rc<dyn Transport>);

impl Transport for EarlyGet {
    fn send(&self, request: Request) -> LocalBoxFuture<'static, Result<Response, Error>> {
        match take(&request) {
            Some(fetch) => response_of(fetch, None).boxed_local(),
            None => self.0.send(request),
        }
    }

    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()> {
        self.0.sleep(duration)
    }

    fn now_millis(&self) -> f64 {
        self.0.now_millis()
    }
}

/// The loader's key for `request`: `"<agent id> <url>"` (one URL reaches another cluster through
/// another agent). Only GitLab-session GETs are sent early: the loader never sees a token.
fn key(request: &Request) -> Option<String> {
    if request.method != Method::Get || !request.include_credentials {
        return None;
    }
    let (_, agent) = request
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("gitlab-agent-id"))?;
    Some(format!("{agent} {}", request.url))
}

/// The loader's pending `fetch` for `request`, removed from its map (a response is read once).
fn take(request: &Request) -> Option<Promise> {
    let key = JsValue::from_str(&key(request)?);
    let map: Map = Reflect::get(&js_sys::global(), &Symbol::for_(SLOT))
        .ok()?
        .dyn_into()
        .ok()?;
    let fetch = map.get(&key);
    map.delete(&key);
    fetch.dyn_into().ok()
}
