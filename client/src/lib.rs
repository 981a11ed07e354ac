//! `lookout-client`: the Kubernetes API client under every Lookout view.
//!
//! Data path: a [`Connection`] builds requests (proxy URL + auth mode), a [`transport::Transport`]
//! sends them (browser `fetch` or hyper), a [`Watcher`] lists and then watches a collection, decoding
//! the JSON-lines stream ([`lines`], [`watch_event`]) into slim [`models`], and a [`Store`] keeps the
//! current objects and reports what changed. No UI code lives here; it builds for wasm32 and native.

#![warn(missing_docs)]

pub mod access;
pub mod actions;
pub mod api_status;
pub mod backoff;
pub mod catalogue;
pub mod connection;
pub mod discovery;
pub mod error;
pub mod flux;
pub mod flux_graph;
pub mod kinds;
pub mod lines;
pub mod log_text;
pub mod logs;
pub mod models;
pub mod query;
pub mod resource;
pub mod route;
pub mod selector;
pub mod status;
pub mod store;
pub mod table;
pub mod time;
pub mod transport;
pub mod watch_event;
pub mod watch_gate;
pub mod watcher;
pub mod yaml;

pub use api_status::ApiStatus;
pub use connection::{Auth, Connection, Method, Request, Secret};
pub use error::{Error, ErrorKind};
pub use models::{Namespace, Pod};
pub use query::Selector;
pub use resource::{ApiResource, ObjectKey, ObjectMeta, Resource, TypedResource};
pub use store::{Change, Store};
pub use watch_gate::WatchGate;
pub use watcher::{WatchState, Watcher, WatcherConfig, WatcherEvent};
