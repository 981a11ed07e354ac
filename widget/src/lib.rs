//! `lookout-widget`: what every widget bundle shares with its host page: the attributes and `mount` options
//! ([`Settings`]), the connection they describe, the Shadow DOM styles, the DOM events the widgets
//! report, and the custom-element class that calls into the bundle; and what the Leptos-free
//! elements are drawn with: plain-DOM helpers ([`dom`]), what a widget does when a setting
//! changes or it is removed ([`lifecycle`]), shared live collections ([`live`]), keyed table rows
//! ([`rows`]) and the Flux sync status ([`sync`]).

pub mod dom;
pub mod lifecycle;
pub mod live;
pub mod rows;
pub mod sync;

use lookout_client::{Auth, Connection, Secret};
use wasm_bindgen::prelude::*;

/// Lookout's styles, for a widget's shadow root (the host page's styles do not reach inside).
pub const STYLES: &str = concat!(
    include_str!("../../styles/tokens.css"),
    include_str!("../../styles/components.css")
);

/// What every widget adds to its styles to read as part of a GitLab page: Pajamas' text sizes
/// (14 px, 12 px secondary), GitLab's colour mode (the container's `data-page-theme`, from the
/// `gl-dark`/`gl-light` class on `<html>`, see [`shadow_container`]) and GitLab's own colours where
/// the page defines Pajamas' CSS variables (they inherit into the shadow root; GitLab switches them
/// with its mode). A `theme` the host names (the body's `data-theme`) keeps Lookout's palette.
pub const GITLAB_PAGE_STYLES: &str = r#"
.lo-widget { --lo-text-md: 14px; --lo-text-sm: 12px; font-size: 14px;
  --lo-own-bg: var(--lo-bg); --lo-own-bg-subtle: var(--lo-bg-subtle); --lo-own-fg: var(--lo-fg);
  --lo-own-fg-muted: var(--lo-fg-muted); --lo-own-border: var(--lo-border);
  --lo-own-ok-fg: var(--lo-ok-fg); --lo-own-ok-bg: var(--lo-ok-bg);
  --lo-own-progress-fg: var(--lo-progress-fg); --lo-own-progress-bg: var(--lo-progress-bg);
  --lo-own-error-fg: var(--lo-error-fg); --lo-own-error-bg: var(--lo-error-bg);
  --lo-own-unknown-fg: var(--lo-unknown-fg); --lo-own-unknown-bg: var(--lo-unknown-bg); }
.lo-widget[data-page-theme="light"] { color-scheme: light; }
.lo-widget[data-page-theme="dark"] { color-scheme: dark; }
.lo-widget__body:not([data-theme="light"], [data-theme="dark"]) {
  --lo-bg: var(--gl-background-color-default, var(--lo-own-bg));
  --lo-bg-subtle: var(--gl-background-color-subtle, var(--lo-own-bg-subtle));
  --lo-fg: var(--gl-text-color-default, var(--lo-own-fg));
  --lo-fg-muted: var(--gl-text-color-subtle, var(--lo-own-fg-muted));
  --lo-border: var(--gl-border-color-default, var(--lo-own-border));
  --lo-ok-fg: var(--gl-status-success-text-color, var(--lo-own-ok-fg));
  --lo-ok-bg: var(--gl-status-success-background-color, var(--lo-own-ok-bg));
  --lo-progress-fg: var(--gl-status-warning-text-color, var(--lo-own-progress-fg));
  --lo-progress-bg: var(--gl-status-warning-background-color, var(--lo-own-progress-bg));
  --lo-error-fg: var(--gl-status-danger-text-color, var(--lo-own-error-fg));
  --lo-error-bg: var(--gl-status-danger-background-color, var(--lo-own-error-bg));
  --lo-unknown-fg: var(--gl-status-neutral-text-color, var(--lo-own-unknown-fg));
  --lo-unknown-bg: var(--gl-status-neutral-background-color, var(--lo-own-unknown-bg)); }
"#;

/// One setting: its attribute, its `mount` option name (camelCased) and where it is kept.
type Attribute = (&'static str, &'static str, fn(&mut Settings) -> &mut String);

/// The widgets' attributes: the one list of them (adding one here is all it takes).
pub const ATTRIBUTES: [Attribute; 6] = [
    ("kas-url", "kasUrl", |s| &mut s.kas_url),
    ("agent-id", "agentId", |s| &mut s.agent_id),
    ("namespace", "namespace", |s| &mut s.namespace),
    ("flux-resource", "fluxResource", |s| &mut s.flux_resource),
    ("auth", "auth", |s| &mut s.auth),
    ("theme", "theme", |s| &mut s.theme),
];

/// A widget's settings (its attributes).
#[derive(Clone, PartialEq, Default)]
pub struct Settings {
    pub kas_url: String,
    pub agent_id: String,
    pub namespace: String,
    pub flux_resource: String,
    pub auth: String,
    /// A personal access token (only from `mount` options).
    pub token: Option<String>,
    pub theme: String,
}

impl Settings {
    /// Sets the setting an attribute or `mount` option names; other names are ignored.
    pub fn set(&mut self, name: &str, value: String) {
        if let Some((_, _, field)) = ATTRIBUTES.iter().find(|(a, o, _)| name == *a || name == *o) {
            *field(self) = value;
        }
    }

    /// The settings of a custom element's attributes.
    pub fn of_element(host: &web_sys::HtmlElement) -> Settings {
        let mut settings = Settings::default();
        for (attr, _, _) in ATTRIBUTES {
            if let Some(v) = host.get_attribute(attr) {
                settings.set(attr, v);
            }
        }
        settings
    }

    /// The settings of `mount`'s options (strings or numbers), with its `kind` option.
    pub fn of_options(options: &JsValue) -> (Settings, Option<String>) {
        let get = |k: &str| {
            js_sys::Reflect::get(options, &JsValue::from_str(k))
                .ok()
                .and_then(|v| v.as_string().or_else(|| number(&v)))
        };
        let mut settings = Settings::default();
        for (_, key, _) in ATTRIBUTES {
            if let Some(v) = get(key) {
                settings.set(key, v);
            }
        }
        settings.token = get("token");
        (settings, get("kind"))
    }

    /// The connection these settings describe, or what is wrong with them.
    pub fn connection(&self) -> Result<Connection, String> {
        if self.kas_url.is_empty() {
            return Err("kas-url is missing: set it to the KAS URL ending in /k8s-proxy".into());
        }
        let agent_id: u64 = self
            .agent_id
            .parse()
            .map_err(|_| format!("agent-id {:?} is not a number", self.agent_id))?;
        let auth = match self.auth.as_str() {
            "" | "gitlab-session" => Auth::GitLabSession {
                agent_id,
                csrf_token: Secret::new(csrf_token().ok_or(
                    "no CSRF token: the host page has no meta[name=csrf-token] (is it a GitLab page?)",
                )?),
            },
            "pat" => Auth::PersonalAccessToken {
                agent_id,
                token: Secret::new(self.token.clone().ok_or(
                    "auth=pat needs a token: pass it to mount(element, { token }) — never as an attribute",
                )?),
            },
            other => return Err(format!("auth {other:?} is not gitlab-session or pat")),
        };
        Ok(Connection::new(&self.kas_url, auth))
    }
}

/// A whole number option (`agentId: 1`) as text; integer formatting only, as float formatting
/// would cost the bundles kilobytes.
fn number(v: &JsValue) -> Option<String> {
    let n = v.as_f64()?;
    (n.fract() == 0.0 && n.abs() < 9.0e15).then(|| (n as i64).to_string())
}

/// The page's document (widgets run in a window only).
pub fn document() -> Result<web_sys::Document, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("Lookout widgets need a page with a document"))
}

/// The host page's CSRF token, as GitLab pages carry it.
fn csrf_token() -> Option<String> {
    document()
        .ok()?
        .query_selector("meta[name=csrf-token]")
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"))
        .filter(|t| !t.is_empty())
}

/// Sends a `CustomEvent` from the widget's element (bubbling, crossing shadow boundaries) once
/// the current task is done (a microtask): a host listener that changes an attribute then
/// re-renders a widget that is not halfway through rendering or telling its readers.
pub fn emit(host: &web_sys::HtmlElement, name: &str, detail: &[(&str, &str)]) {
    let object = js_sys::Object::new();
    for (k, v) in detail {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&object);
    init.set_bubbles(true);
    init.set_composed(true);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let host = host.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = host.dispatch_event(&event);
        });
    }
}

/// A widget's styles and container (`.lo-widget`) in its shadow root, the container following
/// GitLab's colour mode until [`ShadowContainer::remove`] (or dropping it) stops that and removes
/// both.
pub struct ShadowContainer {
    style: web_sys::Element,
    container: web_sys::HtmlElement,
    /// Stops following the page's colour mode.
    unfollow: js_sys::Function,
    /// Set once removed: a removed widget renders nothing again.
    removed: std::cell::Cell<bool>,
}

impl ShadowContainer {
    /// The element the widget renders into.
    pub fn container(&self) -> &web_sys::HtmlElement {
        &self.container
    }

    /// Whether [`ShadowContainer::remove`] ran.
    pub fn is_removed(&self) -> bool {
        self.removed.get()
    }

    /// Stops following the page's colour mode and removes the styles and the container.
    pub fn remove(&self) {
        self.removed.set(true);
        let _ = self.unfollow.call0(&JsValue::UNDEFINED);
        self.style.remove();
        self.container.remove();
    }
}

impl Drop for ShadowContainer {
    fn drop(&mut self) {
        self.remove();
    }
}

/// Fills a widget's shadow root with `styles` (and [`GITLAB_PAGE_STYLES`]) and the widget's
/// container, replacing what an earlier mount on the same element left there.
pub fn shadow_container(
    root: &web_sys::ShadowRoot,
    styles: &str,
) -> Result<ShadowContainer, JsValue> {
    let doc = document()?;
    let style = doc.create_element("style")?;
    style.set_text_content(Some(&[styles, GITLAB_PAGE_STYLES].concat()));
    let container = doc
        .create_element("div")?
        .dyn_into::<web_sys::HtmlElement>()?;
    container.set_class_name("lo-widget");
    root.set_inner_html("");
    root.append_child(&style)?;
    root.append_child(&container)?;
    let unfollow = follow_page_theme(&container);
    Ok(ShadowContainer {
        style,
        container,
        unfollow,
        removed: std::cell::Cell::new(false),
    })
}

/// The shadow root of `mount`'s element: the one it has, or a new open one.
pub fn shadow_root_of(element: &web_sys::HtmlElement) -> Result<web_sys::ShadowRoot, JsValue> {
    match element.shadow_root() {
        Some(r) => Ok(r),
        None => element.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open)),
    }
}

/// The `mountElement` callback the custom elements call from `connectedCallback`.
pub type MountElement =
    Closure<dyn Fn(web_sys::ShadowRoot, web_sys::HtmlElement, String) -> JsValue>;

/// Defines the custom elements `names` (unless the page has them already), each calling `mount`
/// when connected; the widgets it returns get attribute changes (`set`) and removal (`unmount`).
pub fn define(
    names: &[&str],
    mount: fn(web_sys::ShadowRoot, web_sys::HtmlElement, String) -> JsValue,
) {
    let mount = MountElement::new(mount);
    let attributes = ATTRIBUTES
        .iter()
        .map(|(a, _, _)| JsValue::from_str(a))
        .collect();
    let names = names.iter().map(|n| JsValue::from_str(n)).collect();
    define_elements(&mount, attributes, names);
    // The elements keep calling it for the page's lifetime.
    mount.forget();
}

#[wasm_bindgen(inline_js = r#"
export function follow_page_theme(container) {
  const html = document.documentElement;
  const apply = () => {
    const mode = html.classList.contains('gl-dark') ? 'dark' : html.classList.contains('gl-light') ? 'light' : '';
    if (mode) container.dataset.pageTheme = mode; else delete container.dataset.pageTheme;
  };
  apply();
  // GitLab switches its mode by the class on <html>.
  const observer = new MutationObserver(apply);
  observer.observe(html, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}

export function define_elements(mountElement, attributes, names) {
  class LookoutWidget extends HTMLElement {
    static get observedAttributes() { return attributes; }
    connectedCallback() {
      if (this._widget) return;
      const root = this.shadowRoot || this.attachShadow({ mode: 'open' });
      this._widget = mountElement(root, this, this.localName);
    }
    attributeChangedCallback(name, old, value) {
      if (this._widget && old !== value) this._widget.set(name, value);
    }
    disconnectedCallback() {
      if (!this._widget) return;
      this._widget.unmount();
      this._widget.free();
      this._widget = null;
    }
  }
  for (const name of names) {
    if (!customElements.get(name)) customElements.define(name, class extends LookoutWidget {});
  }
}
"#)]
extern "C" {
    /// Keeps `container`'s `data-page-theme` at GitLab's colour mode (`gl-dark`/`gl-light` on
    /// `<html>`; none: the OS's) until the function it returns is called.
    fn follow_page_theme(container: &web_sys::HtmlElement) -> js_sys::Function;
    fn define_elements(mount: &MountElement, attributes: Vec<JsValue>, names: Vec<JsValue>);
}
