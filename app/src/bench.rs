//! The benchmark page (`/bench`): exposes Lookout's hot paths to a benchmark harness as
//! `window.lookoutBench`, so `scripts/bench` can time them against plain-JavaScript baselines on
//! the same page. Nothing here is timed by itself; the harness measures.
//!
//! - `ingest(bytes)`: decode a watch body (JSON lines) into slim pods in a fresh store; returns
//!   the number of events.
//! - `hold(bytes)`: the same, keeping the store alive; returns the number of objects held.
//! - `wasmMemory()`: bytes of wasm linear memory.
//! - `mountTable(n)`: mounts the virtualized pod table with `n` synthetic pods in `#bench-lookout`.
//! - `modify(k)`: applies `k` MODIFIED events (each a new copy of a random pod: the next
//!   resourceVersion, one more restart) to the mounted table's store the way a live watch does
//!   (`FrameStore::apply`; published at the next frame).
//! - `unmount()`.

use leptos::prelude::*;
use lookout_client::model::{ContainerName, ContainerState, ContainerStatus};
use lookout_client::{ObjectKey, Pod, Store, Str, TypedResource, WatcherEvent};
use lookout_components::{FrameStore, ResourceTable};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A pod as the pods of a busy namespace look in the table.
fn synthetic_pod(i: usize) -> Pod {
    let mut pod = Pod::default();
    let m = &mut pod.metadata;
    m.name = format!("pod-{i:05}").into();
    m.namespace = Str::interned("bench");
    m.uid = format!("uid-{i}").into();
    m.resource_version = "1".into();
    m.creation_timestamp = Some(Str::interned("2026-11-25T08:00:00Z"));
    pod.spec.node_name = Some(Str::interned(&format!("node-{}", i % 12)));
    pod.spec.containers = vec![ContainerName {
        name: Str::interned("main"),
    }];
    pod.status.phase = Str::interned("Running");
    pod.status.container_statuses = vec![ContainerStatus {
        name: Str::interned("main"),
        ready: !i.is_multiple_of(9),
        restart_count: (i % 4) as u32,
        state: ContainerState::default(),
    }];
    pod
}

/// What the page holds between harness calls.
#[derive(Default)]
struct Bench {
    held: Option<Store<Pod>>,
    /// The mounted table's store and the keys of its pods (the harness picks pods by index, as
    /// the baseline picks its rows).
    table: Option<(Rc<FrameStore<Pod>>, Vec<ObjectKey>)>,
    mounted: Option<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
    seed: Cell<u64>,
}

thread_local! {
    static BENCH: RefCell<Bench> = RefCell::default();
}

/// Bytes copied from JavaScript into wasm at a time, as a network stream would deliver them.
const CHUNK: u32 = 256 * 1024;

/// Decodes a watch body held by JavaScript into a fresh store, chunk by chunk (wasm memory holds
/// the store plus one chunk, never the whole body).
fn ingest(bytes: &js_sys::Uint8Array) -> Result<Store<Pod>, JsValue> {
    let mut store = Store::<Pod>::new();
    let mut lines = lookout_client::api::lines::LineSplitter::new();
    let error = |e: lookout_client::Error| JsValue::from_str(&e.to_string());
    let mut at = 0;
    while at < bytes.length() {
        let end = (at + CHUNK).min(bytes.length());
        store
            .apply_watch_chunk(&mut lines, &bytes.subarray(at, end).to_vec())
            .map_err(error)?;
        at = end;
    }
    store.apply_watch_chunk(&mut lines, b"\n").map_err(error)?;
    Ok(store)
}

fn mount_table(n: usize) -> Result<(), JsValue> {
    let target = document()
        .get_element_by_id("bench-lookout")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .ok_or("no #bench-lookout element")?;
    let store = FrameStore::<Pod>::new();
    let pods: Vec<Pod> = (0..n).map(synthetic_pod).collect();
    let keys = pods.iter().map(ObjectKey::of).collect();
    store.apply(WatcherEvent::Synced(pods));
    let rows = store.rows();
    let handle = leptos::mount::mount_to(target, move || {
        let rows = Signal::derive(move || rows.get());
        view! { <ResourceTable api=Pod::API rows=rows now=1_795_585_091i64 label="Benchmark pods" /> }
            .into_any()
    });
    BENCH.with(|b| {
        let mut b = b.borrow_mut();
        b.mounted = Some(handle);
        b.table = Some((store, keys));
    });
    Ok(())
}

/// `n` in decimal, written into `digits`: the new resourceVersion is one allocation (its `Str`),
/// as a decoded one is, not a `String` copied into a `Str`.
fn decimal(mut n: u64, digits: &mut [u8; 20]) -> &str {
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&digits[at..]).unwrap_or_default()
}

fn modify(k: usize) {
    BENCH.with(|b| {
        let b = b.borrow();
        let Some((store, keys)) = &b.table else {
            return;
        };
        for _ in 0..k {
            // xorshift: the same pseudo-random pods in every run.
            let mut x = b.seed.get().max(1);
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b.seed.set(x);
            let Some(key) = keys.get((x % keys.len().max(1) as u64) as usize) else {
                return;
            };
            if let Some(mut pod) = store.get(key) {
                let rv = pod.metadata.resource_version.parse::<u64>().unwrap_or(1) + 1;
                pod.metadata.resource_version = decimal(rv, &mut [0; 20]).into();
                if let Some(c) = pod.status.container_statuses.first_mut() {
                    c.restart_count += 1;
                }
                store.apply(WatcherEvent::Applied(pod));
            }
        }
    });
}

fn set(target: &js_sys::Object, name: &str, f: JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(name), &f);
}

/// Publishes `window.lookoutBench`.
fn install() {
    let api = js_sys::Object::new();
    let f = Closure::<dyn Fn(js_sys::Uint8Array) -> Result<usize, JsValue>>::new(
        |bytes: js_sys::Uint8Array| ingest(&bytes).map(|s| s.len()),
    );
    set(&api, "ingest", f.into_js_value());
    let f = Closure::<dyn Fn(js_sys::Uint8Array) -> Result<usize, JsValue>>::new(
        |bytes: js_sys::Uint8Array| {
            BENCH.with(|b| b.borrow_mut().held = None);
            let store = ingest(&bytes)?;
            let held = store.len();
            BENCH.with(|b| b.borrow_mut().held = Some(store));
            Ok(held)
        },
    );
    set(&api, "hold", f.into_js_value());
    let f = Closure::<dyn Fn() -> f64>::new(|| {
        wasm_bindgen::memory()
            .dyn_into::<js_sys::WebAssembly::Memory>()
            .map(|m| {
                f64::from(
                    m.buffer()
                        .unchecked_into::<js_sys::ArrayBuffer>()
                        .byte_length(),
                )
            })
            .unwrap_or(0.0)
    });
    set(&api, "wasmMemory", f.into_js_value());
    let f = Closure::<dyn Fn(f64) -> Result<(), JsValue>>::new(|n: f64| mount_table(n as usize));
    set(&api, "mountTable", f.into_js_value());
    let f = Closure::<dyn Fn(f64)>::new(|k: f64| modify(k as usize));
    set(&api, "modify", f.into_js_value());
    let f = Closure::<dyn Fn()>::new(|| {
        BENCH.with(|b| {
            let mut b = b.borrow_mut();
            b.mounted = None;
            b.table = None;
        })
    });
    set(&api, "unmount", f.into_js_value());
    let _ = js_sys::Reflect::set(&window(), &JsValue::from_str("lookoutBench"), &api);
}

/// Loads one of the benchmark scripts (`bench/*.js`, copied into the build) into the page.
fn load_script(src: &str) -> Result<(), JsValue> {
    let script = document().create_element("script")?;
    script.set_attribute("src", src)?;
    // Ordered: the runner needs the baseline and the harness first.
    let _ = js_sys::Reflect::set(&script, &"async".into(), &false.into());
    document().body().ok_or("no body")?.append_child(&script)?;
    Ok(())
}

/// The benchmark page: `window.lookoutBench` for `scripts/bench`, and a Run button that measures
/// the 10,000-row table against the plain-JS baseline right here.
#[component]
pub fn BenchPage() -> impl IntoView {
    install();
    for src in ["/bench/baseline.js", "/bench/harness.js", "/bench/page.js"] {
        let _ = load_script(src);
    }
    view! {
        <section class="lo-page" aria-labelledby="bench-heading">
            <h2 id="bench-heading">"Benchmark"</h2>
            <p>
                "Mounts the pod table with 10,000 pods, then applies 1,000 modifications per second for 10 s: "
                "first render, frames dropped and the p95 frame time, for Lookout and for a plain-JavaScript "
                "table on this page. scripts/bench runs this and more (window.lookoutBench)."
            </p>
            <button type="button" id="bench-run" class="lo-button">"Run"</button>
            <div id="bench-results" aria-live="polite"></div>
            <div id="bench-lookout" class="lo-bench-host"></div>
        </section>
    }
}
