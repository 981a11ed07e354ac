//! Which transport requests and watches use: the platform's (`fetch` in the browser), one the app
//! chose for the page, or one per connection scope (a WebSocket multiplexer per agent).

use lookout_client::api::transport::Transport;
use lookout_client::Connection;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

thread_local! {
    /// The transport watches use, when the app chose one (e.g. the WebSocket multiplexer).
    static TRANSPORT: RefCell<Option<Rc<dyn Transport>>> = const { RefCell::new(None) };
    /// Transports chosen for one connection's scope (widgets of different agents on one page).
    static SCOPED: RefCell<HashMap<String, Rc<dyn Transport>>> = RefCell::new(HashMap::new());
}

/// Makes every watch opened from now on use `transport` (call before mounting views).
pub fn set_transport(transport: Rc<dyn Transport>) {
    TRANSPORT.with(|t| *t.borrow_mut() = Some(transport));
}

/// Makes watches of `connection`'s scope (its proxy and agent) go over one WebSocket to KAS's
/// watch aggregator, unless a transport was chosen for it already: a page holds ~6 HTTP/1.1
/// connections per origin and a page of views wants more watches. The multiplexer falls back to
/// HTTP watches when the proxy has no aggregator. Browsers only; native builds keep HTTP.
pub fn use_websocket_for(connection: &Connection) {
    #[cfg(target_arch = "wasm32")]
    SCOPED.with(|s| {
        s.borrow_mut().entry(connection.scope()).or_insert_with(|| {
            Rc::new(lookout_client::api::transport::ws_mux::WsMuxTransport::new(
                connection.clone(),
            ))
        });
    });
    #[cfg(not(target_arch = "wasm32"))]
    let _ = connection;
}

/// The transport for watches of `connection`.
pub(crate) fn transport_for(connection: &Connection) -> Rc<dyn Transport> {
    SCOPED
        .with(|s| s.borrow().get(&connection.scope()).cloned())
        .unwrap_or_else(transport)
}

/// The transport requests use: the chosen one, else the platform's (`fetch` in the browser).
pub fn transport() -> Rc<dyn Transport> {
    if let Some(t) = TRANSPORT.with(|t| t.borrow().clone()) {
        return t;
    }
    lookout_client::api::transport::platform()
}
