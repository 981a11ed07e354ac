//! The pages behind a click, in wasm chunks: `wasm-split-cli` cuts every function marked
//! `#[wasm_split(…)]` (and the code only it reaches) out of the app's wasm after the build
//! (scripts/lib.sh `split_app`), and a page fetches its chunk the first time its route is shown
//! (once: later visits reuse it). The shell, the overview and the pods page stay in the main wasm.
//! Two chunks: `lists` (Flux, workloads, services, namespaces, resources, events, and /bench) and
//! `detail` (an object's page, a pod's log), and the code only these two share (`chunk_N`,
//! fetched with either): one chunk per page made 16 shared chunks, some of 200 bytes.

use crate::{
    bench, detail_page, events_page, flux_page, logs_page, resources_page, workloads_page,
};
use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use lookout_client::view::route::ObjectRoute;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Declares a page of its own chunk: `$view(args)` (async, the page once its chunk is loaded)
/// and `$preload()` (async, loads the chunk).
macro_rules! split_page {
    ($chunk:ident, $preload:ident, $view:ident($($arg:ident: $ty:ty),*) => $page:expr) => {
        #[wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, preload($preload), fallible)]
        fn $view($($arg: $ty),*) -> Result<AnyView, SplitLoaderError> {
            Ok($page)
        }
    };
}

split_page!(lists, preload_flux, flux_view() => flux_page::FluxPage().into_any());
split_page!(lists, preload_workloads, workloads_view() => workloads_page::WorkloadsPage().into_any());
split_page!(lists, preload_services, services_view() => resources_page::ServicesPage().into_any());
split_page!(lists, preload_namespaces, namespaces_view() => resources_page::NamespacesPage().into_any());
split_page!(lists, preload_resources, resources_view() => resources_page::ResourcesPage().into_any());
split_page!(lists, preload_kind, kind_view(group: String, kind: String) =>
    view! { <resources_page::KindPage group=group kind=kind /> }.into_any());
split_page!(lists, preload_events, events_view() => events_page::EventsPage().into_any());
split_page!(detail, preload_logs, logs_view() => logs_page::LogsPage().into_any());
split_page!(detail, preload_detail, detail_view(object: ObjectRoute) =>
    view! { <detail_page::DetailPage object=object /> }.into_any());
split_page!(lists, preload_bench, bench_view() => bench::BenchPage().into_any());

/// A page whose code is in a chunk: a line of text while the chunk loads, an error with a reload
/// button when it cannot be loaded, then the page (`view`, called once the chunk is in).
fn chunk_page<L, P>(
    preload: fn() -> L,
    view: impl Fn() -> P + Send + Sync + 'static,
) -> impl IntoView
where
    L: Future<Output = Result<(), SplitLoaderError>> + 'static,
    P: Future<Output = Result<AnyView, SplitLoaderError>>,
{
    let loaded = LocalResource::new(preload);
    move || match loaded.get() {
        None => view! { <p class="lo-empty">"Loading the page…"</p> }.into_any(),
        // Loaded: the call resolves at its first poll (the chunk's loader is initialised).
        Some(Ok(())) => match pin!(view()).poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Ok(page)) => page,
            Poll::Ready(Err(_)) | Poll::Pending => not_loaded().into_any(),
        },
        Some(Err(_)) => not_loaded().into_any(),
    }
}

/// Says the page's code could not be downloaded (a later visit tries again).
fn not_loaded() -> impl IntoView {
    let reload = |_| {
        let _ = window().location().reload();
    };
    view! {
        <section class="lo-page lo-error-page" role="alert">
            <h2>"This page could not be loaded"</h2>
            <p>"Its code did not download (the browser's console says why). Check the connection and reload."</p>
            <p><button type="button" class="lo-button" on:click=reload>"Reload"</button></p>
        </section>
    }
}

/// The Flux page.
pub fn flux() -> AnyView {
    chunk_page(preload_flux, flux_view).into_any()
}

/// The workloads page.
pub fn workloads() -> AnyView {
    chunk_page(preload_workloads, workloads_view).into_any()
}

/// The services page.
pub fn services() -> AnyView {
    chunk_page(preload_services, services_view).into_any()
}

/// The namespaces page.
pub fn namespaces() -> AnyView {
    chunk_page(preload_namespaces, namespaces_view).into_any()
}

/// The resources browser (every kind the cluster serves).
pub fn resources() -> AnyView {
    chunk_page(preload_resources, resources_view).into_any()
}

/// The objects of one kind.
pub fn kind(group: String, kind: String) -> AnyView {
    chunk_page(preload_kind, move || kind_view(group.clone(), kind.clone())).into_any()
}

/// The events page.
pub fn events() -> AnyView {
    chunk_page(preload_events, events_view).into_any()
}

/// One pod's log.
pub fn logs() -> AnyView {
    chunk_page(preload_logs, logs_view).into_any()
}

/// One object's details (YAML, events, logs, tree, timeline, actions).
pub fn detail(object: ObjectRoute) -> AnyView {
    chunk_page(preload_detail, move || detail_view(object.clone())).into_any()
}

/// The benchmark page (`window.lookoutBench`).
pub fn bench() -> AnyView {
    chunk_page(preload_bench, bench_view).into_any()
}
