//! The `<lookout-environment>` bundle: what GitLab shows on an environment page — the Flux sync
//! status with reconcile and suspend, workload counts by health, and the pods and services of one
//! namespace, live — with none of Leptos. The details drawer (YAML, events, live log) is its own
//! bundle, loaded by the first click on a row ([`drawer`]).
//!
//! Attributes (and `mount(element, options)` options, camelCased): `kas-url`, `agent-id`,
//! `namespace`, `flux-resource`, `auth` (`gitlab-session` or `pat`, whose token is given to
//! `mount` only), `theme` — see `widget/src/lib.rs`. Events on the element: `lookout-status`
//! (`detail: {state, badge, revision, message}`) when the sync status changes, `lookout-error`
//! (`detail: {kind, message}`) when a view cannot load. Removing the element closes its watches.

mod actions;
mod coverage;
mod drawer;
mod table;

use coverage::gap;
use drawer::Drawer;
use lookout_client::api::actions::Action;
use lookout_client::model::flux::{source_ref, suspended, FluxResourceRef};
use lookout_client::model::kinds::{self, plural_label, WORKLOADS};
use lookout_client::model::Object;
use lookout_client::view::table::health_counts;
use lookout_client::{Connection, Pod, Selector, TypedResource, WatchState};
use lookout_widget::dom::{element, listen, report, text};
use lookout_widget::lifecycle::{self, Rendering};
use lookout_widget::live::{request_transport, watch, Subscription, Update};
use lookout_widget::sync::{now, show_problem, show_settings_problem, source_url, tick, SyncView};
use lookout_widget::Settings;
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use table::Table;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement};

/// Of Lookout's styles, the tokens and the rules of what this element renders (`build.rs`).
const STYLES: &str = include_str!(concat!(env!("OUT_DIR"), "/environment.css"));

/// The health buckets of the workload cards, in order.
const BUCKETS: [&str; 3] = ["ready", "progressing", "failed"];

lookout_widget::widget_bundle!(
    Environment,
    tag: "lookout-environment",
    kind: "environment",
    styles: STYLES,
    new: |host, container, settings| Environment {
        host,
        container,
        settings: RefCell::new(settings),
        running: RefCell::new(None),
    }
);

/// The widget: where it renders, its settings, and what its current rendering keeps running.
struct Environment {
    host: HtmlElement,
    container: HtmlElement,
    settings: RefCell<Settings>,
    running: RefCell<Option<Running>>,
}

impl Drop for Environment {
    /// A widget freed without `unmount` closes its watches all the same.
    fn drop(&mut self) {
        self.stop();
    }
}

/// What one rendering keeps alive: watches, listeners, the clock and the drawer. Dropping it
/// stops them all.
#[derive(Default)]
struct Running {
    watches: Vec<Rc<RefCell<Option<Subscription>>>>,
    callbacks: Vec<Closure<dyn Fn()>>,
    listeners: Vec<Closure<dyn Fn(web_sys::Event)>>,
    clock: Option<i32>,
    drawer: Option<Rc<Drawer>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let (Some(id), Some(window)) = (self.clock, web_sys::window()) {
            window.clear_interval_with_handle(id);
        }
        if let Some(drawer) = &self.drawer {
            drawer.close();
        }
    }
}

impl Running {
    /// Joins a watch; `reader` gets its updates and the "Retry now" function restarting it.
    fn watch<T: lookout_client::Resource>(
        &mut self,
        connection: &Connection,
        api: lookout_client::ApiResource,
        selector: Selector,
        reader: impl Fn(Update<'_, T>, &js_sys::Function) + 'static,
    ) {
        let slot: Rc<RefCell<Option<Subscription>>> = Rc::default();
        let held = slot.clone();
        let retry = Closure::<dyn Fn()>::new(move || {
            if let Some(s) = held.borrow().as_ref() {
                s.retry();
            }
        });
        let retry_fn: js_sys::Function = retry.as_ref().clone().unchecked_into();
        *slot.borrow_mut() = Some(watch(connection, api, selector, move |u| {
            reader(u, &retry_fn)
        }));
        self.watches.push(slot);
        self.callbacks.push(retry);
    }
}

/// The Flux object's part: its sync status, buttons, error panel and what it last showed.
struct Flux {
    sync: SyncView,
    value: Value,
    source_url: Option<String>,
    source_asked: bool,
    state: Option<WatchState>,
    panel: Element,
    reconcile: Element,
    suspend: Element,
}

impl Flux {
    /// Shows the object as it is now.
    fn show(&mut self) {
        report(self.sync.show(&self.value, self.source_url.as_deref()));
        report(self.sync.show_details(&self.value, now()));
        let paused = suspended(&self.value);
        report(
            self.reconcile
                .toggle_attribute_with_force("disabled", paused)
                .map(drop),
        );
        let label = if paused { "Resume" } else { "Suspend" };
        self.suspend.set_text_content(Some(label));
        report(self.suspend.set_attribute("data-action", label));
    }
}

impl Rendering for Environment {
    fn settings(&self) -> &RefCell<Settings> {
        &self.settings
    }

    fn container(&self) -> &HtmlElement {
        &self.container
    }

    fn restart(this: &Rc<Self>) {
        Self::start(this);
    }

    /// The open drawer takes the new theme too.
    fn recolour(&self, theme: &str) {
        lifecycle::apply_theme(&self.container, theme);
        if let Some(drawer) = self
            .running
            .borrow()
            .as_ref()
            .and_then(|r| r.drawer.as_ref())
        {
            drawer.recolour(theme);
        }
    }

    /// Stops what the current rendering runs.
    fn stop(&self) {
        self.running.borrow_mut().take();
    }
}

impl Environment {
    /// (Re)renders for the current settings and starts their watches.
    fn start(this: &Rc<Environment>) {
        this.stop();
        let mut running = Running::default();
        report(Self::render(this, &mut running));
        *this.running.borrow_mut() = Some(running);
    }

    /// Renders the settings' problem, or the environment and the watches that keep it current.
    fn render(this: &Rc<Environment>, running: &mut Running) -> Result<(), JsValue> {
        let settings = this.settings.borrow().clone();
        this.container.set_text_content(None);
        let body = element(&this.container, "div", &[("class", "lo-widget__body")])?;
        lifecycle::apply_theme(&this.container, &settings.theme);
        let connection = match settings.connection() {
            Ok(c) => c,
            Err(problem) => return show_settings_problem(&body, &this.host, &problem),
        };
        let namespace = settings.namespace.clone();
        let section = element(
            &body,
            "section",
            &[
                ("class", "lo-env"),
                ("aria-label", &format!("Environment: namespace {namespace}")),
            ],
        )?;
        if !settings.flux_resource.is_empty() {
            this.render_flux(&section, &connection, &settings.flux_resource, running)?;
        }
        let scope = Selector {
            namespace: Some(namespace).filter(|n| !n.is_empty()),
            ..Selector::default()
        };
        let pods_panel = element(&section, "div", &[])?;
        render_workloads(&section, &connection, &scope, running)?;

        let toolbar = element(&section, "div", &[("class", "lo-toolbar")])?;
        text(&toolbar, "h3", &[], "Pods")?;
        let conn = element(
            &toolbar,
            "span",
            &[
                ("class", "lo-conn"),
                ("role", "status"),
                ("aria-live", "polite"),
            ],
        )?;
        element(
            &conn,
            "span",
            &[("class", "lo-conn__dot"), ("aria-hidden", "true")],
        )?;
        let conn_text = element(&conn, "span", &[("class", "lo-conn__text")])?;
        let pods = Table::<Pod>::new(&section, Pod::API, "Pods", true)?;
        text(&section, "h3", &[], "Services")?;
        let services = Table::<Object>::new(&section, kinds::SERVICE, "Services", false)?;
        let drawer = Drawer::new(section.clone());
        running.drawer = Some(drawer.clone());

        // Pods: rows, the connection's state, and the error panel (reported to the host page).
        let (host, table) = (this.host.clone(), pods.clone());
        let last = RefCell::new(None::<WatchState>);
        running.watch::<Pod>(&connection, Pod::API, scope.clone(), move |u, retry| {
            report(Table::update(&table, &u));
            if last.borrow().as_ref() != Some(u.state) {
                *last.borrow_mut() = Some(u.state.clone());
                let (state, words) = u.state.summary();
                report(conn.set_attribute("data-state", state));
                conn_text.set_text_content(Some(&words));
                report(show_problem(&pods_panel, &host, u.state, retry));
            }
        });
        let table = services.clone();
        running.watch::<Object>(&connection, kinds::SERVICE, scope, move |u, _| {
            report(Table::update(&table, &u));
        });

        // A click on a name opens the drawer; the pods' Delete buttons ask, then delete.
        let tables = [
            (Pod::API, pods.borrow().element().clone(), true),
            (kinds::SERVICE, services.borrow().element().clone(), false),
        ];
        for (api, target, deletable) in tables {
            // The settings when clicked: a new theme does not render the widget again.
            let (drawer, env, connection) =
                (drawer.clone(), Rc::downgrade(this), connection.clone());
            running.listeners.push(listen(&target, "click", move |ev| {
                let Some(clicked) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                    return;
                };
                if let Some(route) = table::route_of(&api, &clicked) {
                    ev.prevent_default();
                    if let Some(env) = env.upgrade() {
                        let settings = env.settings.borrow().clone();
                        report(Drawer::open(&drawer, &settings, &route));
                    }
                } else if deletable {
                    let row = clicked.closest("tr[data-name]").ok().flatten();
                    if let Some(row) = row {
                        let ns = row.get_attribute("data-namespace").unwrap_or_default();
                        let name = row.get_attribute("data-name").unwrap_or_default();
                        report(actions::on_row_click(
                            &clicked,
                            &connection,
                            &Pod::API,
                            &ns,
                            &name,
                        ));
                    }
                }
            })?);
        }

        // Ages and "reconciled … ago" stay current.
        let ticking = section.clone();
        let clock = Closure::<dyn Fn()>::new(move || report(tick(&ticking, now())));
        if let Some(window) = web_sys::window() {
            running.clock = Some(
                window.set_interval_with_callback_and_timeout_and_arguments_0(
                    clock.as_ref().unchecked_ref(),
                    1000,
                )?,
            );
        }
        running.callbacks.push(clock);
        Ok(())
    }

    /// The Flux object's sync status with Reconcile and Suspend / Resume, live; a malformed
    /// `flux-resource` is said in its place and reported to the host page.
    fn render_flux(
        &self,
        section: &Element,
        connection: &Connection,
        resource: &str,
        running: &mut Running,
    ) -> Result<(), JsValue> {
        let target = match FluxResourceRef::parse(resource) {
            Ok(t) => t,
            Err(problem) => return show_settings_problem(section, &self.host, &problem),
        };
        let toolbar = element(section, "div", &[("class", "lo-toolbar")])?;
        let sync = SyncView::with_details(&toolbar)?;
        let reconcile = actions::button(&toolbar, "Reconcile")?;
        let suspend = actions::button(&toolbar, "Suspend")?;
        let panel = element(section, "div", &[])?;
        let flux = Rc::new(RefCell::new(Flux {
            sync,
            value: Value::Null,
            source_url: None,
            source_asked: false,
            state: None,
            panel,
            reconcile: reconcile.clone(),
            suspend: suspend.clone(),
        }));
        flux.borrow_mut().show();
        for (button, is_suspend) in [(reconcile, false), (suspend, true)] {
            let (flux, connection, target) = (flux.clone(), connection.clone(), target.clone());
            let clicked = button.clone();
            running.listeners.push(listen(&button, "click", move |_| {
                let action = if is_suspend {
                    Action::Suspend(!suspended(&flux.borrow().value))
                } else {
                    Action::Reconcile
                };
                actions::run(
                    &clicked,
                    &connection,
                    &target.api,
                    &target.namespace,
                    &target.name,
                    action,
                );
            })?);
        }
        let (host, conn) = (self.host.clone(), connection.clone());
        let selector = Selector::named(&target.namespace, &target.name);
        running.watch::<Object>(connection, target.api, selector, move |u, retry| {
            let mut f = flux.borrow_mut();
            f.value = u
                .store
                .iter()
                .next()
                .map_or(Value::Null, |o| o.value.clone());
            f.show();
            if f.state.as_ref() != Some(u.state) {
                f.state = Some(u.state.clone());
                report(show_problem(&f.panel, &host, u.state, retry));
            }
            if matches!(u.state, WatchState::Live) {
                let value = f.value.clone();
                f.sync.report(&host, &value);
            }
            if !f.source_asked {
                if let Some(source) = source_ref(&f.value).filter(|s| s.kind == "GitRepository") {
                    f.source_asked = true;
                    fetch_source_url(&conn, &source, Rc::downgrade(&flux));
                }
            }
        });
        Ok(())
    }
}

/// Fetches the Git URL of the Flux object's GitRepository source once (it makes the revision a
/// commit link) and shows it.
fn fetch_source_url(
    connection: &Connection,
    source: &lookout_client::model::flux::ObjectRef,
    flux: std::rc::Weak<RefCell<Flux>>,
) {
    let (connection, source) = (connection.clone(), source.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let url = source_url(&*request_transport(), &connection, &source).await;
        if let Some(flux) = flux.upgrade() {
            let mut f = flux.borrow_mut();
            f.source_url = url;
            f.show();
        }
    });
}

/// One card per workload kind with its ready / progressing / failed counts, and below them what
/// could not be counted yet.
fn render_workloads(
    section: &Element,
    connection: &Connection,
    scope: &Selector,
    running: &mut Running,
) -> Result<(), JsValue> {
    let cards = element(
        section,
        "ul",
        &[("class", "lo-cards"), ("aria-label", "Workloads")],
    )?;
    let notes = element(
        section,
        "ul",
        &[
            ("class", "lo-coverage"),
            ("aria-label", "What this page cannot show yet"),
            ("aria-live", "polite"),
        ],
    )?;
    for api in WORKLOADS {
        let label = plural_label(&api.kind);
        let card = element(&cards, "li", &[("class", "lo-card"), ("data-kind", &label)])?;
        text(&card, "span", &[("class", "lo-card__title")], &label)?;
        let counts = BUCKETS
            .iter()
            .map(|word| {
                text(
                    &card,
                    "span",
                    &[("class", "lo-card__count"), ("data-health", word)],
                    &format!("0 {word}"),
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let note = element(
            &notes,
            "li",
            &[
                ("class", "lo-coverage__note"),
                ("data-kind", &label),
                ("hidden", ""),
            ],
        )?;
        let group = api.group.to_string();
        running.watch::<Object>(connection, api, scope.clone(), move |u, _| {
            let c = health_counts(u.store.iter(), &group, now());
            for ((el, n), word) in counts.iter().zip(c).zip(BUCKETS) {
                el.set_text_content(Some(&format!("{n} {word}")));
            }
            let shown = gap(u.state, &label);
            report(
                note.toggle_attribute_with_force("hidden", shown.is_none())
                    .map(drop),
            );
            if let Some((kind, words)) = shown {
                report(note.set_attribute("data-gap", kind));
                note.set_text_content(Some(&words));
            }
        });
    }
    Ok(())
}
