//! What a mounted Leptos-free widget does when a setting changes or it is removed, the same for
//! every element: a value that changes nothing keeps its watches, a new theme only recolours it,
//! anything else re-renders it for the new settings.

use crate::Settings;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

/// A widget's rendering, as its element drives it.
pub trait Rendering {
    /// Its settings.
    fn settings(&self) -> &RefCell<Settings>;
    /// The container it renders into (in its shadow root).
    fn container(&self) -> &HtmlElement;
    /// (Re)renders for the current settings and starts their watches.
    fn restart(this: &Rc<Self>);
    /// Stops its watches.
    fn stop(&self);
}

/// Changes one setting (an attribute name) of `widget`.
pub fn set<W: Rendering>(widget: &Rc<W>, name: &str, value: Option<String>) {
    let before = widget.settings().borrow().clone();
    let mut after = before.clone();
    after.set(name, value.unwrap_or_default());
    if after == before {
        return;
    }
    let only_theme = Settings {
        theme: after.theme.clone(),
        ..before
    } == after;
    let theme = after.theme.clone();
    *widget.settings().borrow_mut() = after;
    if only_theme {
        apply_theme(widget.container(), &theme);
    } else {
        W::restart(widget);
    }
}

/// Removes `widget`: stops its watches and empties its container.
pub fn unmount<W: Rendering>(widget: &W) {
    widget.stop();
    widget.container().set_text_content(None);
}

/// Sets the `data-theme` of the widget's body (`.lo-widget__body` in `container`) to `theme`
/// (none: the host page's / the OS's).
pub fn apply_theme(container: &HtmlElement, theme: &str) {
    let body = container
        .query_selector(".lo-widget__body")
        .and_then(|b| b.ok_or_else(|| JsValue::from_str("the widget's body is not rendered")));
    crate::dom::report(body.and_then(|body| {
        if theme.is_empty() {
            body.remove_attribute("data-theme")
        } else {
            body.set_attribute("data-theme", theme)
        }
    }));
}
