//! The simulated API server under load: 1,000 watchers keep receiving every event while one
//! watcher that never reads is dropped as a real API server's watch cache drops it (its stream
//! ends cleanly after what was buffered, no gap in it), so its memory stays bounded.

mod common;

use lookout_devserver::resources;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

const WATCHERS: usize = 1_000;
const FAST: &str = "web-7d9f8c6b5-abcde";
const SLOW: &str = "api-5c8d7b9f4-klmno";

fn watch_request(addr: &str, rv: u64, name: &str) -> String {
    format!(
        "GET /k8s-proxy/api/v1/namespaces/demo/pods?watch=true&resourceVersion={rv}&fieldSelector=metadata.name%3D{name} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
}

/// Counts the MODIFIED events of one watch stream into `seen` until it ends.
async fn count_events(mut stream: TcpStream, seen: Arc<AtomicUsize>) {
    let needle = b"\"type\":\"MODIFIED\"";
    let mut pending: Vec<u8> = Vec::new();
    let mut buf = vec![0; 64 * 1024];
    while let Ok(n @ 1..) = stream.read(&mut buf).await {
        pending.extend_from_slice(&buf[..n]);
        let found = pending
            .windows(needle.len())
            .filter(|w| w == needle)
            .count();
        seen.fetch_add(found, Ordering::SeqCst);
        // Keep what could be the start of a needle split across reads.
        let keep = pending.len().saturating_sub(needle.len() - 1);
        pending.drain(..keep);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watcher_that_never_reads_is_dropped_and_a_thousand_others_keep_up() {
    let (cluster, state) = common::seeded(100_000);
    let addr = common::serve(state).await;
    let pods = resources::by_kind("v1", "Pod").unwrap();
    let rv = cluster.resource_version();

    let counts: Vec<Arc<AtomicUsize>> = (0..WATCHERS).map(|_| Arc::default()).collect();
    for seen in &counts {
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        stream
            .write_all(watch_request(&addr, rv, FAST).as_bytes())
            .await
            .unwrap();
        tokio::spawn(count_events(stream, seen.clone()));
    }
    // The slow watcher: a small receive window, and nothing ever read until the end.
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut slow = socket.connect(addr.parse().unwrap()).await.unwrap();
    slow.write_all(watch_request(&addr, rv, SLOW).as_bytes())
        .await
        .unwrap();
    let all_open = Instant::now() + Duration::from_secs(10);
    while cluster.open_watches() < WATCHERS + 1 && Instant::now() < all_open {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(cluster.open_watches(), WATCHERS + 1, "watches open");

    // Rounds of one 64 KiB change to the slow watcher's pod (and, every tenth round, a small
    // change to the others' pod), until the slow watcher is dropped; then 50 more.
    let big = "x".repeat(64 * 1024);
    let started = Instant::now();
    let (mut rounds, mut changes) = (0, 0);
    let mut dropped_after = None;
    while started.elapsed() < Duration::from_secs(15) {
        let note = format!("{rounds:06}{big}");
        cluster
            .patch(
                pods,
                "demo",
                SLOW,
                &json!({ "metadata": { "annotations": { "note": note } } }),
            )
            .unwrap();
        if rounds % 10 == 0 {
            cluster
                .patch(
                    pods,
                    "demo",
                    FAST,
                    &json!({ "metadata": { "labels": { "round": rounds.to_string() } } }),
                )
                .unwrap();
            changes += 1;
        }
        rounds += 1;
        match dropped_after {
            None if cluster.open_watches() == WATCHERS => dropped_after = Some(rounds),
            Some(at) if rounds >= at + 50 => break,
            _ => {}
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let dropped_after = dropped_after.expect("the watcher that never reads was dropped");
    assert_eq!(
        cluster.open_watches(),
        WATCHERS,
        "the 1,000 others stay open"
    );

    // Every one of the others received every change, promptly.
    let patched = Instant::now();
    while counts.iter().any(|c| c.load(Ordering::SeqCst) < changes)
        && patched.elapsed() < Duration::from_secs(10)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let behind = counts
        .iter()
        .filter(|c| c.load(Ordering::SeqCst) != changes)
        .count();
    assert_eq!(behind, 0, "watchers without all {changes} events");

    // The slow watcher, read at last: the changes up to its drop in order, then a clean end of
    // the chunked body (no reset), as a real server ends a dropped watcher's stream.
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), slow.read_to_end(&mut raw))
        .await
        .expect("the slow watcher's stream ends")
        .expect("no reset");
    assert!(
        raw.ends_with(b"\r\n0\r\n\r\n"),
        "a clean end of the chunked body"
    );
    let text = String::from_utf8_lossy(&raw);
    let received: Vec<usize> = text
        .match_indices("\"note\":\"")
        .map(|(at, m)| text[at + m.len()..at + m.len() + 6].parse().unwrap())
        .collect();
    assert!(!received.is_empty() && received.len() < dropped_after);
    assert_eq!(received, (0..received.len()).collect::<Vec<_>>(), "no gap");
    println!(
        "{WATCHERS} watchers × {changes} events each, {rounds} changes of 64 KiB in {:.1} s; the silent watcher dropped after {dropped_after} of them, {} delivered to it",
        started.elapsed().as_secs_f64(),
        received.len()
    );
}
