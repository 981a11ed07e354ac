//! List response bodies written from the stored objects' bytes, lazily, in chunks: a list of
//! 100,000 objects is neither one `Value` nor one buffer.

use crate::cluster::stored::Stored;
use axum::body::{Body, Bytes};
use serde_json::Value;
use std::sync::Arc;

/// A chunk is sent once it holds this many bytes.
const CHUNK: usize = 256 * 1024;

/// The chunks of `{"kind":…,"apiVersion":…,"metadata":…,"items":[…]}`.
struct Chunks<F> {
    head: Option<Vec<u8>>,
    items: std::vec::IntoIter<Arc<Stored>>,
    written: bool,
    done: bool,
    write: F,
}

impl<F: Fn(&Stored, &mut Vec<u8>)> Iterator for Chunks<F> {
    type Item = Result<Bytes, std::convert::Infallible>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut chunk = self
            .head
            .take()
            .unwrap_or_else(|| Vec::with_capacity(CHUNK + 8192));
        while chunk.len() < CHUNK {
            let Some(obj) = self.items.next() else {
                chunk.extend_from_slice(b"]}");
                self.done = true;
                break;
            };
            if self.written {
                chunk.push(b',');
            }
            self.written = true;
            (self.write)(&obj, &mut chunk);
        }
        Some(Ok(Bytes::from(chunk)))
    }
}

/// A list of `items`, each written by `write`, under `kind`, `apiVersion` and `metadata` (in the
/// order a real API server writes them). A body that fits in one chunk has a length; a longer
/// one is streamed.
pub fn list_body(
    kind: &str,
    api_version: &str,
    metadata: &Value,
    items: Vec<Arc<Stored>>,
    write: impl Fn(&Stored, &mut Vec<u8>) + Send + 'static,
) -> Body {
    let mut head = Vec::with_capacity(CHUNK + 8192);
    // Writing strings and a `Value` into a Vec cannot fail.
    head.extend_from_slice(b"{\"kind\":");
    let _ = serde_json::to_writer(&mut head, kind);
    head.extend_from_slice(b",\"apiVersion\":");
    let _ = serde_json::to_writer(&mut head, api_version);
    head.extend_from_slice(b",\"metadata\":");
    let _ = serde_json::to_writer(&mut head, metadata);
    head.extend_from_slice(b",\"items\":[");
    let mut chunks = Chunks {
        head: Some(head),
        items: items.into_iter(),
        written: false,
        done: false,
        write,
    };
    let Some(Ok(first)) = chunks.next() else {
        return Body::empty();
    };
    if chunks.done {
        return Body::from(first);
    }
    Body::from_stream(futures_util::stream::iter(
        std::iter::once(Ok(first)).chain(chunks),
    ))
}
