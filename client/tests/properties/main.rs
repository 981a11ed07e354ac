//! Property tests of every part of `lookout-client` that reads untrusted bytes: no input panics,
//! bad input gets a specific error, and a bad line costs only itself.
//!
//! Each property runs proptest's default 256 cases; `PROPTEST_CASES=100000 cargo test -p
//! lookout-client --test properties` runs more. Failing cases found so far are kept as plain
//! regression tests next to the property that found them.
#![cfg(not(target_arch = "wasm32"))]

mod decode;
mod json;
mod parsers;
mod status;
mod yaml;
