//! Watch ingest and memory, natively: the hot paths of `scripts/bench` scenarios 1 and 4 without a
//! browser, on pods dressed like its fixtures (`bench/fixtures.js`: a Deployment pod with labels,
//! annotations, an owner reference, managedFields, volumes, env and probes, ~5.9 KiB of JSON).
//!
//! - ingest: split + decode + store of ~`LOOKOUT_BENCH_MB` MB (default 50) of MODIFIED events of
//!   10,000 pods, in 256 KiB chunks as the bench page feeds them, against
//!   `serde_json::from_slice::<Value>` of every line (the native stand-in for `JSON.parse`);
//! - memory: bytes allocated per pod while holding 10,000 and 100,000 pods (live after the
//!   ingest, and the peak during it), counted by a global allocator. Native sizes (64-bit
//!   pointers) are larger than wasm32's; compare runs with each other, not with the browser;
//! - modify: MODIFIED events of random pods into a store of 10,000 (the update storm's store side),
//!   with and without a table holding the rows: changes handed over one by one into a key set
//!   kept between frames, against a `Vec` of changes per event into a set made anew per frame
//!   (both over today's store).
//!
//! `cargo bench -p lookout-client --features intern --bench watch_ingest [memory|ingest|modify|profile]`.

use lookout_client::{Change, ObjectKey, Pod, Store, WatcherEvent};
use serde_json::Value;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

/// The system allocator, counting live and peak bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(live, Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Bytes the bench page copies into wasm at a time.
const CHUNK: usize = 256 * 1024;

/// Watch events of the dressed fixture pod, renamed and spread over 20 namespaces, 50 apps and
/// 12 nodes: event `n` is a MODIFIED of pod `n % pods`.
struct Events {
    template: Value,
    pods: usize,
    n: usize,
}

impl Events {
    fn new(pods: usize) -> Self {
        let line = include_str!("../tests/fixtures/bench-dressed-pod.jsonl");
        let template = serde_json::from_str(line).expect("fixture json");
        Events {
            template,
            pods,
            n: 0,
        }
    }

    /// Appends the next event and its newline to `body`.
    fn write_next(&mut self, body: &mut Vec<u8>) {
        let (n, i) = (self.n, self.n % self.pods);
        self.n += 1;
        let app = format!("app-{}", i % 50);
        let mut ev = self.template.clone();
        let o = &mut ev["object"];
        o["metadata"]["name"] = Value::from(format!("{app}-7002624bf-{i:05x}"));
        o["metadata"]["namespace"] = Value::from(format!("team-{}", i % 20));
        o["metadata"]["uid"] = Value::from(format!("5175ae4e-f502-4ae4-ad40-{i:012x}"));
        o["metadata"]["resourceVersion"] = Value::from((1000 + n).to_string());
        o["metadata"]["labels"]["app"] = Value::from(app.clone());
        o["metadata"]["labels"]["app.kubernetes.io/name"] = Value::from(app);
        o["spec"]["nodeName"] = Value::from(format!("node-{}", i % 12));
        o["status"]["podIP"] = Value::from(format!("10.0.{}.{}", i / 256 % 256, i % 256));
        serde_json::to_writer(&mut *body, &ev).expect("serialize");
        body.push(b'\n');
    }
}

/// A watch body of ~`bytes` bytes of events of `pods` pods, and its number of events.
fn stream(pods: usize, bytes: usize) -> (Vec<u8>, usize) {
    let (mut events, mut body) = (Events::new(pods), Vec::new());
    while body.len() < bytes {
        events.write_next(&mut body);
    }
    (body, events.n)
}

fn lookout_ingest(body: &[u8]) -> Store<Pod> {
    let mut store = Store::<Pod>::new();
    let mut lines = lookout_client::api::lines::LineSplitter::new();
    for chunk in body.chunks(CHUNK) {
        store
            .apply_watch_chunk(&mut lines, chunk)
            .expect("valid stream");
    }
    store
        .apply_watch_chunk(&mut lines, b"\n")
        .expect("valid stream");
    store
}

fn baseline_parse(body: &[u8]) -> usize {
    body.split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .filter(|l| serde_json::from_slice::<Value>(l).is_ok())
        .count()
}

fn ingest() {
    let mb: usize = std::env::var("LOOKOUT_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let (body, events) = stream(10_000, mb * 1_000_000);
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    black_box(lookout_ingest(&body).len());
    for _ in 0..5 {
        let t = Instant::now();
        black_box(lookout_ingest(&body).len());
        ours.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        black_box(baseline_parse(&body));
        base.push(t.elapsed().as_secs_f64());
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (ours, base) = (median(&mut ours), median(&mut base));
    let mbs = |secs: f64| body.len() as f64 / secs / 1e6;
    println!(
        "ingest {:.1} MB, {events} events ({:.1} KiB each): lookout {:.0} MB/s ({:.0} events/s), \
         serde_json Value {:.0} MB/s; ratio {:.2}",
        body.len() as f64 / 1e6,
        body.len() as f64 / events as f64 / 1024.0,
        mbs(ours),
        events as f64 / ours,
        mbs(base),
        base / ours
    );
}

/// Holds `pods` pods, each sent once, generated chunk by chunk (so the body is never whole).
fn memory(pods: usize) {
    let mut events = Events::new(pods);
    let mut chunk = Vec::with_capacity(CHUNK + 16 * 1024);
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let mut store = Store::<Pod>::new();
    let mut lines = lookout_client::api::lines::LineSplitter::new();
    let mut json = 0;
    while events.n < pods {
        chunk.clear();
        while events.n < pods && chunk.len() < CHUNK {
            events.write_next(&mut chunk);
        }
        json += chunk.len();
        store
            .apply_watch_chunk(&mut lines, &chunk)
            .expect("valid stream");
    }
    drop(lines);
    let live = LIVE.load(Relaxed) - before;
    let peak = PEAK.load(Relaxed) - before;
    println!(
        "hold {pods} pods: {} B/pod live, {} B/pod peak (JSON {} B/pod)",
        live / pods,
        peak / pods,
        json / pods
    );
    assert_eq!(store.len(), pods);
}

/// Events between two frames of the update storm (1,000 events/s at 60 frames/s).
const EVENTS_PER_FRAME: usize = 17;

/// How the frame store of a live view (`lookout-components`' `FrameBatch`) takes one event and
/// publishes a frame, now and before this path was tuned.
#[derive(Clone, Copy, PartialEq)]
enum Path {
    /// `Store::apply_each` into a changed-keys set kept from frame to frame.
    Each,
    /// `Store::apply`'s `Vec` of changes per event, extended into a set made anew every frame
    /// (the frame store's way before `apply_each`; the store's own work is today's).
    Collected,
}

/// The update storm's store side: 10,000 pods held, then MODIFIED events of random pods, each a
/// copy of the stored pod with a new resourceVersion and one more restart (as the bench page's
/// `modify` does). With `view`, a table holds every row it was last given (its `Arc`), and a
/// frame publishes the changed rows every [`EVENTS_PER_FRAME`] events, untimed (the browser runs
/// it outside `modify`); without, nobody else holds the pods (as while ingesting). Returns ns per
/// event.
fn modify_ns(path: Path, view: bool) -> f64 {
    use std::collections::HashSet;
    use std::sync::Arc;
    let (mut events, mut body) = (Events::new(10_000), Vec::new());
    while events.n < 10_000 {
        events.write_next(&mut body);
    }
    let mut store = lookout_ingest(&body);
    let keys: Vec<ObjectKey> = store.iter().map(ObjectKey::of).collect();
    let mut rows: Vec<Arc<Pod>> = match view {
        true => store.sorted_shared().into_iter().cloned().collect(),
        false => Vec::new(),
    };
    let mut pending: HashSet<ObjectKey> = HashSet::new();
    let (rounds, mut x, mut spent) = (200_000, 1u64, std::time::Duration::ZERO);
    for round in 0..rounds / EVENTS_PER_FRAME {
        let t = Instant::now();
        for _ in 0..EVENTS_PER_FRAME {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let key = &keys[(x % keys.len() as u64) as usize];
            let Some(mut pod) = store.get(key).cloned() else {
                continue;
            };
            let rv = pod.metadata.resource_version.parse::<u64>().unwrap_or(1) + 1;
            pod.metadata.resource_version = rv.to_string().into();
            if let Some(c) = pod.status.container_statuses.first_mut() {
                c.restart_count += 1;
            }
            let event = WatcherEvent::Applied(pod);
            let keep = Change::into_key;
            match path {
                Path::Each => store.apply_each(event, |c| {
                    pending.insert(keep(c));
                }),
                Path::Collected => pending.extend(store.apply(event).into_iter().map(keep)),
            }
        }
        spent += t.elapsed();
        let changes: Vec<Change> = match path {
            Path::Each => pending.drain().map(Change::Upserted).collect(),
            Path::Collected => std::mem::take(&mut pending)
                .into_iter()
                .map(Change::Upserted)
                .collect(),
        };
        if view {
            store.update_sorted(&mut rows, &changes);
        }
        black_box(round);
    }
    spent.as_secs_f64() / (rounds / EVENTS_PER_FRAME * EVENTS_PER_FRAME) as f64 * 1e9
}

fn modify() {
    for (view, what) in [(true, "a table holding every row"), (false, "no view")] {
        let median = |path| {
            let mut runs: Vec<f64> = (0..5).map(|_| modify_ns(path, view)).collect();
            runs.sort_by(f64::total_cmp);
            runs[2]
        };
        let (each, collected) = (median(Path::Each), median(Path::Collected));
        println!(
            "modify, {what}: {each:.0} ns per MODIFIED event into a 10,000-pod store \
             (changes collected per event and a new key set per frame: {collected:.0} ns; ratio {:.2})",
            each / collected
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument selects one part.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let on = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    if on("memory") {
        memory(10_000);
        memory(100_000);
    }
    if on("ingest") {
        ingest();
    }
    if on("modify") {
        modify();
    }
    if filter.as_deref() == Some("profile") {
        // Lookout's ingest alone, for a profiler (`perf record … watch_ingest profile`).
        let (body, _) = stream(10_000, 50_000_000);
        for _ in 0..20 {
            black_box(lookout_ingest(&body).len());
        }
    }
}
