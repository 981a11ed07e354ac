//! `lookout-client`: the Kubernetes API client under every Lookout view.
//!
//! The modules follow the data path, each layer using only the ones before it:
//! - [`api`]: requests and how they travel — a [`Connection`] builds them (proxy URL + auth
//!   mode), an [`api::transport::Transport`] sends them (browser `fetch`, hyper, or one WebSocket
//!   to KAS's watch aggregator); query strings, selectors, discovery, access reviews, actions, logs
//!   and the errors of all of them.
//! - [`watch`]: the watch engine — a [`Watcher`] lists and then watches a collection, decoding the
//!   JSON-lines stream ([`api::lines`], [`watch::watch_event`]) into slim models, and a [`Store`]
//!   keeps the current objects and reports what changed; a [`WatchGate`] shares the page's HTTP
//!   connections.
//! - [`model`]: what the objects are — slim per-kind models, where each kind lives in the API,
//!   the Flux model, API timestamps.
//! - [`status`]: the rules — kstatus, Flux states, a pod's status word, and the one [`status::Tone`]
//!   every view colours them with.
//! - [`view`]: view models — the kind catalogue (one entry per kind: its API resource, what a
//!   user can do with it, its table's columns and cells), filter and sort, routes, YAML, log
//!   text, the Flux dependency graph.
//!
//! No UI code lives here; it builds for wasm32 and native.

#![warn(missing_docs)]

pub mod api;
pub mod model;
pub mod status;
pub mod view;
pub mod watch;

pub use api::api_status::ApiStatus;
pub use api::connection::{Auth, Connection, Method, Request, Secret};
pub use api::error::{Error, ErrorKind};
pub use api::query::Selector;
pub use api::resource::{
    ApiResource, KeyHasher, KeySet, ObjectKey, ObjectMeta, Resource, TypedResource,
};
pub use model::{Labels, Namespace, Pod, Str};
pub use watch::store::{Change, Store};
pub use watch::watch_gate::WatchGate;
pub use watch::watcher::{WatchState, Watcher, WatcherConfig, WatcherEvent};
