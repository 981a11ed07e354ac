//! Watch ingest: decode + apply N MB of watch events (pods of realistic size, from a recorded
//! real-apiserver pod) against `serde_json::from_slice` of the same lines into `Value` alone.
//! Prints both throughputs and their ratio (> 1 means Lookout's path is faster than the baseline).
//!
//! `cargo bench -p lookout-client --bench watch_ingest` (LOOKOUT_BENCH_MB sets the size, default 20).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lookout_client::api::lines::LineSplitter;
use lookout_client::watch::watch_event::decode_event;
use lookout_client::{Pod, Store, WatcherEvent};
use serde_json::Value;
use std::hint::black_box;
use std::time::Instant;

/// A watch body of about `mb` MB: MODIFIED events of 2,000 distinct pods, cut in 16 KiB chunks.
fn recorded_stream(mb: usize) -> (Vec<Vec<u8>>, Vec<Vec<u8>>, usize) {
    let recorded = include_str!("../tests/fixtures/watch-pods.jsonl");
    let template: Value =
        serde_json::from_str(recorded.lines().nth(2).expect("recorded events")).expect("json");
    let mut body = Vec::new();
    let mut lines = Vec::new();
    let mut n = 0usize;
    while body.len() < mb * 1_000_000 {
        let mut ev = template.clone();
        ev["object"]["metadata"]["name"] = Value::from(format!("pod-{}", n % 2000));
        ev["object"]["metadata"]["resourceVersion"] = Value::from((1000 + n).to_string());
        let line = serde_json::to_vec(&ev).expect("serialize");
        body.extend_from_slice(&line);
        body.push(b'\n');
        lines.push(line);
        n += 1;
    }
    let chunks = body.chunks(16 * 1024).map(<[u8]>::to_vec).collect();
    (chunks, lines, n)
}

fn lookout_ingest(chunks: &[Vec<u8>]) -> usize {
    let mut splitter = LineSplitter::new();
    let mut store = Store::<Pod>::new();
    for chunk in chunks {
        splitter.push(chunk);
        while let Ok(Some(line)) = splitter.next_line() {
            if let Ok(lookout_client::watch::watch_event::WatchEvent::Modified(pod)) =
                decode_event::<Pod>(line)
            {
                store.apply(WatcherEvent::Applied(pod));
            }
        }
    }
    store.len()
}

fn baseline_parse(lines: &[Vec<u8>]) -> usize {
    lines
        .iter()
        .filter(|l| serde_json::from_slice::<Value>(l).is_ok())
        .count()
}

fn bench(c: &mut Criterion) {
    let mb: usize = std::env::var("LOOKOUT_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let (chunks, lines, events) = recorded_stream(mb);
    let bytes: usize = chunks.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("watch_ingest");
    group
        .sample_size(10)
        .throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("lookout: split + decode slim Pod + store", |b| {
        b.iter(|| black_box(lookout_ingest(&chunks)))
    });
    group.bench_function("baseline: serde_json::from_slice::<Value> per line", |b| {
        b.iter(|| black_box(baseline_parse(&lines)))
    });
    group.finish();

    // Side by side, interleaved, so machine noise hits both alike.
    let (mut ours, mut base) = (0f64, 0f64);
    for _ in 0..5 {
        let t = Instant::now();
        black_box(lookout_ingest(&chunks));
        ours += t.elapsed().as_secs_f64();
        let t = Instant::now();
        black_box(baseline_parse(&lines));
        base += t.elapsed().as_secs_f64();
    }
    let mbs = |secs: f64| bytes as f64 * 5.0 / secs / 1e6;
    println!(
        "\nwatch ingest, {:.1} MB, {events} events: lookout {:.0} MB/s ({:.0} events/s), baseline {:.0} MB/s; ratio lookout/baseline = {:.2}",
        bytes as f64 / 1e6,
        mbs(ours),
        events as f64 * 5.0 / ours,
        mbs(base),
        base / ours
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
