//! Client-side navigation: the current route and query string as signals, links that navigate
//! without reloading, back/forward, and URL parameters that pages keep their state in.

use leptos::prelude::*;
use lookout_client::view::route::Route;
use wasm_bindgen::JsCast;

/// The page's location, shared through context.
#[derive(Clone, Copy)]
pub struct Nav {
    /// The current route (changes only when the path does).
    pub route: Memo<Route>,
    /// The current query string, `?…` or empty.
    pub search: RwSignal<String>,
    path: RwSignal<String>,
    /// The path this page was loaded for (see [`Nav::load_other_bundle`]).
    loaded: StoredValue<String>,
}

fn location() -> (String, String) {
    let loc = window().location();
    (
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default(),
    )
}

fn params_of(search: &str) -> Option<web_sys::UrlSearchParams> {
    web_sys::UrlSearchParams::new_with_str(search).ok()
}

impl Nav {
    /// Reads the location, follows back/forward, and turns clicks on same-origin links into
    /// navigations. Call once, in the app shell.
    pub fn install() -> Nav {
        let (mut p, mut s) = location();
        // Old links (`/?page=pods&namespace=…`): move to the page's own path, keeping the rest.
        if let Some(params) = params_of(&s).filter(|_| p == "/") {
            if let Some(page) = params.get("page") {
                params.delete("page");
                let rest = String::from(params.to_string());
                p = Route::parse("/", Some(&page)).path();
                s = if rest.is_empty() {
                    String::new()
                } else {
                    format!("?{rest}")
                };
                if let Ok(history) = window().history() {
                    let url = format!("{p}{s}");
                    let _ = history.replace_state_with_url(
                        &wasm_bindgen::JsValue::NULL,
                        "",
                        Some(&url),
                    );
                }
            }
        }
        let loaded = StoredValue::new(p.clone());
        let path = RwSignal::new(p);
        let search = RwSignal::new(s);
        let route = Memo::new(move |_| path.with(|p| Route::parse(p, None)));
        let nav = Nav {
            route,
            search,
            path,
            loaded,
        };
        let pop = window_event_listener(leptos::ev::popstate, move |_| {
            let (p, s) = location();
            path.set(p);
            search.set(s);
        });
        let click = window_event_listener(leptos::ev::click, move |ev| nav.intercept(ev));
        on_cleanup(move || {
            pop.remove();
            click.remove();
        });
        provide_context(nav);
        nav
    }

    /// Handles a click on a same-origin link (no modifier keys, no `target`, no `download`).
    fn intercept(self, ev: web_sys::MouseEvent) {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(anchor) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
            .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        let same_origin = anchor.origin() == window().location().origin().unwrap_or_default();
        if !same_origin
            || !anchor.target().is_empty()
            || anchor.has_attribute("download")
            || anchor.pathname().ends_with(".html")
        {
            return;
        }
        ev.prevent_default();
        self.go(&format!("{}{}", anchor.pathname(), anchor.search()));
    }

    /// Loads the current URL from the server, for a route another bundle serves (the storybook's
    /// `/stories`, the app's everything else). False when this page was loaded for that URL
    /// already, i.e. the server has no other bundle for it: the caller says so instead of
    /// reloading forever.
    pub fn load_other_bundle(self) -> bool {
        let here = self.path.get_untracked();
        if self.loaded.with_value(|l| *l == here) {
            return false;
        }
        window().location().reload().is_ok()
    }

    /// Navigates to `href` (path and query), adding a history entry.
    pub fn go(self, href: &str) {
        if let Ok(history) = window().history() {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href));
        }
        let (p, s) = location();
        self.path.set(p);
        self.search.set(s);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }

    /// A query parameter, tracked.
    pub fn param(self, name: &str) -> Option<String> {
        self.search.with(|s| params_of(s).and_then(|p| p.get(name)))
    }

    /// Sets (or with `None`, removes) query parameters. `push` adds a history entry (a new
    /// view the user may want to go back from); otherwise the current entry is replaced (typing).
    pub fn set_params(self, changes: &[(&str, Option<&str>)], push: bool) {
        let current = self.search.get_untracked();
        let Some(params) = params_of(&current) else {
            return;
        };
        for (name, value) in changes {
            match value {
                Some(v) if !v.is_empty() => params.set(name, v),
                _ => params.delete(name),
            }
        }
        let query = String::from(params.to_string());
        let search = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        if search == current {
            return;
        }
        let url = format!("{}{search}", self.path.get_untracked());
        if let Ok(history) = window().history() {
            let null = wasm_bindgen::JsValue::NULL;
            let _ = if push {
                history.push_state_with_url(&null, "", Some(&url))
            } else {
                history.replace_state_with_url(&null, "", Some(&url))
            };
        }
        self.search.set(search);
    }
}

/// The navigation of the app (installed by the shell).
pub fn use_nav() -> Nav {
    expect_context::<Nav>()
}

/// A table query kept in the URL (`q`, `status`, `sort`, each prefixed by `prefix` so several
/// tables on one page keep their own): read on load and on back/forward, written as it changes.
pub fn url_table_query(prefix: &'static str) -> RwSignal<lookout_client::view::table::TableQuery> {
    use lookout_client::view::table::TableQuery;
    let nav = use_nav();
    let read = move || {
        let mut q = TableQuery::default();
        let p = |n: &str| nav.param(&format!("{prefix}{n}")).unwrap_or_default();
        q.text = p("q");
        q.set_tones_param(&p("status"));
        q.set_sort_param(&p("sort"));
        q
    };
    let query = RwSignal::new(read());
    // Back/forward (or a link) changed the URL: follow it.
    Effect::new(move |_| {
        let from_url = read();
        if query.get_untracked() != from_url {
            query.set(from_url);
        }
    });
    Effect::new(move |_| {
        let q = query.get();
        let sort = q.sort_param();
        let tones = q.tones_param();
        let (kq, ks, ko) = (
            format!("{prefix}q"),
            format!("{prefix}status"),
            format!("{prefix}sort"),
        );
        nav.set_params(
            &[
                (&kq, Some(q.text.as_str())),
                (&ks, Some(tones.as_str())),
                (&ko, (sort != "name").then_some(sort.as_str())),
            ],
            false,
        );
    });
    query
}

/// The namespace the page shows (`?namespace=`, empty for all namespaces) and a setter that
/// records the change as a new history entry.
pub fn url_namespace() -> (Signal<String>, Callback<String>) {
    let nav = use_nav();
    let namespace = Signal::derive(move || nav.param("namespace").unwrap_or_default());
    let set = Callback::new(move |ns: String| nav.set_params(&[("namespace", Some(&ns))], true));
    (namespace, set)
}

/// The namespaces in a list such as `"team-a, team-b"` or `team-a,team-b` (commas or spaces).
pub fn namespace_list(text: &str) -> Vec<&str> {
    text.split([',', ' '])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect()
}

/// A callback that names the namespaces the user can read (`?namespaces=a,b`), from text such as
/// `"team-a, team-b"`.
pub fn url_readable_namespaces() -> Callback<String> {
    let nav = use_nav();
    Callback::new(move |text: String| {
        let joined = namespace_list(&text).join(",");
        nav.set_params(
            &[(
                "namespaces",
                Some(&joined).filter(|j| !j.is_empty()).map(|j| j.as_str()),
            )],
            true,
        );
    })
}
