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
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

/// A chunk's load (`preload_…`), boxed: one `LocalResource` type for every page.
type Loading = Pin<Box<dyn Future<Output = Result<(), SplitLoaderError>>>>;
/// A page's call into its chunk, boxed likewise.
type Calling = Pin<Box<dyn Future<Output = Result<AnyView, SplitLoaderError>>>>;

/// Declares the page `$page(args) -> AnyView`, its code (`$body`) in chunk `$chunk`. Its split
/// function (`$call`, async) and the chunk's load (`$preload`) are the tool's; the page shows
/// them through [`chunk_page`], which is not generic (one copy for every page).
macro_rules! split_page {
    ($(#[$doc:meta])* $chunk:ident: $page:ident($($arg:ident: $ty:ty),*), $call:ident, $preload:ident => $body:expr) => {
        #[wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, preload($preload), fallible)]
        fn $call($($arg: $ty),*) -> Result<AnyView, SplitLoaderError> {
            Ok($body)
        }

        $(#[$doc])*
        pub fn $page($($arg: $ty),*) -> AnyView {
            chunk_page(
                || Box::pin($preload()),
                Arc::new(move || -> Calling { Box::pin($call($($arg.clone()),*)) }),
            )
        }
    };
}

split_page!(/// The Flux page.
    lists: flux(), flux_call, preload_flux => flux_page::FluxPage().into_any());
split_page!(/// The workloads page.
    lists: workloads(), workloads_call, preload_workloads => workloads_page::WorkloadsPage().into_any());
split_page!(/// The services page.
    lists: services(), services_call, preload_services => resources_page::ServicesPage().into_any());
split_page!(/// The namespaces page.
    lists: namespaces(), namespaces_call, preload_namespaces => resources_page::NamespacesPage().into_any());
split_page!(/// The resources browser (every kind the cluster serves).
    lists: resources(), resources_call, preload_resources => resources_page::ResourcesPage().into_any());
split_page!(/// The objects of one kind.
    lists: kind(group: String, kind: String), kind_call, preload_kind =>
    view! { <resources_page::KindPage group=group kind=kind /> }.into_any());
split_page!(/// The events page.
    lists: events(), events_call, preload_events => events_page::EventsPage().into_any());
split_page!(/// The benchmark page (`window.lookoutBench`).
    lists: bench(), bench_call, preload_bench => bench::BenchPage().into_any());
split_page!(/// One pod's log.
    detail: logs(), logs_call, preload_logs => logs_page::LogsPage().into_any());
split_page!(/// One object's details (YAML, events, logs, tree, timeline, actions).
    detail: detail(object: ObjectRoute), detail_call, preload_detail =>
    view! { <detail_page::DetailPage object=object /> }.into_any());

/// A page whose code is in a chunk: a line of text while the chunk loads, an error with a reload
/// button when it cannot be loaded, then the page (`call`, once the chunk is in).
fn chunk_page(preload: fn() -> Loading, call: Arc<dyn Fn() -> Calling + Send + Sync>) -> AnyView {
    let loaded = LocalResource::new(preload);
    (move || match loaded.get() {
        None => view! { <p class="lo-empty">"Loading the page…"</p> }.into_any(),
        // Loaded: the call resolves at its first poll (the chunk's loader is initialised).
        Some(Ok(())) => match call()
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            Poll::Ready(Ok(page)) => page,
            Poll::Ready(Err(_)) | Poll::Pending => not_loaded().into_any(),
        },
        Some(Err(_)) => not_loaded().into_any(),
    })
    .into_any()
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
