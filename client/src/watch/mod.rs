//! The watch engine: JSON-lines decoding, the list-then-watch state machine with its backoff, the
//! page's HTTP budget for watches, the store of current objects, and the reference-counted
//! registry views share their watches through.

pub mod backoff;
pub mod budget;
pub mod registry;
pub mod store;
pub mod watch_event;
pub mod watch_gate;
pub mod watcher;
