//! The watch decoding path running in real Chromium (wasm-bindgen-test, headless).
#![cfg(target_arch = "wasm32")]

use futures_util::StreamExt;
use lookout_client::api::lines::LineSplitter;
use lookout_client::api::transport::web::WebTransport;
use lookout_client::api::transport::Transport;
use lookout_client::watch::watch_event::{decode_event, WatchEvent};
use lookout_client::{Auth, Connection, Method, Pod};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A watch stream recorded from a real kube-apiserver 1.28 (pods in namespace `app`).
const RECORDED_WATCH: &[u8] = include_bytes!("fixtures/watch-pods.jsonl");

fn summary(events: &[WatchEvent<Pod>]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            WatchEvent::Added(p) | WatchEvent::Modified(p) | WatchEvent::Deleted(p) => {
                format!(
                    "{} {} {}",
                    p.metadata.name,
                    p.metadata.resource_version,
                    p.display_status()
                )
            }
            WatchEvent::Bookmark {
                resource_version, ..
            } => format!("BOOKMARK {resource_version}"),
            WatchEvent::Error(s) => format!("ERROR {}", s.code),
        })
        .collect()
}

fn decode_in_chunks(body: &[u8], chunk: usize) -> Vec<WatchEvent<Pod>> {
    let mut lines = LineSplitter::new();
    let mut events = Vec::new();
    for part in body.chunks(chunk) {
        lines.push(part);
        while let Some(line) = lines.next_line().unwrap() {
            events.push(decode_event(line).expect("every recorded line decodes"));
        }
    }
    assert!(lines.pending().is_empty());
    events
}

#[wasm_bindgen_test]
fn decoder_gives_the_same_events_however_the_body_is_split() {
    let whole = summary(&decode_in_chunks(RECORDED_WATCH, RECORDED_WATCH.len()));
    assert_eq!(whole.len(), 10);
    assert!(whole[0].starts_with("watch-demo"));
    assert!(whole[9].starts_with("BOOKMARK"));
    for chunk in [1, 2, 3, 7, 64, 1000, 4096] {
        assert_eq!(
            summary(&decode_in_chunks(RECORDED_WATCH, chunk)),
            whole,
            "chunk size {chunk}"
        );
    }
}

#[wasm_bindgen_test]
async fn fetch_transport_streams_a_body_that_decodes_to_the_recorded_events() {
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(RECORDED_WATCH));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
    let url = web_sys::Url::create_object_url_with_blob(&blob).unwrap();

    // Base URL = the blob URL; no path is appended.
    let request = Connection::new(&url, Auth::None).request(Method::Get, "");
    let response = WebTransport.send(request).await.expect("blob fetch");
    assert_eq!(response.status, 200);
    let mut body = response.body;
    let mut lines = LineSplitter::new();
    let mut events = Vec::new();
    while let Some(chunk) = body.next().await {
        lines.push(&chunk.unwrap());
        while let Some(line) = lines.next_line().unwrap() {
            events.push(decode_event::<Pod>(line).unwrap());
        }
    }
    assert_eq!(
        summary(&events),
        summary(&decode_in_chunks(RECORDED_WATCH, RECORDED_WATCH.len()))
    );
}

#[wasm_bindgen_test]
async fn sleep_waits_and_fetch_errors_are_network_errors() {
    let t0 = WebTransport.now_millis();
    WebTransport
        .sleep(std::time::Duration::from_millis(50))
        .await;
    assert!(WebTransport.now_millis() - t0 >= 45.0);
    let request =
        Connection::new("http://127.0.0.1:9", Auth::None).request(Method::Get, "/api/v1/pods");
    match WebTransport.send(request).await {
        Err(lookout_client::Error::Network(msg)) => {
            assert!(msg.starts_with("fetch failed"), "{msg}")
        }
        Err(other) => panic!("expected a network error, got {other}"),
        Ok(r) => panic!("expected a network error, got HTTP {}", r.status),
    }
}
