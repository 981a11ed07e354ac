//! The overview (`/`): Flux health of the cluster (counts by state, failing objects first) and
//! the workload summary. Also the app-wide keyboard shortcuts: `/` focuses the page's filter,
//! Ctrl/Cmd-K opens the command palette that jumps to any object by name.

use crate::nav::{url_readable_namespaces, use_nav};
use leptos::prelude::*;
use lookout_client::model::Object;
use lookout_client::status::Tone;
use lookout_client::view::catalogue::capabilities;
use lookout_client::view::route::ObjectRoute;
use lookout_client::view::table::Tabular;
use lookout_client::{model::kinds, ApiResource};
use lookout_components::coverage::{gaps, Gap};
use lookout_components::{
    use_kinds, use_now, use_workload_counts, Coverage, FluxCard, Part, StatusBadge, WorkloadSummary,
};
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// The Flux kinds the overview counts.
const FLUX_KINDS: [ApiResource; 4] = [
    kinds::KUSTOMIZATION,
    kinds::HELM_RELEASE,
    kinds::GIT_REPOSITORY,
    kinds::HELM_REPOSITORY,
];

/// Kinds the command palette searches.
const PALETTE_KINDS: [ApiResource; 8] = [
    kinds::KUSTOMIZATION,
    kinds::HELM_RELEASE,
    kinds::GIT_REPOSITORY,
    kinds::DEPLOYMENT,
    kinds::STATEFUL_SET,
    kinds::DAEMON_SET,
    kinds::SERVICE,
    kinds::POD,
];

/// The overview page.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let now = use_now();
    let flux = use_kinds(FLUX_KINDS);
    let parts: Vec<Part> = flux.iter().map(|(api, live)| Part::of(api, live)).collect();
    // "All ready" only from complete data: every Flux kind listed in every namespace (none
    // refused, loading or narrowed to some namespaces).
    let complete = {
        let parts = parts.clone();
        move || gaps(&parts).iter().all(|(_, gap)| *gap == Gap::NotLive)
    };
    let all = {
        let flux = flux.clone();
        Memo::new_with_compare(
            move |_| {
                let now = now.get();
                let mut all: Vec<(ApiResource, Arc<Object>, Tone)> = flux
                    .iter()
                    .flat_map(|(api, live)| {
                        live.rows
                            .get()
                            .into_iter()
                            .map(|o| {
                                let tone = o.tone(&api.group, now);
                                (api.clone(), o, tone)
                            })
                            .collect::<Vec<_>>()
                    })
                    .collect();
                all.sort_by_key(|a| a.2);
                all
            },
            |_, _| true,
        )
    };
    let counts = move || {
        all.with(|all| Tone::ALL.map(|t| (t, all.iter().filter(|(_, _, tone)| *tone == t).count())))
    };
    let attention = move || {
        all.with(|all| {
            all.iter()
                .filter(|(_, _, t)| matches!(t, Tone::Error | Tone::Progress))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    // One card per object that applies others (Kustomizations, HelmReleases: those with an
    // inventory), each following its object.
    let cards = flux
        .iter()
        .filter(|(api, _)| capabilities(&api.group, &api.kind).inventory)
        .map(|(api, live)| {
            let (api, rows) = (api.clone(), live.rows);
            view! {
                <For each=move || rows.get() key=|o| (o.metadata.namespace.clone(), o.metadata.name.clone())
                    children=move |o| {
                        let (ns, name) = (o.metadata.namespace.clone(), o.metadata.name.clone());
                        let value = Signal::derive(move || rows.with(|r| {
                            r.iter()
                                .find(|x| x.metadata.namespace == ns && x.metadata.name == name)
                                .map(|x| x.value.clone())
                                .unwrap_or_default()
                        }));
                        view! { <li><FluxCard api=api.clone() object=value now=now /></li> }
                    } />
            }
        })
        .collect_view();
    let link = Callback::new(move |(api, tone): (ApiResource, Tone)| {
        format!("/workloads?kind={}&status={}", api.kind, tone.as_str())
    });
    view! {
        <section class="lo-page" aria-labelledby="overview-heading">
            <h2 id="overview-heading">"Overview"</h2>
            <h3>"Flux"</h3>
            <ul class="lo-summary" aria-label="Flux objects by state">
                {move || counts().into_iter().map(|(tone, n)| view! {
                    <li><a class="lo-chip" data-tone=tone.as_str() href=format!("/flux?status={}", tone.as_str())>
                        <span class="lo-chip__count">{n}</span>" "{tone.label()}
                    </a></li>
                }).collect_view()}
            </ul>
            <h3 id="attention-heading">"Needs attention"</h3>
            <ul class="lo-attention" aria-labelledby="attention-heading" aria-live="polite">
                <For each=attention key=|(api, o, t)| (api.kind.to_string(), o.metadata.namespace.clone(), o.metadata.name.clone(), o.metadata.resource_version.clone(), *t)
                    children=move |(api, o, _)| {
                        let cells = o.cells(&api.group, &api.kind, now.get_untracked());
                        let (word, tone, message) = match cells.first() {
                            Some(lookout_client::view::table::Cell::Status { word, tone, message }) => (word.clone(), *tone, message.clone()),
                            _ => (String::new(), Tone::Unknown, String::new()),
                        };
                        let href = ObjectRoute::of(&api, &o.metadata.namespace, &o.metadata.name).path();
                        view! {
                            <li class="lo-attention__item" data-kind=api.kind.to_string() data-name=o.metadata.name.clone()>
                                <StatusBadge label=word tone=tone message=message.clone() />
                                <a href=href>{format!("{} {}/{}", api.kind, o.metadata.namespace, o.metadata.name)}</a>
                                <span class="lo-message">{message}</span>
                            </li>
                        }
                    } />
            </ul>
            <Coverage parts=parts on_namespaces=url_readable_namespaces() />
            <Show when=move || attention().is_empty() && complete()>
                <p class="lo-empty">"Every Flux object is ready or suspended."</p>
            </Show>
            <h3>"Kustomizations and HelmReleases"</h3>
            <ul class="lo-flux-cards" aria-label="Flux deliveries">{cards}</ul>
            <h3>"Workloads"</h3>
            <WorkloadSummary workloads=use_workload_counts(Signal::stored(None)) link=link />
        </section>
    }
}

thread_local! {
    static PALETTE: RwSignal<bool> = RwSignal::new(false);
}

/// Opens the command palette.
pub fn open_palette() {
    PALETTE.with(|p| p.set(true));
}

/// `/` focuses the page's filter field; Ctrl/Cmd-K opens the command palette; Escape closes it.
pub fn install_shortcuts() {
    let handle = window_event_listener(leptos::ev::keydown, |ev| {
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("k") {
            ev.prevent_default();
            PALETTE.with(|p| p.update(|open| *open = !*open));
        } else if ev.key() == "/" && !typing {
            if let Some(el) = document()
                .query_selector("[data-lookout-search]")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                ev.prevent_default();
                let _ = el.focus();
            }
        } else if ev.key() == "Escape" {
            PALETTE.with(|p| p.set(false));
        }
    });
    on_cleanup(move || handle.remove());
}

/// The command palette: a dialog that searches objects of the common kinds by name and jumps to
/// the chosen one's detail page. Its watches exist only while it is open.
#[component]
pub fn CommandPalette() -> impl IntoView {
    let open = PALETTE.with(|p| *p);
    view! {
        <Show when=move || open.get()>
            <PaletteDialog close=Callback::new(move |_| open.set(false)) />
        </Show>
    }
}

#[component]
fn PaletteDialog(close: Callback<()>) -> impl IntoView {
    let nav = use_nav();
    let text = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let sources = use_kinds(PALETTE_KINDS);
    let results = Memo::new(move |_| {
        let needle = text.get().to_lowercase();
        let mut found: Vec<(String, String)> = Vec::new();
        for (api, live) in &sources {
            live.rows.with(|rows| {
                for o in rows.iter() {
                    let m = &o.metadata;
                    if found.len() < 50 && m.name.to_lowercase().contains(&needle) {
                        found.push((
                            format!("{} {}/{}", api.kind, m.namespace, m.name),
                            ObjectRoute::of(api, &m.namespace, &m.name).path(),
                        ));
                    }
                }
            });
        }
        found.sort_by_key(|(label, _)| label.len());
        found.truncate(12);
        found
    });
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let go = move |href: String| {
        close.run(());
        nav.go(&href);
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let n = results.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + 1) % n);
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + n - 1) % n);
            }
            "Enter" => {
                if let Some((_, href)) = results.with(|r| r.get(active.get_untracked()).cloned()) {
                    go(href);
                }
            }
            _ => {}
        }
    };
    view! {
        <div class="lo-palette-backdrop" on:click=move |_| close.run(())></div>
        <div class="lo-palette" role="dialog" aria-modal="true" aria-label="Jump to an object">
            <input node_ref=input class="lo-input" type="search" placeholder="Jump to… (type a name)"
                aria-label="Object name" aria-controls="lo-palette-results"
                prop:value=move || text.get()
                on:input=move |ev| { text.set(event_target_value(&ev)); active.set(0); }
                on:keydown=on_key />
            <ul id="lo-palette-results" role="listbox" aria-label="Matching objects">
                {move || results.get().into_iter().enumerate().map(|(i, (label, href))| {
                    let h = href.clone();
                    view! {
                        <li role="option" aria-selected=move || (active.get() == i).to_string()>
                            <a href=href on:click=move |ev| { ev.prevent_default(); go(h.clone()); }>{label}</a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
