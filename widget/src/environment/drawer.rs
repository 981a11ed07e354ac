//! The details drawer, loaded on first use: the drawer bundle (`app/src/drawer.rs`, Leptos: YAML,
//! events, live log) is imported by the first click on a row, never before, and mounted beside
//! the tables with the widget's settings.

use lookout_client::view::route::ObjectRoute;
use lookout_widget::dom::{element, listen};
use lookout_widget::Settings;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::Element;

#[wasm_bindgen(inline_js = r#"
// This file is the bundle's snippets/<crate>/inline<n>.js: the drawer bundle is built to drawer/
// beside the bundle (scripts/lib.sh).
export function drawer_url() {
  return new URL('../../drawer/lookout-drawer.js', import.meta.url).href;
}
export async function mount_drawer(url, element, options) {
  const bundle = await import(url);
  await bundle.default();
  return bundle.mount(element, options);
}
export function recolour_drawer(drawer, theme) {
  drawer.set('theme', theme);
}
export function unmount_drawer(drawer) {
  drawer.unmount();
  drawer.free();
}
"#)]
extern "C" {
    fn drawer_url() -> String;
    #[wasm_bindgen(catch)]
    async fn mount_drawer(
        url: String,
        element: Element,
        options: JsValue,
    ) -> Result<JsValue, JsValue>;
    fn recolour_drawer(drawer: &JsValue, theme: &str);
    fn unmount_drawer(drawer: &JsValue);
}

/// The open drawer: its host element, the mounted drawer once loaded, the widget's theme now (a
/// new one may come while the bundle loads), and its close listener.
struct Open {
    host: Element,
    drawer: Option<JsValue>,
    theme: String,
    _close: Closure<dyn Fn(web_sys::Event)>,
}

/// Where drawers open, and the one open now.
pub struct Drawer {
    parent: Element,
    open: RefCell<Option<Open>>,
}

impl Drop for Drawer {
    fn drop(&mut self) {
        self.close();
    }
}

/// `mount` options of the drawer bundle for `route`: the widget's settings (the token included,
/// which never becomes an attribute) and the object.
fn options(settings: &Settings, route: &ObjectRoute) -> JsValue {
    let object = js_sys::Object::new();
    let mut entries: Vec<(&str, &str)> = vec![
        ("kasUrl", &settings.kas_url),
        ("agentId", &settings.agent_id),
        ("auth", &settings.auth),
        ("theme", &settings.theme),
        ("group", &route.group),
        ("version", &route.version),
        ("kind", &route.kind),
        ("namespace", &route.namespace),
        ("name", &route.name),
    ];
    if let Some(token) = &settings.token {
        entries.push(("token", token));
    }
    for (k, v) in entries {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    object.into()
}

impl Drawer {
    /// Drawers open at the end of `parent`.
    pub fn new(parent: Element) -> Rc<Drawer> {
        Rc::new(Drawer {
            parent,
            open: RefCell::new(None),
        })
    }

    /// Opens `route` in the drawer (closing the one open), loading the drawer bundle first if
    /// this is its first use.
    pub fn open(
        this: &Rc<Drawer>,
        settings: &Settings,
        route: &ObjectRoute,
    ) -> Result<(), JsValue> {
        this.close();
        let host = element(&this.parent, "div", &[("class", "lo-drawer-host")])?;
        let weak = Rc::downgrade(this);
        let close = listen(&host, "lookout-close", move |_| {
            // After this listener returns: closing drops it.
            let weak = weak.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(d) = weak.upgrade() {
                    d.close();
                }
            });
        })?;
        *this.open.borrow_mut() = Some(Open {
            host: host.clone(),
            drawer: None,
            theme: settings.theme.clone(),
            _close: close,
        });
        let weak = Rc::downgrade(this);
        let options = options(settings, route);
        wasm_bindgen_futures::spawn_local(async move {
            match mount_drawer(drawer_url(), host.clone(), options).await {
                Ok(drawer) => {
                    let current = weak
                        .upgrade()
                        .filter(|d| d.open.borrow().as_ref().is_some_and(|o| o.host == host));
                    match current {
                        Some(d) => {
                            if let Some(open) = d.open.borrow_mut().as_mut() {
                                recolour_drawer(&drawer, &open.theme);
                                open.drawer = Some(drawer);
                            }
                        }
                        // Closed while loading.
                        None => unmount_drawer(&drawer),
                    }
                }
                Err(e) => {
                    web_sys::console::error_1(&e);
                    host.set_text_content(Some("The details could not be loaded."));
                    let _ = host.set_attribute("class", "lo-error");
                    let _ = host.set_attribute("role", "alert");
                }
            }
        });
        Ok(())
    }

    /// Shows the open drawer, if any, in `theme` (the widget's new theme); one still loading
    /// takes it once mounted.
    pub fn recolour(&self, theme: &str) {
        if let Some(open) = self.open.borrow_mut().as_mut() {
            open.theme = theme.to_owned();
            if let Some(drawer) = &open.drawer {
                recolour_drawer(drawer, theme);
            }
        }
    }

    /// Closes the open drawer, if any (its watches close with it).
    pub fn close(&self) {
        let Some(open) = self.open.borrow_mut().take() else {
            return;
        };
        if let Some(drawer) = &open.drawer {
            unmount_drawer(drawer);
        }
        open.host.remove();
    }
}
