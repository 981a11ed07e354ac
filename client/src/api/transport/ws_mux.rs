//! [`Transport`] that carries every watch over one WebSocket to KAS's watch aggregator
//! (`<proxy>/watch`, messages in [`super::watch_api`]) and everything else over
//! `fetch`. Watchers are unchanged: a watch request gets a response whose body yields the same
//! JSON lines an HTTP watch would. If the socket cannot be opened, the transport falls back to plain
//! HTTP watches for good; if an open socket closes or sends what is not the protocol, its watches
//! fail and are resumed (the next watch opens a new socket). A server that breaks the protocol
//! [`PROTOCOL_ERRORS_TO_GIVE_UP`] times in a row (no valid message between) is not the aggregator:
//! watches then use HTTP for good too. The socket is closed once its last watch has ended for
//! [`IDLE_GRACE`] (a view switch unwatches and watches again within it and keeps the socket); the
//! next watch opens a new one.

use super::watch_api::{decode_answer, unwatch_message, watch_message, watch_params, Answer};
use super::web::WebTransport;
use super::{Response, Transport};
use crate::api::connection::{Connection, Method, Request};
use crate::api::error::{Error, ErrorKind};
use futures_channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures_util::future::LocalBoxFuture;
use futures_util::{FutureExt, Stream};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll};
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, WebSocket};

type Chunk = Result<Vec<u8>, Error>;

/// How long a socket without watches stays open before it is closed.
pub const IDLE_GRACE: Duration = Duration::from_secs(5);

/// Protocol errors in a row after which watches use HTTP for good.
pub const PROTOCOL_ERRORS_TO_GIVE_UP: u32 = 3;

enum Socket {
    /// No socket yet (or the last one closed).
    Closed,
    /// Token requested or socket connecting; messages wait here.
    Opening(Vec<String>),
    /// Open.
    Open(WebSocket),
    /// The aggregator is not available: use HTTP watches.
    Unavailable,
}

struct Mux {
    socket: Socket,
    next_id: u64,
    streams: HashMap<String, UnboundedSender<Chunk>>,
    /// The socket's event handlers, kept alive as long as it is.
    handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
    /// Counts new watches and idle timers: a timer closes the socket only if nothing happened
    /// since it was set.
    idle_generation: u64,
    /// Protocol errors since the last valid message.
    protocol_errors: u32,
    /// This mux itself, for the idle timer.
    this: Weak<RefCell<Mux>>,
}

/// Watches over one WebSocket, other requests over `fetch`.
#[derive(Clone)]
pub struct WsMuxTransport {
    connection: Connection,
    mux: Rc<RefCell<Mux>>,
}

impl WsMuxTransport {
    /// A transport for `connection` (its auth is used for the socket token request).
    pub fn new(connection: Connection) -> Self {
        let mux = Rc::new_cyclic(|this| {
            RefCell::new(Mux {
                socket: Socket::Closed,
                next_id: 0,
                streams: HashMap::new(),
                handlers: Vec::new(),
                idle_generation: 0,
                protocol_errors: 0,
                this: this.clone(),
            })
        });
        WsMuxTransport { connection, mux }
    }

    /// Whether watches currently go over the socket (false after a fallback to HTTP).
    pub fn is_multiplexing(&self) -> bool {
        !matches!(self.mux.borrow().socket, Socket::Unavailable)
    }
}

/// A watch's body; dropping it unwatches.
struct WatchBody {
    id: String,
    rx: UnboundedReceiver<Chunk>,
    mux: Rc<RefCell<Mux>>,
}

impl Stream for WatchBody {
    type Item = Chunk;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Chunk>> {
        Pin::new(&mut self.rx).poll_next(cx)
    }
}

impl Drop for WatchBody {
    fn drop(&mut self) {
        let mut mux = self.mux.borrow_mut();
        if mux.streams.remove(&self.id).is_some() {
            mux.send(unwatch_message(&self.id));
            mux.close_when_idle();
        }
    }
}

impl Mux {
    fn send(&mut self, text: String) {
        match &mut self.socket {
            Socket::Open(ws) => {
                let _ = ws.send_with_str(&text);
            }
            Socket::Opening(queue) => queue.push(text),
            Socket::Closed | Socket::Unavailable => {}
        }
    }

    /// Ends every watch with `error` (they resume, over a new socket or HTTP).
    fn fail_all(&mut self, error: &str) {
        self.fail_all_with(&Error::Network(error.to_owned()));
    }

    /// Ends every watch with `error`, as the answer its own request would have had.
    fn fail_all_with(&mut self, error: &Error) {
        for (_, tx) in self.streams.drain() {
            let _ = tx.unbounded_send(Err(error.clone()));
        }
    }

    /// Closes an open socket with `code` and `reason` after detaching its handlers (no late
    /// event reaches a closure the next socket replaces); `next` is what watches use then.
    fn close(&mut self, code: u16, reason: &str, next: Socket) {
        if let Socket::Open(ws) = &self.socket {
            ws.set_onopen(None);
            ws.set_onmessage(None);
            ws.set_onclose(None);
            let _ = ws.close_with_code_and_reason(code, reason);
            self.socket = next;
        }
    }

    /// Drops an open socket that broke the protocol: it is closed and its watches fail and
    /// resume — over a new socket, or over HTTP once the server broke it
    /// [`PROTOCOL_ERRORS_TO_GIVE_UP`] times in a row.
    fn abandon(&mut self, why: &str) {
        self.protocol_errors += 1;
        let next = if self.protocol_errors >= PROTOCOL_ERRORS_TO_GIVE_UP {
            Socket::Unavailable
        } else {
            Socket::Closed
        };
        self.close(4000, "not the watch protocol", next);
        self.fail_all(why);
    }

    /// Once no watch is left, closes the socket after [`IDLE_GRACE`] unless a watch starts
    /// meanwhile (a newer watch or timer makes this timer stale).
    fn close_when_idle(&mut self) {
        let live = matches!(self.socket, Socket::Open(_) | Socket::Opening(_));
        if !live || !self.streams.is_empty() {
            return;
        }
        self.idle_generation += 1;
        let (generation, this) = (self.idle_generation, self.this.clone());
        wasm_bindgen_futures::spawn_local(async move {
            WebTransport.sleep(IDLE_GRACE).await;
            let Some(mux) = this.upgrade() else {
                return;
            };
            let mut mux = mux.borrow_mut();
            // Still opening: the open handler looks again once it is open.
            let open = matches!(mux.socket, Socket::Open(_));
            if open && mux.idle_generation == generation && mux.streams.is_empty() {
                mux.close(1000, "no watches", Socket::Closed);
                // Detached and out of its handlers (this is a timer): they can go.
                mux.handlers.clear();
            }
        });
    }

    fn on_message(&mut self, text: &str) {
        let Ok(msg) = serde_json::from_str::<Value>(text) else {
            // Something between us and KAS (or another server) speaks another protocol: drop the
            // socket; its watches resume over a new one.
            let start: String = text.chars().take(80).collect();
            self.abandon(&format!(
                "the watch socket sent a message that is not JSON: {start:?}"
            ));
            return;
        };
        let Some((id, answer)) = decode_answer(&msg) else {
            return;
        };
        self.protocol_errors = 0;
        let Some(tx) = self.streams.get(id) else {
            return;
        };
        match answer {
            Answer::Line(line) => {
                let _ = tx.unbounded_send(Ok(line));
            }
            // The API refused the watch: an ERROR event, as a 200 stream carries it.
            Answer::Refused(line) => {
                let _ = tx.unbounded_send(Ok(line));
                self.streams.remove(id);
            }
            Answer::Failed(message) => {
                let _ = tx.unbounded_send(Err(Error::Network(message)));
                self.streams.remove(id);
            }
            Answer::End => {
                self.streams.remove(id);
            }
        }
        self.close_when_idle();
    }
}

fn socket_url(base: &str) -> Option<String> {
    let absolute = if base.starts_with("http://") || base.starts_with("https://") {
        base.to_owned()
    } else {
        let origin = web_sys::window()?.location().origin().ok()?;
        format!("{origin}{base}")
    };
    let ws = absolute
        .replacen("https://", "wss://", 1)
        .replacen("http://", "ws://", 1);
    Some(format!("{ws}/watch"))
}

/// Requests a token and opens the socket. Only an answer that says there is no aggregator here (an
/// older KAS: 404, or another client error, or not a token) switches watches to HTTP for good. A
/// refusal or a passing failure (401 signed out, 403, 429, 5xx, no connection) fails the waiting
/// watches with that answer, and the next one asks for a socket again: signing in again, or the
/// network coming back, brings the one socket back instead of leaving a dozen HTTP watches to
/// crowd the page's few connections.
async fn open(connection: Connection, mux: Rc<RefCell<Mux>>) {
    let token_request = connection.request(Method::Get, "/watch?kas-websocket-token-request=true");
    let answer = match WebTransport.send(token_request).await {
        Ok(r) => r.success_bytes().await,
        Err(e) => Err(e),
    };
    let token = match answer {
        Ok(b) => serde_json::from_slice::<Value>(&b).ok(),
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::NotFound | ErrorKind::Other | ErrorKind::Malformed
            ) =>
        {
            None
        }
        Err(e) => {
            let mut m = mux.borrow_mut();
            m.socket = Socket::Closed;
            m.fail_all_with(&e);
            return;
        }
    };
    let token = token.and_then(|t| t["token"].as_str().map(str::to_owned));
    let socket = token
        .zip(socket_url(connection.base_url()))
        .and_then(|(token, url)| {
            let protocols = js_sys::Array::of2(
                &"gitlab-agent-watch-api".into(),
                &format!("websocket-token.kas.gitlab.com.{token}").into(),
            );
            WebSocket::new_with_str_sequence(&url, &protocols).ok()
        });
    let Some(ws) = socket else {
        let mut m = mux.borrow_mut();
        m.socket = Socket::Unavailable;
        m.fail_all("the watch aggregator is not available; using HTTP watches");
        return;
    };
    let handler = |f: Box<dyn FnMut(web_sys::Event)>| Closure::wrap(f);
    let (m_open, m_message, m_close) = (mux.clone(), mux.clone(), mux.clone());
    let ws_open = ws.clone();
    let on_open = handler(Box::new(move |_| {
        let mut m = m_open.borrow_mut();
        if let Socket::Opening(queue) =
            std::mem::replace(&mut m.socket, Socket::Open(ws_open.clone()))
        {
            for text in queue {
                let _ = ws_open.send_with_str(&text);
            }
        }
        // Every watch may have ended while it opened.
        m.close_when_idle();
    }));
    let on_message = handler(Box::new(move |e| {
        let Some(message) = e.dyn_ref::<MessageEvent>() else {
            return;
        };
        match message.data().as_string() {
            Some(text) => m_message.borrow_mut().on_message(&text),
            None => m_message
                .borrow_mut()
                .abandon("the watch socket sent a binary message"),
        }
    }));
    let on_close = handler(Box::new(move |_| {
        let mut m = m_close.borrow_mut();
        // Never opened: the aggregator refused us, so use HTTP from now on. Opened: the next
        // watch opens a new socket.
        let next = if matches!(m.socket, Socket::Opening(_)) {
            Socket::Unavailable
        } else {
            Socket::Closed
        };
        m.socket = next;
        m.fail_all("the watch socket closed");
    }));
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    // The handlers live as long as the socket state (the transport lives as long as the page).
    mux.borrow_mut().handlers = vec![on_open, on_message, on_close];
}

impl Transport for WsMuxTransport {
    fn send(&self, request: Request) -> LocalBoxFuture<'static, Result<Response, Error>> {
        let params = (request.method == Method::Get)
            .then(|| watch_params(self.connection.base_url(), &request.url))
            .flatten();
        let mut mux = self.mux.borrow_mut();
        let (Some(params), false) = (params, matches!(mux.socket, Socket::Unavailable)) else {
            return WebTransport.send(request);
        };
        mux.next_id += 1;
        // A pending idle timer must not close the socket this watch uses.
        mux.idle_generation += 1;
        let id = format!("w{}", mux.next_id);
        let (tx, rx) = unbounded();
        mux.streams.insert(id.clone(), tx);
        let start_socket = matches!(mux.socket, Socket::Closed);
        if start_socket {
            mux.socket = Socket::Opening(Vec::new());
        }
        mux.send(watch_message(&id, &params));
        drop(mux);
        if start_socket {
            wasm_bindgen_futures::spawn_local(open(self.connection.clone(), self.mux.clone()));
        }
        let body = WatchBody {
            id,
            rx,
            mux: self.mux.clone(),
        };
        let response = Response {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Box::pin(body),
        };
        async move { Ok(response) }.boxed_local()
    }

    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()> {
        WebTransport.sleep(duration)
    }

    fn now_millis(&self) -> f64 {
        WebTransport.now_millis()
    }

    fn multiplexes_watches(&self) -> bool {
        self.is_multiplexing()
    }
}
