//! The environment widget bundle for GitLab environment pages: registers `<lookout-environment>`
//! and exports `mount(element, options)` (either widget) for hosts that would rather not use custom
//! elements. `<lookout-flux-status>` has its own, much smaller bundle (`widget/src/flux_status.rs`). Each widget renders in its own Shadow DOM (with Lookout's styles inside),
//! re-targets when an attribute changes, reports its state with DOM events, and closes its watches
//! when removed from the page.
//!
//! Attributes (and `mount` options, camelCased): `kas-url` (the KAS `…/k8s-proxy` URL), `agent-id`,
//! `namespace`, `flux-resource` (`kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/app`),
//! `auth` (`gitlab-session`, the default: the session cookie plus the CSRF token of the host's
//! `meta[name=csrf-token]`; or `pat`, with the token given to `mount` only — never an attribute),
//! `theme` (`light`, `dark`, or follow the system).
//!
//! Events on the element: `lookout-status` (`detail: {state, badge, revision, message}`) when the
//! sync status changes, `lookout-error` (`detail: {kind, message}`) when the view cannot load.

use leptos::prelude::*;
use lookout_client::api::actions::Action;
use lookout_client::model::flux::FluxResourceRef;
use lookout_client::model::Object;
use lookout_client::status::flux::sync_status;
use lookout_client::view::catalogue::{capabilities, entry, Tab};
use lookout_client::view::route::ObjectRoute;
use lookout_client::{model::kinds, Pod, Selector, WatchState};
use lookout_components::{
    use_action, use_collection, use_now, use_object, use_objects, use_pod_log, use_workload_counts,
    ActionButton, ConnectionStatus, ErrorPanel, EventsTable, FluxSyncStatus, LogViewer, PodTable,
    ResourceTable, UseObjectReturn, UseObjectsReturn, UsePodLogOptions, WorkloadSummary, YamlView,
};
use lookout_widget::{emit, Settings};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// Which widget.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Environment,
    FluxStatus,
}

/// A mounted widget: change its settings or remove it.
#[wasm_bindgen]
pub struct Widget {
    settings: RwSignal<Settings>,
    handle: Option<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
}

#[wasm_bindgen]
impl Widget {
    /// Changes one setting (an attribute name); the widget re-targets at once.
    pub fn set(&self, name: &str, value: Option<String>) {
        self.settings
            .update(|s| s.set(name, value.unwrap_or_default()));
    }

    /// Removes the widget and closes its watches.
    pub fn unmount(&mut self) {
        self.handle = None;
    }
}

/// Mounts a widget into `root` (a shadow root), reporting events on `host`.
fn mount_widget(
    root: &web_sys::ShadowRoot,
    host: web_sys::HtmlElement,
    kind: Kind,
    settings: Settings,
) -> Result<Widget, JsValue> {
    let container = lookout_widget::shadow_container(root, lookout_widget::STYLES)?;
    let settings = RwSignal::new(settings);
    let handle = leptos::mount::mount_to(container, move || {
        view! { <WidgetView kind=kind settings=settings host=send_wrapper::SendWrapper::new(host) /> }
            .into_any()
    });
    Ok(Widget {
        settings,
        handle: Some(handle),
    })
}

/// `mount(element, options)`: the widget without custom elements. `options.kind` is
/// `"environment"` (default) or `"flux-status"`; the other options are the attributes,
/// camelCased (`kasUrl`, `agentId`, `namespace`, `fluxResource`, `auth`, `token`, `theme`).
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, options: JsValue) -> Result<Widget, JsValue> {
    let (settings, kind) = Settings::of_options(&options);
    let kind = match kind.as_deref() {
        Some("flux-status") => Kind::FluxStatus,
        _ => Kind::Environment,
    };
    let root = lookout_widget::shadow_root_of(&element)?;
    mount_widget(&root, element, kind, settings)
}

/// Called by `<lookout-environment>`'s `connectedCallback`.
fn mount_element(root: web_sys::ShadowRoot, host: web_sys::HtmlElement, _name: String) -> JsValue {
    let settings = Settings::of_element(&host);
    match mount_widget(&root, host, Kind::Environment, settings) {
        Ok(w) => w.into(),
        Err(e) => e,
    }
}

/// The settings' view: an error for bad settings, else the widget for them (rebuilt, with new
/// watches, when a setting changes).
#[component]
fn WidgetView(
    kind: Kind,
    settings: RwSignal<Settings>,
    host: send_wrapper::SendWrapper<web_sys::HtmlElement>,
) -> impl IntoView {
    let theme = move || settings.with(|s| s.theme.clone());
    view! {
        <div class="lo-widget__body" data-theme=theme>
            {move || {
                let s = settings.get();
                let host = host.clone();
                match s.connection() {
                    Err(problem) => {
                        emit(&host, "lookout-error", &[("kind", "Settings"), ("message", &problem)]);
                        view! { <p class="lo-error" role="alert">{problem}</p> }.into_any()
                    }
                    Ok(connection) => {
                        // Every watch of this agent over one WebSocket to KAS's watch aggregator.
                        lookout_components::live::use_websocket_for(&connection);
                        provide_context(connection);
                        match kind {
                            Kind::FluxStatus => view! { <FluxStatusWidget settings=s host=host /> }.into_any(),
                            Kind::Environment => view! { <EnvironmentWidget settings=s host=host /> }.into_any(),
                        }
                    }
                }
            }}
        </div>
    }
}

/// Reports a watch that cannot load as a `lookout-error` event.
fn report_errors(state: Signal<WatchState>, host: send_wrapper::SendWrapper<web_sys::HtmlElement>) {
    Effect::new(move |_| {
        if let WatchState::Retrying { error, .. } = state.get() {
            if let Some((title, _)) = lookout_client::api::error::advice(&error) {
                emit(
                    &host,
                    "lookout-error",
                    &[("kind", title), ("message", &error.to_string())],
                );
            }
        }
    });
}

/// What a widget knows of its Flux object: which it is, its JSON, its source's Git URL, and its
/// watch.
type FluxObject = (
    FluxResourceRef,
    Signal<Value>,
    Signal<Option<String>>,
    UseObjectsReturn<Object>,
);

/// The watched Flux object of the settings and the Git URL of its source.
fn flux_object(
    settings: &Settings,
    host: send_wrapper::SendWrapper<web_sys::HtmlElement>,
) -> Result<FluxObject, String> {
    // A bad `flux-resource` is reported to the host page like any other bad setting.
    let target = FluxResourceRef::parse(&settings.flux_resource).inspect_err(|problem| {
        emit(
            &host,
            "lookout-error",
            &[("kind", "Settings"), ("message", problem)],
        );
    })?;
    let UseObjectReturn { value, live, .. } =
        use_object(target.api.clone(), &target.namespace, &target.name);
    // The source's URL makes the revision a commit link (GitRepository sources only).
    let source = Signal::derive(move || value.with(lookout_client::model::flux::source_ref));
    let source_ns = target.namespace.clone();
    let repos = use_objects::<Object>(kinds::GIT_REPOSITORY, move || Selector {
        namespace: Some(
            source
                .get()
                .map_or_else(|| source_ns.clone(), |s| s.namespace),
        ),
        ..Selector::default()
    });
    let url = Signal::derive(move || {
        let wanted = source.get()?;
        repos.rows.with(|r| {
            r.iter()
                .find(|o| o.metadata.name == wanted.name && wanted.kind == "GitRepository")
                .and_then(|o| {
                    o.value
                        .pointer("/spec/url")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                })
        })
    });
    let last = StoredValue::new(String::new());
    let report = move || {
        let (status, message) = value.with_untracked(sync_status);
        let revision = value
            .with_untracked(lookout_client::model::flux::revisions)
            .applied
            .unwrap_or_default();
        let key = format!("{}|{revision}|{message}", status.as_str());
        if last.get_value() != key {
            last.set_value(key);
            host.set_attribute("data-state", status.as_str()).ok();
            emit(
                &host,
                "lookout-status",
                &[
                    ("state", status.as_str()),
                    ("badge", status.badge()),
                    ("revision", &revision),
                    ("message", &message),
                ],
            );
        }
    };
    // Rows and state are published in the same frame: once live, the object is there or gone.
    Effect::new(move |_| {
        if live.state.with(|s| matches!(s, WatchState::Live)) {
            value.track();
            report();
        }
    });
    Ok((target, value, url, live))
}

/// `<lookout-flux-status>`: the sync badge with revision and message.
#[component]
fn FluxStatusWidget(
    settings: Settings,
    host: send_wrapper::SendWrapper<web_sys::HtmlElement>,
) -> impl IntoView {
    let now = use_now();
    match flux_object(&settings, host.clone()) {
        Err(problem) => view! { <p class="lo-error" role="alert">{problem}</p> }.into_any(),
        Ok((_, value, url, live)) => {
            report_errors(live.state, host);
            view! {
                <FluxSyncStatus object=value source_url=url now=now compact=true />
                <ErrorPanel state=live.state retry=live.retry />
            }
            .into_any()
        }
    }
}

/// `<lookout-environment>`: what GitLab shows on an environment page, live, with a details drawer.
#[component]
fn EnvironmentWidget(
    settings: Settings,
    host: send_wrapper::SendWrapper<web_sys::HtmlElement>,
) -> impl IntoView {
    let now = use_now();
    let namespace = settings.namespace.clone();
    let scope = Signal::stored(Some(namespace.clone()).filter(|n| !n.is_empty()));
    let flux = (!settings.flux_resource.is_empty()).then(|| match flux_object(&settings, host.clone()) {
        Err(problem) => view! { <p class="lo-error" role="alert">{problem}</p> }.into_any(),
        Ok((target, value, url, live)) => {
            report_errors(live.state, host.clone());
            let suspended = Signal::derive(move || value.with(lookout_client::model::flux::suspended));
            let t = target.clone();
            view! {
                <div class="lo-toolbar">
                    <FluxSyncStatus object=value source_url=url now=now />
                    {move || {
                        let act = |action| use_action(t.api.clone(), t.namespace.clone(), t.name.clone(), action);
                        view! {
                            <ActionButton action=act(Action::Reconcile) label="Reconcile" disabled=suspended.get() />
                            <ActionButton action=act(Action::Suspend(!suspended.get())) label=if suspended.get() { "Resume" } else { "Suspend" } disabled=false />
                        }
                    }}
                </div>
                <ErrorPanel state=live.state retry=live.retry />
            }
            .into_any()
        }
    });
    let pods = use_collection::<Pod>(move || Selector {
        namespace: scope.get(),
        ..Selector::default()
    });
    report_errors(pods.state, host.clone());
    let services = use_objects::<Object>(kinds::SERVICE, move || Selector {
        namespace: scope.get(),
        ..Selector::default()
    });
    let workloads = use_workload_counts(scope);
    let open = RwSignal::new(None::<ObjectRoute>);
    let on_open = Callback::new(move |r: ObjectRoute| open.set(Some(r)));
    view! {
        <section class="lo-env" aria-label=format!("Environment: namespace {namespace}")>
            {flux}
            <ErrorPanel state=pods.state retry=pods.retry />
            <WorkloadSummary workloads=workloads />
            <div class="lo-toolbar"><h3>"Pods"</h3><ConnectionStatus state=pods.state /></div>
            <PodTable pods=pods.rows now=now loading=pods.loading on_open=on_open />
            <h3>"Services"</h3>
            <ResourceTable api=kinds::SERVICE rows=services.rows now=now on_open=on_open label="Services" />
            {move || open.get().map(|r| view! { <Drawer object=r close=Callback::new(move |_| open.set(None)) /> })}
        </section>
    }
}

/// The details of one object beside the widget: YAML, events and (for pods) the live log.
#[component]
fn Drawer(object: ObjectRoute, close: Callback<()>) -> impl IntoView {
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
    lookout_widget::define(&["lookout-environment"], mount_element);
}
