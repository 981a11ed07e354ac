//! Requests and how they travel: connection and auth, transports, query strings and selectors,
//! discovery, access reviews, actions, logs, and the errors of all of them.

pub mod access;
pub mod actions;
pub mod api_status;
pub mod connection;
pub mod discovery;
pub mod error;
pub mod lines;
pub mod logs;
pub mod query;
pub mod resource;
pub mod selector;
pub mod transport;
