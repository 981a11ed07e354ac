//! The `<lookout-flux-status>` bundle: one Flux object's sync badge and revision, with none of
//! Leptos — a page that shows one badge downloads a fraction of the environment widget.
//!
//! The element takes the attributes of the widget bundle (`kas-url`, `agent-id`, `flux-resource`,
//! `auth`, `theme`; see `app/src/embed.rs`), renders the same markup and styles in its Shadow DOM, and
//! reports the same events: `lookout-status` (`detail: {state, badge, revision, message}`) and
//! `lookout-error` (`detail: {kind, message}`). `mount(element, options)` does the same without
//! custom elements.
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
use lookout_client::api::error::advice;
use lookout_client::api::transport::{platform, Transport};
use lookout_client::model::flux::{commit_url, revisions, source_ref, FluxResourceRef};
use lookout_client::model::{kinds, Object};
use lookout_client::status::flux::sync_status;
use lookout_client::{
    Connection, Method, Selector, WatchState, Watcher, WatcherConfig, WatcherEvent,
};
use lookout_widget::{document, emit, Settings};
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement};

/// Of Lookout's styles, the tokens and the rules of what this element renders (`build.rs`).
const STYLES: &str = include_str!(concat!(env!("OUT_DIR"), "/flux-status.css"));

/// A mounted `<lookout-flux-status>`: change its settings or remove it.
#[wasm_bindgen]
pub struct Widget(Rc<FluxStatus>);

#[wasm_bindgen]
impl Widget {
    /// Changes one setting (an attribute name); the widget re-targets at once. A value that changes
    /// nothing keeps the watch, and a new theme only recolours it.
    pub fn set(&self, name: &str, value: Option<String>) {
        let before = self.0.settings.borrow().clone();
        let mut after = before.clone();
        after.set(name, value.unwrap_or_default());
        if after == before {
            return;
        }
        let only_theme = Settings {
            theme: after.theme.clone(),
            ..before
        } == after;
        *self.0.settings.borrow_mut() = after;
        if only_theme {
            self.0.apply_theme();
        } else {
            FluxStatus::start(&self.0);
        }
    }

    /// Removes the widget and closes its watch.
    pub fn unmount(&mut self) {
        self.0.stop();
        self.0.container.set_text_content(None);
    }
}

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
    sync: Element,
    badge: Element,
    revision: Element,
    panel: Element,
    /// The object (`Null` while loading or when missing).
    value: Value,
    /// The source's Git URL, once fetched (makes the revision a commit link).
    source_url: Option<String>,
    /// "Retry now": restarts the widget.
    retry: Closure<dyn Fn()>,
    /// What was last reported, so each change is reported once.
    reported: String,
}

/// A new `tag` element with `attributes`, appended to `parent`.
fn element(parent: &Element, tag: &str, attributes: &[(&str, &str)]) -> Result<Element, JsValue> {
    let el = document()?.create_element(tag)?;
    for (name, value) in attributes {
        el.set_attribute(name, value)?;
    }
    parent.append_child(&el)?;
    Ok(el)
}

/// A new `tag` element with `attributes` and text `content`, appended to `parent`.
fn text(
    parent: &Element,
    tag: &str,
    attributes: &[(&str, &str)],
    content: &str,
) -> Result<Element, JsValue> {
    let el = element(parent, tag, attributes)?;
    el.set_text_content(Some(content));
    Ok(el)
}

impl FluxStatus {
    /// Stops the running watch, if any.
    fn stop(&self) {
        if let Some(task) = self.task.borrow_mut().take() {
            task.abort();
        }
    }

    /// The rendered body (the element that carries the theme).
    fn body(&self) -> Result<Element, JsValue> {
        self.container
            .query_selector(".lo-widget__body")?
            .ok_or_else(|| JsValue::from_str("the widget's body is not rendered"))
    }

    /// Sets the body's `data-theme` from the settings (none: the host page's / the OS's).
    fn apply_theme(&self) {
        let theme = self.settings.borrow().theme.clone();
        let result = self.body().and_then(|body| {
            if theme.is_empty() {
                body.remove_attribute("data-theme")
            } else {
                body.set_attribute("data-theme", &theme)
            }
        });
        if let Err(e) = result {
            web_sys::console::error_1(&e);
        }
    }

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
        this.apply_theme();
        let alert = [("class", "lo-error"), ("role", "alert")];
        let settled = settings.connection().and_then(|connection| {
            FluxResourceRef::parse(&settings.flux_resource).map(|target| (connection, target))
        });
        let (connection, target) = match settled {
            Ok(both) => both,
            Err(problem) => {
                emit(
                    &this.host,
                    "lookout-error",
                    &[("kind", "Settings"), ("message", &problem)],
                );
                text(&body, "p", &alert, &problem)?;
                return Ok(());
            }
        };
        let sync = element(
            &body,
            "div",
            &[
                ("class", "lo-sync"),
                ("role", "group"),
                ("aria-label", "Flux sync status"),
            ],
        )?;
        let badge = element(
            &sync,
            "span",
            &[("class", "lo-status"), ("aria-live", "polite")],
        )?;
        let revision = document()?.create_element("span")?;
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
            badge,
            revision,
            panel,
            value: Value::Null,
            source_url: None,
            retry,
            reported: String::new(),
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
            WatcherEvent::Synced(objects) => {
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
        let path = kinds::GIT_REPOSITORY.object_path(Some(&source.namespace), &source.name);
        let request = connection.request(Method::Get, &path);
        let url = match transport.send(request).await {
            Ok(response) => response.success_bytes().await.ok().and_then(|body| {
                let repo: Value = serde_json::from_slice(&body).ok()?;
                repo.pointer("/spec/url")?.as_str().map(str::to_owned)
            }),
            Err(_) => None,
        };
        view.borrow_mut().source_url = url;
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
        let value = &self.value;
        let (status, message) = sync_status(value);
        self.sync.set_attribute("data-state", status.as_str())?;
        self.badge
            .set_attribute("data-tone", status.tone().as_str())?;
        self.badge.set_attribute("title", &message)?;
        self.badge.set_text_content(Some(status.badge()));
        let Some(applied) = revisions(value).applied else {
            self.revision.remove();
            return Ok(());
        };
        let short = match applied.rsplit_once(':') {
            Some((branch, sha)) => format!("{branch}:{}", sha.get(..8).unwrap_or(sha)),
            None => applied.clone(),
        };
        let link = self
            .source_url
            .as_deref()
            .and_then(|url| commit_url(url, &applied));
        let tag = if link.is_some() { "A" } else { "SPAN" };
        if self.revision.tag_name() != tag {
            self.revision.remove();
            self.revision = document()?.create_element(tag)?;
        }
        self.revision
            .set_attribute("class", "lo-mono lo-sync__rev")?;
        if let Some(href) = link {
            self.revision.set_attribute("href", &href)?;
            self.revision.set_attribute("target", "_blank")?;
            self.revision.set_attribute("rel", "noopener noreferrer")?;
        }
        self.revision.set_text_content(Some(&short));
        self.sync.append_child(&self.revision)?;
        Ok(())
    }

    /// Reports a changed status with the `data-state` attribute and a `lookout-status` event.
    fn report(&mut self) {
        let value = &self.value;
        let (status, message) = sync_status(value);
        let revision = revisions(value).applied.unwrap_or_default();
        let key = format!("{}|{revision}|{message}", status.as_str());
        if self.reported != key {
            self.reported = key;
            self.host.set_attribute("data-state", status.as_str()).ok();
            emit(
                &self.host,
                "lookout-status",
                &[
                    ("state", status.as_str()),
                    ("badge", status.badge()),
                    ("revision", &revision),
                    ("message", &message),
                ],
            );
        }
    }

    /// Shows (and reports) an error the user can act on, or clears it.
    fn show_problem(&self, state: &WatchState) -> Result<(), JsValue> {
        self.panel.set_text_content(None);
        for attribute in ["class", "role", "data-error"] {
            self.panel.remove_attribute(attribute)?;
        }
        let WatchState::Retrying { error, .. } = state else {
            return Ok(());
        };
        let Some((title, advice)) = advice(error) else {
            return Ok(());
        };
        let detail = error.to_string();
        emit(
            &self.host,
            "lookout-error",
            &[("kind", title), ("message", &detail)],
        );
        let panel = &self.panel;
        panel.set_attribute("class", "lo-panel lo-panel--error")?;
        panel.set_attribute("role", "alert")?;
        panel.set_attribute("data-error", &format!("{:?}", error.kind()))?;
        text(panel, "h3", &[], title)?;
        text(panel, "p", &[], advice)?;
        text(panel, "p", &[("class", "lo-message")], &detail)?;
        let retry = text(
            panel,
            "button",
            &[("type", "button"), ("class", "lo-button")],
            "Retry now",
        )?;
        retry.add_event_listener_with_callback("click", self.retry.as_ref().unchecked_ref())?;
        Ok(())
    }
}

/// Mounts the widget into `root` (a shadow root), reporting events on `host`.
fn mount_widget(
    root: &web_sys::ShadowRoot,
    host: HtmlElement,
    settings: Settings,
) -> Result<Widget, JsValue> {
    let container = lookout_widget::shadow_container(root, STYLES)?;
    let widget = Rc::new(FluxStatus {
        host,
        container,
        settings: RefCell::new(settings),
        task: RefCell::new(None),
    });
    FluxStatus::start(&widget);
    Ok(Widget(widget))
}

/// `mount(element, options)`: the widget without custom elements; the options are the attributes,
/// camelCased (`kasUrl`, `agentId`, `fluxResource`, `auth`, `token`, `theme`).
#[wasm_bindgen]
pub fn mount(element: HtmlElement, options: JsValue) -> Result<Widget, JsValue> {
    let (settings, _) = Settings::of_options(&options);
    let root = lookout_widget::shadow_root_of(&element)?;
    mount_widget(&root, element, settings)
}

/// Called by `<lookout-flux-status>`'s `connectedCallback`.
fn mount_element(root: web_sys::ShadowRoot, host: HtmlElement, _name: String) -> JsValue {
    let settings = Settings::of_element(&host);
    match mount_widget(&root, host, settings) {
        Ok(w) => w.into(),
        Err(e) => e,
    }
}

fn main() {
    lookout_widget::define(&["lookout-flux-status"], mount_element);
}
