//! Component behaviour in real Chromium (wasm-bindgen-test, headless): the resource table's filter,
//! sort and per-row updates, the virtual window, and an action button's pending and error states.
#![cfg(target_arch = "wasm32")]

use futures_util::future::LocalBoxFuture;
use leptos::prelude::*;
use lookout_client::api::actions::Action;
use lookout_client::api::transport::{web::WebTransport, Response, Transport};
use lookout_client::{Auth, Connection, Pod, Request, TypedResource, WatchState, WatcherEvent};
use lookout_components::{use_action, ActionButton, ErrorPanel, FrameStore, ResourceTable};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn pod(i: usize, restarts: u32, rv: u64) -> Pod {
    let json = serde_json::json!({
        "metadata": { "name": format!("pod-{i:05}"), "namespace": "bench", "uid": format!("u{i}"),
                      "resourceVersion": rv.to_string(), "creationTimestamp": "2026-11-25T08:00:00Z" },
        "spec": { "containers": [{ "name": "main" }] },
        "status": { "phase": "Running", "containerStatuses": [
            { "name": "main", "ready": !i.is_multiple_of(3), "restartCount": restarts,
              "state": if i.is_multiple_of(3) { serde_json::json!({ "waiting": { "reason": "CrashLoopBackOff" } }) } else { serde_json::json!({ "running": {} }) } }] }
    });
    serde_json::from_value(json).unwrap()
}

/// Waits for two animation frames (the store publishes on one, the DOM settles on the next).
async fn frames() {
    for _ in 0..2 {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window().request_animation_frame(&resolve);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

fn host() -> web_sys::HtmlElement {
    let div = document()
        .create_element("div")
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap();
    div.style()
        .set_property("--lo-table-height", "400px")
        .unwrap();
    document().body().unwrap().append_child(&div).unwrap();
    div
}

fn rows(root: &web_sys::HtmlElement) -> Vec<String> {
    let list = root.query_selector_all("tr.lo-vrow").unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter_map(|e| e.get_attribute("data-name"))
        .collect()
}

fn type_into(input: &web_sys::HtmlInputElement, text: &str) {
    input.set_value(text);
    let event = web_sys::Event::new("input").unwrap();
    input.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn table_filters_sorts_and_rerenders_only_the_changed_row() {
    let root = host();
    let store = FrameStore::<Pod>::new();
    store.apply(WatcherEvent::Synced(
        (0..2_000).map(|i| pod(i, 0, 1)).collect(),
    ));
    let rows_signal = store.rows();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        let rows = Signal::derive(move || rows_signal.get());
        view! { <ResourceTable api=Pod::API rows=rows now=1_795_585_091i64 /> }
    });
    frames().await;
    // Virtualized: 2,000 pods, a few dozen rows in the DOM.
    let shown = rows(&root);
    assert!(shown.len() < 60, "{} rows rendered", shown.len());
    assert_eq!(shown[0], "pod-00000");

    // A change to one pod re-renders its row only: the other rows are the same DOM nodes.
    let second = root
        .query_selector("tr[data-name=pod-00002]")
        .unwrap()
        .unwrap();
    js_sys::Reflect::set(&second, &"marker".into(), &true.into()).unwrap();
    store.apply(WatcherEvent::Applied(pod(1, 9, 2)));
    frames().await;
    let second_after = root
        .query_selector("tr[data-name=pod-00002]")
        .unwrap()
        .unwrap();
    assert_eq!(
        js_sys::Reflect::get(&second_after, &"marker".into()).unwrap(),
        true
    );
    let changed = root
        .query_selector("tr[data-name=pod-00001]")
        .unwrap()
        .unwrap();
    assert!(changed.text_content().unwrap().contains('9'));

    // Text filter.
    let input = root
        .query_selector("input[type=search]")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlInputElement>()
        .unwrap();
    type_into(&input, "pod-0199");
    frames().await;
    assert_eq!(rows(&root).len(), 10);

    // Status filter: only the crash-looping pods (every third).
    type_into(&input, "");
    let failing = root
        .query_selector("button[data-tone=error]")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap();
    failing.click();
    frames().await;
    let count = root
        .query_selector(".lo-count")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(count.starts_with("667 of 2000"), "{count}");
    failing.click();

    // Sort by restarts, descending: the changed pod first.
    let restarts = root
        .query_selector_all("th button.lo-sort")
        .unwrap()
        .item(3)
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap();
    restarts.click();
    restarts.click();
    frames().await;
    assert_eq!(rows(&root)[0], "pod-00001");
    root.remove();
}

/// Answers every request with a 403 `Status`, after a short delay.
struct Forbidding;

impl Transport for Forbidding {
    fn send(
        &self,
        _request: Request,
    ) -> LocalBoxFuture<'static, Result<Response, lookout_client::Error>> {
        Box::pin(async move {
            WebTransport.sleep(Duration::from_millis(50)).await;
            let body = br#"{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,
                "message":"pods \"web\" is forbidden: User \"dev\" cannot delete resource \"pods\" in API group \"\" in the namespace \"app\""}"#;
            Ok(Response {
                status: 403,
                headers: vec![("content-type".into(), "application/json".into())],
                body: Box::pin(futures_util::stream::once(async move { Ok(body.to_vec()) })),
            })
        })
    }
    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()> {
        WebTransport.sleep(duration)
    }
    fn now_millis(&self) -> f64 {
        js_sys::Date::now()
    }
}

#[wasm_bindgen_test]
async fn action_button_confirms_shows_pending_then_the_missing_permission() {
    lookout_components::set_transport(Rc::new(Forbidding));
    let root = host();
    let _mounted = leptos::mount::mount_to(root.clone(), || {
        provide_context(Connection::new("/k8s-proxy", Auth::None));
        let delete = use_action(Pod::API, "app".to_owned(), "web".to_owned(), Action::Delete);
        view! { <ActionButton action=delete label="Delete" disabled=false confirm=true /> }
    });
    let button = |text: &str| {
        let list = root.query_selector_all("button").unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
            .find(|b| b.text_content().as_deref() == Some(text))
    };
    button("Delete").unwrap().click();
    frames().await;
    button("Confirm delete").unwrap().click();
    frames().await;
    let pending = button("Delete").unwrap();
    assert_eq!(pending.get_attribute("aria-busy").as_deref(), Some("true"));
    WebTransport.sleep(Duration::from_millis(150)).await;
    frames().await;
    let alert = root
        .query_selector("[role=alert]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(alert.contains("cannot delete resource \"pods\""), "{alert}");
    assert_eq!(
        button("Delete")
            .unwrap()
            .get_attribute("aria-busy")
            .as_deref(),
        Some("false")
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn live_state_and_its_rows_arrive_in_the_same_animation_frame() {
    let store = FrameStore::<Pod>::new();
    let (rows, state) = (store.rows(), store.state());
    store.apply(WatcherEvent::Synced(vec![pod(1, 0, 1)]));
    store.apply(WatcherEvent::State(WatchState::Live));
    assert_eq!(
        state.get_untracked(),
        WatchState::Listing,
        "nothing before the frame"
    );
    assert!(rows.get_untracked().is_empty());
    frames().await;
    assert_eq!(state.get_untracked(), WatchState::Live);
    assert_eq!(rows.get_untracked().len(), 1);
}

#[wasm_bindgen_test]
async fn error_panel_retry_calls_the_hook_instead_of_reloading_the_page() {
    let root = host();
    let retried = RwSignal::new(0);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        let state = WatchState::Retrying {
            error: lookout_client::Error::Http {
                code: 503,
                status: None,
                body: "unavailable".into(),
                retry_after: None,
                gitlab_unauthorized: false,
            },
            delay: Duration::from_secs(30),
            stale_since: 0.0,
            attempt: 1,
        };
        view! { <ErrorPanel state=state retry=Callback::new(move |()| retried.update(|n| *n += 1)) /> }
    });
    frames().await;
    let button = root
        .query_selector("button")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap();
    assert_eq!(button.text_content().as_deref(), Some("Retry now"));
    button.click();
    button.click();
    assert_eq!(retried.get_untracked(), 2);
    root.remove();
}
