//! The `<lookout-flux-status>` bundle: one Flux object's sync badge and revision, with none of
//! Leptos — a page that shows one badge downloads a fraction of the environment widget.
//!
//! The element takes the widgets' attributes (`kas-url`, `agent-id`, `flux-resource`, `auth`,
//! `theme`; see `widget/src/lib.rs`), renders the markup and styles of `<lookout-environment>`'s
//! sync status in its Shadow DOM, and reports the same events: `lookout-status` (`detail: {state,
//! badge, revision, message}`) and `lookout-error` (`detail: {kind, message}`).
//! `mount(element, options)` does the same without custom elements.
//!
//! Requests: the list of the named object (`fieldSelector=metadata.name=`; the page's loader,
//! `widget/js/lookout-flux-status-loader.js`, may have sent it before the wasm arrived, see
//! [`early_get`]), then a watch from that list's resourceVersion, over `fetch` (no discovery, no
//! WebSocket token); once the object names a GitRepository source, one GET of that source for the
//! commit link.

#[cfg(target_arch = "wasm32")]
#[path = "flux_status/early_get.rs"]
mod early_get;

use futures_util::future::{AbortHandle, Abortable};
use lookout_client::api::transport::{platform, Transport};
use lookout_client::model::flux::{source_ref, FluxResourceRef};
use lookout_client::model::Object;
use lookout_client::{Connection, Selector, WatchState, Watcher, WatcherConfig, WatcherEvent};
use lookout_widget::dom::element;
use lookout_widget::lifecycle::{self, Rendering};
use lookout_widget::sync::{show_problem, show_settings_problem, source_url, SyncView};
use lookout_widget::Settings;
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement};

/// Of Lookout's styles, the tokens and the rules of what this element renders (`build.rs`).
const STYLES: &str = include_str!(concat!(env!("OUT_DIR"), "/flux-status.css"));

lookout_widget::widget_bundle!(
    FluxStatus,
    tag: "lookout-flux-status",
    kind: "flux-status",
    styles: STYLES,
    new: |host, container, settings| FluxStatus {
        host,
        container,
        settings: RefCell::new(settings),
        task: RefCell::new(None),
    }
);

/// The widget's state: where it renders, its settings, and its running watch.
struct FluxStatus {
    host: HtmlElement,
    container: HtmlElement,
    settings: RefCell<Settings>,
    /// Stops the running watch (dropping it aborts its request).
    task: RefCell<Option<AbortHandle>>,
}

impl Drop for FluxStatus {
    /// A widget freed without `unmount` closes its watch all the same.
    fn drop(&mut self) {
        self.stop();
    }
}

/// The elements a watch updates.
struct View {
    host: HtmlElement,
    sync: SyncView,
    panel: Element,
    /// The object (`Null` while loading or when missing).
    value: Value,
    /// The source's Git URL, once fetched (makes the revision a commit link).
    source_url: Option<String>,
    /// "Retry now": restarts the widget.
    retry: Closure<dyn Fn()>,
}

impl Rendering for FluxStatus {
    fn settings(&self) -> &RefCell<Settings> {
        &self.settings
    }

    fn container(&self) -> &HtmlElement {
        &self.container
    }

    fn restart(this: &Rc<Self>) {
        Self::start(this);
    }

    /// Stops the running watch, if any.
    fn stop(&self) {
        if let Some(task) = self.task.borrow_mut().take() {
            task.abort();
        }
    }
}

impl FluxStatus {
    /// (Re)renders for the current settings and starts their watch.
    fn start(this: &Rc<FluxStatus>) {
        this.stop();
        if let Err(e) = Self::render(this) {
            web_sys::console::error_1(&e);
        }
    }

    /// Renders the settings' problem, or the badge and a watch that keeps it current.
    fn render(this: &Rc<FluxStatus>) -> Result<(), JsValue> {
        let settings = this.settings.borrow().clone();
        this.container.set_text_content(None);
        let body = element(&this.container, "div", &[("class", "lo-widget__body")])?;
        lifecycle::apply_theme(&this.container, &settings.theme);
        let settled = settings.connection().and_then(|connection| {
            FluxResourceRef::parse(&settings.flux_resource).map(|target| (connection, target))
        });
        let (connection, target) = match settled {
            Ok(both) => both,
            Err(problem) => return show_settings_problem(&body, &this.host, &problem),
        };
        let sync = SyncView::new(&body)?;
        let panel = element(&body, "div", &[])?;
        let widget = Rc::downgrade(this);
        let retry = Closure::<dyn Fn()>::new(move || {
            if let Some(w) = widget.upgrade() {
                FluxStatus::start(&w);
            }
        });
        let view = Rc::new(RefCell::new(View {
            host: this.host.clone(),
            sync,
            panel,
            value: Value::Null,
            source_url: None,
            retry,
        }));
        view.borrow_mut().show()?;
        let (handle, registration) = AbortHandle::new_pair();
        *this.task.borrow_mut() = Some(handle);
        let watch = watch(connection, target, view);
        wasm_bindgen_futures::spawn_local(async move {
            let _ = Abortable::new(watch, registration).await;
        });
        Ok(())
    }
}

/// `fetch`, answering the first list with the loader's early GET when it sent one.
fn transport() -> Rc<dyn Transport> {
    #[cfg(target_arch = "wasm32")]
    return Rc::new(early_get::EarlyGet(platform()));
    #[cfg(not(target_arch = "wasm32"))]
    return platform();
}

/// Lists the object, then watches it from that list's resourceVersion, keeping the view current.
/// A list, not a streaming list: it is the one request the loader can send before the wasm runs,
/// and a real API server answers it at once (a streaming list ends at etcd's next progress
/// notification).
async fn watch(connection: Connection, target: FluxResourceRef, view: Rc<RefCell<View>>) {
    let transport = transport();
    let selector = Selector::named(&target.namespace, &target.name);
    let watcher =
        Watcher::<Object>::new(connection.clone(), transport.clone(), target.api, selector)
            .with_config(WatcherConfig {
                streaming_list: false,
                ..WatcherConfig::default()
            });
    let mut live = false;
    let mut source_asked = false;
    let (source_tx, mut source_rx) = futures_channel::mpsc::unbounded();
    let events = watcher.run(|event| {
        let mut v = view.borrow_mut();
        match event {
            // One object: the list is never paged (and pages come only when asked for).
            WatcherEvent::Synced(objects) | WatcherEvent::Page { items: objects, .. } => {
                v.value = objects.into_iter().next().map_or(Value::Null, |o| o.value);
            }
            WatcherEvent::Applied(o) => v.value = o.value,
            WatcherEvent::Deleted(_) => v.value = Value::Null,
            WatcherEvent::State(state) => {
                live = matches!(state, WatchState::Live);
                if let Err(e) = v.show_problem(&state) {
                    web_sys::console::error_1(&e);
                }
            }
        }
        if let Err(e) = v.show() {
            web_sys::console::error_1(&e);
        }
        if live {
            v.report();
        }
        if !source_asked {
            if let Some(source) = source_ref(&v.value).filter(|s| s.kind == "GitRepository") {
                source_asked = true;
                let _ = source_tx.unbounded_send(source);
            }
        }
    });
    // The source's URL: fetched once, beside the watch.
    let source = async {
        use futures_util::StreamExt;
        let Some(source) = source_rx.next().await else {
            return std::future::pending().await;
        };
        view.borrow_mut().source_url = source_url(&*transport, &connection, &source).await;
        if let Err(e) = view.borrow_mut().show() {
            web_sys::console::error_1(&e);
        }
        std::future::pending::<()>().await
    };
    futures_util::future::join(events, source).await;
}

impl View {
    /// Shows the object's sync status and revision (`Null` while loading or when missing).
    fn show(&mut self) -> Result<(), JsValue> {
        self.sync.show(&self.value, self.source_url.as_deref())
    }

    /// Reports a changed status with the `data-state` attribute and a `lookout-status` event.
    fn report(&mut self) {
        self.sync.report(&self.host, &self.value);
    }

    /// Shows (and reports) an error the user can act on, or clears it.
    fn show_problem(&self, state: &WatchState) -> Result<(), JsValue> {
        show_problem(
            &self.panel,
            &self.host,
            state,
            self.retry.as_ref().unchecked_ref(),
        )
    }
}
