//! Plain-DOM building for the Leptos-free widgets. Untrusted strings only ever become text nodes
//! or attribute values, never markup.

use crate::document;
use wasm_bindgen::prelude::*;
use web_sys::Element;

/// A new `tag` element with `attributes`, appended to `parent`.
pub fn element(
    parent: &Element,
    tag: &str,
    attributes: &[(&str, &str)],
) -> Result<Element, JsValue> {
    let el = document()?.create_element(tag)?;
    for (name, value) in attributes {
        el.set_attribute(name, value)?;
    }
    parent.append_child(&el)?;
    Ok(el)
}

/// A new `tag` element with `attributes` and text `content`, appended to `parent`.
pub fn text(
    parent: &Element,
    tag: &str,
    attributes: &[(&str, &str)],
    content: &str,
) -> Result<Element, JsValue> {
    let el = element(parent, tag, attributes)?;
    el.set_text_content(Some(content));
    Ok(el)
}

/// Calls `handler` on each `event` of `target` for as long as the returned closure lives.
pub fn listen(
    target: &Element,
    event: &str,
    handler: impl Fn(web_sys::Event) + 'static,
) -> Result<Closure<dyn Fn(web_sys::Event)>, JsValue> {
    let closure = Closure::<dyn Fn(web_sys::Event)>::new(handler);
    target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())?;
    Ok(closure)
}

/// Logs a rendering failure (a widget keeps running).
pub fn report(result: Result<(), JsValue>) {
    if let Err(e) = result {
        web_sys::console::error_1(&e);
    }
}
