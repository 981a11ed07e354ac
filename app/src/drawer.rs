//! The details drawer of `<lookout-environment>`, its own bundle (Leptos): YAML, events and (for
//! pods) the live log of one object. The environment bundle (`widget/src/environment/`) imports
//! it on the first click on a row, never before, and mounts it with `mount(element, options)`:
//! the widget's settings (`kasUrl`, `agentId`, `auth`, `token`, `theme`; see `widget/src/lib.rs`)
//! and the object (`group`, `version`, `kind`, `namespace`, `name`). Its Close button sends `lookout-close`
//! (not bubbling) on the element; the environment then unmounts it, closing its watches.

use leptos::prelude::*;
use lookout_client::view::catalogue::{capabilities, entry, Tab};
use lookout_client::view::route::ObjectRoute;
use lookout_client::{model::kinds, model::Object, Selector};
use lookout_components::{
    use_now, use_object, use_objects, use_pod_log, EventsTable, LogViewer, UsePodLogOptions,
    YamlView,
};
use lookout_widget::Settings;
use wasm_bindgen::prelude::*;

/// A mounted drawer: recolour it, or remove it to close its watches.
#[wasm_bindgen]
pub struct Drawer {
    theme: RwSignal<String>,
    handle: Option<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
    /// Its styles and container in the element's shadow root (removed with it).
    shadow: Option<lookout_widget::ShadowContainer>,
}

#[wasm_bindgen]
impl Drawer {
    /// Changes one setting; only `theme` applies to an open drawer (the widget opens another
    /// drawer for other settings).
    pub fn set(&self, name: &str, value: Option<String>) {
        if name == "theme" {
            self.theme.set(value.unwrap_or_default());
        }
    }

    /// Removes the drawer (its styles and container too) and closes its watches.
    pub fn unmount(&mut self) {
        self.handle = None;
        self.shadow = None;
    }
}

/// The object `mount`'s options name, or what is missing.
fn object_of(options: &JsValue) -> Result<ObjectRoute, String> {
    let get = |k: &str| {
        js_sys::Reflect::get(options, &JsValue::from_str(k))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let route = ObjectRoute {
        group: get("group"),
        version: get("version"),
        kind: get("kind"),
        namespace: get("namespace"),
        name: get("name"),
    };
    if route.kind.is_empty() || route.name.is_empty() {
        return Err("the drawer needs the object's kind and name (options kind, name)".into());
    }
    Ok(route)
}

/// `mount(element, options)`: the drawer of the object `options` names, in `element`'s shadow
/// root, over the connection the settings describe.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, options: JsValue) -> Result<Drawer, JsValue> {
    let (settings, _) = Settings::of_options(&options);
    let object = object_of(&options).map_err(|e| JsValue::from_str(&e))?;
    let connection = settings.connection().map_err(|e| JsValue::from_str(&e))?;
    let root = lookout_widget::shadow_root_of(&element)?;
    let shadow = lookout_widget::shadow_container(&root, lookout_widget::STYLES)?;
    let container = shadow.container().clone();
    let host = send_wrapper::SendWrapper::new(element);
    let theme = RwSignal::new(settings.theme);
    let handle = leptos::mount::mount_to(container, move || {
        // Every watch of this agent over one WebSocket to KAS's watch aggregator.
        lookout_components::live::use_websocket_for(&connection);
        provide_context(connection);
        let close = Callback::new(move |()| {
            if let Ok(event) = web_sys::Event::new("lookout-close") {
                let _ = host.dispatch_event(&event);
            }
        });
        view! {
            <div class="lo-widget__body" data-theme=move || Some(theme.get()).filter(|t| !t.is_empty())>
                <DrawerView object=object close=close />
            </div>
        }
        .into_any()
    });
    Ok(Drawer {
        theme,
        handle: Some(handle),
        shadow: Some(shadow),
    })
}

/// The details of one object beside the widget: YAML, events and (for pods) the live log.
#[component]
fn DrawerView(object: ObjectRoute, close: Callback<()>) -> impl IntoView {
    let now = use_now();
    let tab = RwSignal::new(Tab::Events);
    // The drawer opens rows of the widget's tables: pods and services.
    let Some(api) = entry(&object.group, &object.kind).map(|e| e.api.clone()) else {
        return view! { <p class="lo-error" role="alert">"Unknown kind"</p> }.into_any();
    };
    let value = use_object(api.clone(), &object.namespace, &object.name).value;
    let selector = Selector::events_of(&object.kind, &object.namespace, &object.name);
    let events = use_objects::<Object>(kinds::EVENT, move || selector.clone());
    let can = capabilities(&api.group, &api.kind);
    // The log is read while its tab is open only: it holds one of the page's HTTP connections.
    let log = can.logs.then(|| {
        let reading = Signal::derive(move || tab.get() == Tab::Logs);
        use_pod_log(
            &object.namespace,
            &object.name,
            UsePodLogOptions::default().active(reading),
        )
    });
    let title = format!("{} {}/{}", object.kind, object.namespace, object.name);
    let tabs: Vec<Tab> = [Tab::Events, Tab::Logs, Tab::Yaml]
        .into_iter()
        .filter(|t| *t != Tab::Logs || can.logs)
        .collect();
    let label = title.clone();
    view! {
        <aside class="lo-drawer" role="dialog" aria-label=label>
            <div class="lo-toolbar">
                <h3>{title}</h3>
                <button type="button" class="lo-button" on:click=move |_| close.run(())>"Close"</button>
            </div>
            <div class="lo-tabs" role="tablist">
                {tabs.into_iter().map(|t| {
                    view! { <button type="button" role="tab" class="lo-tab" aria-selected=move || (tab.get() == t).to_string() on:click=move |_| tab.set(t)>{t.label()}</button> }
                }).collect_view()}
            </div>
            {move || match (tab.get(), log) {
                (Tab::Yaml, _) => view! { <YamlView object=value /> }.into_any(),
                (Tab::Logs, Some(log)) => view! { <LogViewer log=log /> }.into_any(),
                _ => view! { <EventsTable events=events.items now=now warnings_only=false /> }.into_any(),
            }}
        </aside>
    }
    .into_any()
}

fn main() {
    console_error_panic_hook::set_once();
}
