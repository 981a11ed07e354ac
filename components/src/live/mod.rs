//! Reactive glue: shared, reference-counted watches and requests exposed as hooks in the
//! leptos-use shape (`use_x` / `use_x_with_options` returning a `UseXReturn` of signals and
//! callbacks). Components never fetch: pages call these hooks and pass their signals down.
//!
//! - [`registry`]: the reference-counted entries (a wider watch serves a narrower one);
//!   [`budget`]: the page's HTTP budget of watch streams (both in `lookout_client::watch`, shared
//!   with the Leptos-free widgets); [`transport`]: which transport is used.
//! - [`frame`]: watch events applied to a store now, published (rows and state together) at the
//!   next animation frame; bounded while frames stop (hidden tabs).
//! - `watches`: the page's shared watchers, started by the first reader and stopped by the last.
//! - Hooks, one per file: [`use_objects`], [`use_collection`], [`use_kinds`], [`use_object`],
//!   [`use_kinds_in`], [`use_containers`], [`use_pod_log`], [`use_action`], [`use_refusal`],
//!   [`use_workload_counts`], [`use_now`], [`use_discovery`], [`use_full_object`] (and
//!   [`use_described`]).

pub mod frame;
mod narrowed;
pub mod transport;
mod use_action;
mod use_collection;
mod use_containers;
mod use_discovery;
mod use_full_object;
mod use_kinds;
mod use_now;
mod use_object;
mod use_objects;
mod use_pod_log;
mod use_refusal;
mod use_workload_counts;
mod watches;

pub use frame::FrameStore;
pub use lookout_client::watch::budget::{self, HTTP_WATCH_BUDGET};
pub use lookout_client::watch::registry;
pub use narrowed::{readable_namespaces, set_readable_namespaces, Narrowed};
pub use transport::{set_transport, transport, use_websocket_for};
pub use use_action::{use_action, Outcome, UseActionReturn};
pub use use_collection::use_collection;
pub use use_containers::use_containers;
pub use use_discovery::use_discovery;
pub use use_full_object::{use_described, use_full_object};
pub use use_kinds::{use_kinds, use_kinds_in};
pub use use_now::use_now;
pub use use_object::{use_object, UseObjectReturn};
pub use use_objects::{
    use_objects, use_objects_with_options, ListProgress, UseObjectsOptions, UseObjectsReturn,
};
pub use use_pod_log::{use_pod_log, LogLine, UsePodLogOptions, UsePodLogReturn, DEFAULT_MAX_LINES};
pub use use_refusal::use_refusal;
pub use use_workload_counts::{use_workload_counts, WorkloadCounts, WORKLOADS};
pub(crate) use watches::refusal;
