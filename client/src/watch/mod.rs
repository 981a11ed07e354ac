//! The watch engine: JSON-lines decoding, the list-then-watch state machine with its backoff, the
//! page's HTTP budget for watches, and the store of current objects.

pub mod backoff;
pub mod store;
pub mod watch_event;
pub mod watch_gate;
pub mod watcher;
