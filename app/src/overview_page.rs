//! The overview (`/`): what is failing and why first (Flux objects, workloads, pods, each with
//! its reason and a link), the healthy counts in one line, then the Flux cards and the workload
//! summary. Also the app-wide keyboard shortcuts: `/` focuses the page's filter,
//! Ctrl/Cmd-K opens the command palette that jumps to any object by name.

use crate::nav::{url_readable_namespaces, use_nav};
use leptos::prelude::*;
use lookout_client::model::PodGroup;
use lookout_client::status::Tone;
use lookout_client::view::attention::{
    controlled, most_urgent, object_problem, pod_problem, Problem,
};
use lookout_client::view::catalogue::capabilities;
use lookout_client::view::route::ObjectRoute;
use lookout_client::view::table::{RowsWith, Tabular};
use lookout_client::{model::kinds, ApiResource, Pod, Selector, TypedResource};
use lookout_components::coverage::{gaps, Gap};
use lookout_components::{
    use_kinds, use_now, use_objects, use_workload_counts, AttentionList, Coverage, FluxCard, Part,
    WorkloadSummary,
};
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

/// At most this many problems are listed; the rest are counted, with a link to their table.
const MAX_PROBLEMS: usize = 30;

/// What the overview derives from a pod: its group, and its problem if it has one.
type PodFacts = (PodGroup, Option<Box<Problem>>);

/// One summary count: label, number, tone, href.
type Tally = (&'static str, usize, Tone, String);

/// The overview page. Its first screen says what is failing and why: the problems (failing and
/// waiting Flux objects, failing workloads and pods, each with its reason, message and a link),
/// then one line of healthy counts. Every list reads the page's shared watches (one per kind),
/// the cards below included.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let now = use_now();
    let flux = use_kinds(FLUX_KINDS);
    let workloads = use_workload_counts(Signal::stored(None));
    let pods = use_objects::<Pod>(Pod::API, Selector::default);
    let flux_parts: Vec<Part> = flux.iter().map(|(api, live)| Part::of(api, live)).collect();
    // "All ready" only from complete data: every Flux kind listed in every namespace (none
    // refused, loading or narrowed to some namespaces).
    let complete = {
        let parts = flux_parts.clone();
        move || gaps(&parts).iter().all(|(_, gap)| *gap == Gap::NotLive)
    };
    // The workload summary notes its own kinds; the pods are this page's.
    let mut parts = flux_parts;
    parts.push(Part::of(&Pod::API, &pods));

    // Flux tones, recomputed when an object changes (the clock only matters for staleness, read
    // untracked: a tick does not redraw the page).
    let flux_tones = {
        let flux = flux.clone();
        Memo::new(move |_| {
            let now = now.get_untracked();
            let mut counts = [0usize; 5];
            for (api, live) in &flux {
                live.rows.with(|rows| {
                    for o in rows {
                        let tone = o.tone(&api.group, now);
                        if let Some(i) = Tone::ALL.iter().position(|t| *t == tone) {
                            counts[i] += 1;
                        }
                    }
                })
            }
            counts
        })
    };
    // Each pod's group and problem, derived once per version of it: a frame of pod events costs
    // its own pods, not the status rules of every pod (100,000 of them at scale).
    let pod_facts = StoredValue::new(RowsWith::<Pod, PodFacts>::default());
    let pods_seen = Memo::new_with_compare(
        move |_| {
            pods.rows.with(|rows| {
                pod_facts
                    .update_value(|f| f.update(rows, |p| (p.group(), pod_problem(p).map(Box::new))))
            })
        },
        |_, _| true,
    );
    // Each rule runs when its own input changes: a frame of pod events reruns neither the Flux
    // nor the workload rules.
    let flux_problems = {
        let flux = flux.clone();
        Memo::new(move |_| {
            let now = now.get_untracked();
            let mut found: Vec<Problem> = Vec::new();
            for (api, live) in &flux {
                live.rows.with(|rows| {
                    found.extend(rows.iter().filter_map(|o| {
                        object_problem(api, o, now, &[Tone::Error, Tone::Progress])
                    }))
                });
            }
            found
        })
    };
    let workload_problems = {
        let workloads = workloads.clone();
        Memo::new(move |_| {
            let now = now.get_untracked();
            let mut found: Vec<Problem> = Vec::new();
            // A controlled workload (a Deployment's ReplicaSet) is its owner's problem.
            for w in &workloads {
                w.rows.with(|rows| {
                    found.extend(
                        rows.iter()
                            .filter(|o| !controlled(o))
                            .filter_map(|o| object_problem(&w.api, o, now, &[Tone::Error])),
                    )
                });
            }
            found
        })
    };
    // The problems listed (failing first, then waiting; Flux, workloads, pods within each) and
    // how many there are: only the listed ones are cloned.
    let attention = Memo::new(move |_| {
        pods_seen.get();
        flux_problems.with(|flux| {
            workload_problems.with(|workloads| {
                pod_facts.with_value(|pods| {
                    let pods = pods.derived().iter().filter_map(|(_, p)| p.as_deref());
                    most_urgent(flux.iter().chain(workloads).chain(pods), MAX_PROBLEMS)
                })
            })
        })
    });
    let shown = Memo::new(move |_| attention.with(|(listed, _)| listed.clone()));
    let more = move || attention.with(|(_, all)| all.saturating_sub(MAX_PROBLEMS));

    let workload_counts: Vec<Signal<[usize; 3]>> = workloads.iter().map(|w| w.counts).collect();
    // A memo: the chips are redrawn when a count changes, not for every pod update.
    let tallies = Memo::new(move |_| -> Vec<(&'static str, Vec<Tally>)> {
        let flux = flux_tones.get();
        let flux: Vec<Tally> = Tone::ALL
            .iter()
            .zip(flux)
            .map(|(t, n)| (t.label(), n, *t, format!("/flux?status={}", t.as_str())))
            .collect();
        let mut w = [0usize; 3];
        for c in &workload_counts {
            let c = c.get();
            for i in 0..3 {
                w[i] += c[i];
            }
        }
        let workloads: Vec<Tally> = [
            (Tone::Ok, "ready"),
            (Tone::Progress, "progressing"),
            (Tone::Error, "failed"),
        ]
        .into_iter()
        .zip(w)
        .map(|((t, label), n)| (label, n, t, "/workloads".to_owned()))
        .collect();
        pods_seen.get();
        let pod_groups = pod_facts.with_value(|f| {
            let mut g = [0usize; 5];
            for (group, _) in f.derived() {
                if let Some(i) = PodGroup::ALL.iter().position(|x| x == group) {
                    g[i] += 1;
                }
            }
            g
        });
        let pods: Vec<Tally> = PodGroup::ALL
            .iter()
            .zip(pod_groups)
            .map(|(g, n)| {
                let tone = match g {
                    PodGroup::Running | PodGroup::Succeeded => Tone::Ok,
                    PodGroup::Pending => Tone::Progress,
                    PodGroup::Failed | PodGroup::CrashLooping => Tone::Error,
                };
                (g.label(), n, tone, format!("/pods?group={}", g.label()))
            })
            .collect();
        vec![("Flux", flux), ("Workloads", workloads), ("Pods", pods)]
    });

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
        <section class="lo-page lo-overview" aria-labelledby="overview-heading">
            <h2 id="overview-heading">"Overview"</h2>
            <h3 id="attention-heading">"Needs attention"</h3>
            <AttentionList problems=shown labelled_by="attention-heading" />
            <Show when=move || { more() > 0 }>
                <p class="lo-more">{move || format!("and {} more: see ", more())}<a href="/flux?status=error">"Flux"</a>", "<a href="/workloads">"workloads"</a>", "<a href="/pods?group=Crash-looping">"pods"</a></p>
            </Show>
            <Show when=move || attention.with(|(_, all)| *all == 0) && complete()>
                <p class="lo-empty">"Nothing is failing. Every Flux object is ready or suspended."</p>
            </Show>
            <Coverage parts=parts on_namespaces=url_readable_namespaces() />
            <section class="lo-tallies" aria-label="Health at a glance">
                {move || tallies.get().into_iter().map(|(what, tallies)| view! {
                    <section class="lo-tally" aria-label=what>
                        <h3 class="lo-tally__title">{what}</h3>
                        <ul class="lo-summary">
                            {tallies.into_iter().filter(|(_, n, tone, _)| *n > 0 || *tone == Tone::Error || what == "Flux").map(|(label, n, tone, href)| view! {
                                <li><a class="lo-chip" data-tone=tone.as_str() data-tally=what data-count=n href=href>
                                    <span class="lo-chip__count">{n}</span>" "{label}
                                </a></li>
                            }).collect_view()}
                        </ul>
                    </section>
                }).collect_view()}
            </section>
            <h3>"Kustomizations and HelmReleases"</h3>
            <ul class="lo-flux-cards" aria-label="Flux deliveries">{cards}</ul>
            <h3>"Workloads"</h3>
            <WorkloadSummary workloads=workloads link=link />
        </section>
    }
}

thread_local! {
    /// Whether the palette is open. An `Arc` signal: an arena one would belong to whichever
    /// page first touched it and be disposed with that page (a panic at the next Ctrl-K).
    static PALETTE: ArcRwSignal<bool> = ArcRwSignal::new(false);
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
    let open = PALETTE.with(ArcRwSignal::clone);
    view! {
        <Show when=move || open.get()>
            <PaletteDialog close=Callback::new(|_| PALETTE.with(|p| p.set(false))) />
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
        let needle = text.get().to_ascii_lowercase();
        let mut found: Vec<(String, String)> = Vec::new();
        for (api, live) in &sources {
            live.rows.with(|rows| {
                for o in rows.iter() {
                    let m = &o.metadata;
                    if found.len() < 50 && m.name.to_ascii_lowercase().contains(&needle) {
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
