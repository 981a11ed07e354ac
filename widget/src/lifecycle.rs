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
    /// Shows it in `theme` (none: the host page's / the OS's).
    fn recolour(&self, theme: &str) {
        apply_theme(self.container(), theme);
    }
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
        widget.recolour(&theme);
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

/// Defines a widget bundle's exports around its [`Rendering`] type `$rendering`: the `Widget`
/// handle (`set`, `unmount`), `mount(element, options)` (the attributes as options, camelCased;
/// a `kind` option other than `$kind` is refused), and `main`, which defines the custom element
/// `$tag`. `$new` makes the rendering of its host element, its container (in a shadow root with
/// `$styles`, removed with the widget) and its settings.
#[macro_export]
macro_rules! widget_bundle {
    ($rendering:ty, tag: $tag:literal, kind: $kind:literal, styles: $styles:expr, new: $new:expr $(,)?) => {
        /// A mounted widget: change its settings or remove it.
        #[::wasm_bindgen::prelude::wasm_bindgen]
        pub struct Widget(::std::rc::Rc<$rendering>, $crate::ShadowContainer);

        #[::wasm_bindgen::prelude::wasm_bindgen]
        impl Widget {
            /// Changes one setting (an attribute name); the widget re-targets at once. A value
            /// that changes nothing keeps its watches, and a new theme only recolours it. After
            /// `unmount` it does nothing.
            pub fn set(&self, name: &str, value: Option<String>) {
                if !self.1.is_removed() {
                    $crate::lifecycle::set(&self.0, name, value);
                }
            }

            /// Removes the widget (its styles and container too) and closes its watches.
            pub fn unmount(&mut self) {
                $crate::lifecycle::unmount(&*self.0);
                self.1.remove();
            }
        }

        /// Mounts the widget into `root` (a shadow root), reporting events on `host`.
        fn mount_widget(
            root: &::web_sys::ShadowRoot,
            host: ::web_sys::HtmlElement,
            settings: $crate::Settings,
        ) -> Result<Widget, ::wasm_bindgen::JsValue> {
            let shadow = $crate::shadow_container(root, $styles)?;
            let widget = ::std::rc::Rc::new(($new)(host, shadow.container().clone(), settings));
            <$rendering as $crate::lifecycle::Rendering>::restart(&widget);
            Ok(Widget(widget, shadow))
        }

        /// `mount(element, options)`: the widget without custom elements; the options are the
        /// attributes, camelCased (`kasUrl`, `agentId`, `namespace`, `fluxResource`, `auth`,
        /// `token`, `theme`).
        #[::wasm_bindgen::prelude::wasm_bindgen]
        pub fn mount(
            element: ::web_sys::HtmlElement,
            options: ::wasm_bindgen::JsValue,
        ) -> Result<Widget, ::wasm_bindgen::JsValue> {
            let (settings, kind) = $crate::Settings::of_options(&options);
            if let Some(kind) = kind.filter(|k| k != $kind) {
                // Display, not Debug: string escaping would cost the bundle its tables.
                return Err(::wasm_bindgen::JsValue::from_str(&format!(
                    "kind \"{kind}\": this bundle mounts <{}> only (kind \"{}\")",
                    $tag, $kind
                )));
            }
            let root = $crate::shadow_root_of(&element)?;
            mount_widget(&root, element, settings)
        }

        /// Called by the custom element's `connectedCallback`.
        fn mount_element(
            root: ::web_sys::ShadowRoot,
            host: ::web_sys::HtmlElement,
            _name: String,
        ) -> ::wasm_bindgen::JsValue {
            let settings = $crate::Settings::of_element(&host);
            match mount_widget(&root, host, settings) {
                Ok(w) => w.into(),
                Err(e) => e,
            }
        }

        fn main() {
            $crate::define(&[$tag], mount_element);
        }
    };
}
