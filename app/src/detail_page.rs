//! One object (`/r/{group}/{version}/{kind}/{namespace}/{name}?tab=…`): summary, YAML, events,
//! logs (pods and workloads), inventory and graph (Kustomization, HelmRelease), history
//! (HelmRelease). The object itself is watched, so every tab is live.

use crate::nav::use_nav;
use leptos::prelude::*;
use lookout_client::api::actions::{Action, Target};
use lookout_client::api::discovery::Discovery;
use lookout_client::model::flux::{
    depends_on, helm_history, inventory, reconcile_sources, revisions, source_ref,
    suspended_source, with_source_plan, ObjectRef,
};
use lookout_client::model::time::{format_age, parse_rfc3339};
use lookout_client::model::{Object, PodDetails, WorkloadDetails};
use lookout_client::view::catalogue::{
    capabilities, flux_kind, flux_kinds, resolve, Capabilities, Tab,
};
use lookout_client::view::flux_graph::build;
use lookout_client::view::resource_tree::{
    build as resource_tree, helm_roots, status_of, watch_scopes, Root, HELM_ROOT_KINDS, OWNED_KINDS,
};
use lookout_client::view::route::owners;
use lookout_client::view::route::ObjectRoute;
use lookout_client::view::table::Tabular;
use lookout_client::view::timeline::timeline as reconcile_timeline;
use lookout_client::{model::kinds, ApiResource, Pod, Selector, TypedResource};
use lookout_components::{
    use_action, use_collection, use_described, use_discovery, use_full_object, use_kinds,
    use_kinds_in, use_now, use_object, use_objects, use_pod_log, when_loaded, ActionButton,
    ConditionsTable, ConnectionStatus, ErrorPanel, EventsTable, FluxGraphView, HelmHistory, Labels,
    LogViewer, PodDetailsView, PodTable, ReconcileTimeline, RelativeTime, ResourceTree,
    ScaleControl, StatusBadge, UseObjectsReturn, UsePodLogOptions, WorkloadDetailsView, YamlView,
};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The detail route of a Flux object named by kind (graph nodes know no versions).
fn flux_route(kind: &str, namespace: &str, name: &str) -> Option<ObjectRoute> {
    flux_kind(kind).map(|api| ObjectRoute::of(api, namespace, name))
}

/// What the cluster serves (for the versions of related kinds), when discovery worked.
#[derive(Clone)]
struct Served(Option<Discovery>);

/// A known kind at the version the cluster serves.
fn served(known: &ApiResource) -> ApiResource {
    let d = use_context::<Served>().and_then(|s| s.0);
    d.and_then(|d| d.resource(&known.group, &known.kind).cloned())
        .unwrap_or_else(|| known.clone())
}

/// The detail page: resolves the kind, then shows the object.
#[component]
pub fn DetailPage(object: ObjectRoute) -> impl IntoView {
    let discovery = use_discovery();
    view! {
        {
            let object = object.clone();
            when_loaded(discovery, "Loading…", move |found| {
                    // Without discovery only the catalogue's kinds resolve: say why the rest do not.
                    let why = match &found {
                        Ok(_) => "This address names no kind the cluster serves.".to_owned(),
                        Err(e) => format!("The kinds the cluster serves could not be read ({e}); only built-in and Flux kinds can be shown."),
                    };
                    let d = found.ok();
                    let api = resolve(d.as_ref(), &object.group, &object.kind);
                    provide_context(Served(d));
                    match api {
                        Some(api) => view! { <ObjectView api=api object=object.clone() /> }.into_any(),
                        None => view! {
                            <div class="lo-panel lo-panel--error" role="alert">
                                <h3>"Unknown kind"</h3>
                                <p>{why}</p>
                            </div>
                        }.into_any(),
                    }
            })
        }
    }
}

#[component]
fn ObjectView(api: ApiResource, object: ObjectRoute) -> impl IntoView {
    let nav = use_nav();
    let now = use_now();
    let ObjectRoute {
        namespace,
        name,
        kind,
        ..
    } = object.clone();
    let object_live = use_object(api.clone(), &namespace, &name);
    let (value, live, current, missing) = (
        object_live.value,
        object_live.live,
        object_live.current,
        object_live.missing,
    );
    let can = capabilities(&api.group, &api.kind);
    let tab = Memo::new(move |_| can.shown_tab(nav.param("tab").as_deref()));
    let tab_links = can
        .tabs()
        .into_iter()
        .map(|t| {
            view! {
                <button type="button" role="tab" class="lo-tab" aria-selected=move || (tab.get() == t).to_string()
                    on:click=move |_| nav.set_params(&[("tab", Some(t.as_str()))], true)>{t.label()}</button>
            }
        })
        .collect_view();

    let group = api.group.to_string();
    let status = move || {
        current.with(|c| {
            c.as_ref()
                .and_then(|o| status_of(o.as_ref(), &group, o.kind(), now.get()))
        })
    };
    let title = format!(
        "{kind} {}{name}",
        if namespace.is_empty() {
            String::new()
        } else {
            format!("{namespace}/")
        }
    );
    let body_api = api.clone();
    let body = move || {
        let api = body_api.clone();
        let object = object.clone();
        match tab.get() {
            Tab::Summary => view! { <SummaryTab api=api object=object value=value can=can /> }.into_any(),
            Tab::Yaml => view! { <YamlTab api=api object=object value=value /> }.into_any(),
            Tab::Events => view! { <EventsTab object=object /> }.into_any(),
            Tab::Logs => view! { <LogsTab object=object value=value can=can /> }.into_any(),
            Tab::Inventory => view! { <InventoryTab object=object value=value /> }.into_any(),
            Tab::Graph => view! { <GraphTab object=object /> }.into_any(),
            Tab::History => view! { <HelmHistory history=Signal::derive(move || value.with(helm_history)) now=now /> }.into_any(),
        }
    };
    view! {
        <section class="lo-page" aria-labelledby="detail-heading">
            <div class="lo-toolbar">
                <h2 id="detail-heading">{title}</h2>
                {move || status().map(|(word, tone, message)| view! { <StatusBadge label=word tone=tone message=message /> })}
                <ConnectionStatus state=live.state />
            </div>
            <ErrorPanel state=live.state retry=live.retry />
            <Show when=move || missing.get()>
                <div class="lo-panel" role="status"><h3>"Not found"</h3><p>"This object does not exist (any more). It may have been deleted."</p></div>
            </Show>
            <div class="lo-tabs" role="tablist" aria-label="Views of this object">{tab_links}</div>
            <div role="tabpanel">{body}</div>
        </section>
    }
}

/// Flux objects `refs`, each watched live (kinds that are not Flux kinds are left out).
fn watch_sources(refs: &[ObjectRef]) -> Vec<(ObjectRef, Signal<Value>)> {
    refs.iter()
        .filter_map(|r| {
            let api = served(flux_kind(&r.kind)?);
            Some((r.clone(), use_object(api, &r.namespace, &r.name).value))
        })
        .collect()
}

/// The watched object `r`, once it is known.
fn watched(sources: &[(ObjectRef, Signal<Value>)], r: &ObjectRef) -> Option<Value> {
    let (_, value) = sources.iter().find(|(w, _)| w == r)?;
    Some(value.get()).filter(|v| !v.is_null())
}

/// `flux reconcile … --with-source` on `target` (its object: `value`): the `sources` it names are
/// watched, for the source a `chartRef` HelmChart adds of its own once the chart is known.
#[component]
fn ReconcileWithSource(
    sources: Vec<ObjectRef>,
    value: Signal<Value>,
    target: Target,
    suspended: Memo<bool>,
) -> impl IntoView {
    let named = watch_sources(&sources);
    let plan = Memo::new(move |_| value.with(|v| with_source_plan(v, |r| watched(&named, r))));
    move || {
        let (plan, target) = (plan.get(), target.clone());
        view! { <ReconcileWithSourceButton sources=plan target=target suspended=suspended /> }
    }
}

/// The button of [`ReconcileWithSource`] for its whole plan: offered when every source is a Flux
/// kind; disabled, with the reason, while a source is suspended (the CLI refuses then too).
#[component]
fn ReconcileWithSourceButton(
    sources: Vec<ObjectRef>,
    target: Target,
    suspended: Memo<bool>,
) -> impl IntoView {
    let targets = sources
        .iter()
        .map(|r| {
            flux_kind(&r.kind).map(|api| Target {
                api: served(api),
                namespace: r.namespace.clone(),
                name: r.name.clone(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let named = watch_sources(&sources);
    let refusal = Memo::new(move |_| suspended_source(&sources, |r| watched(&named, r)));
    let action = use_action(
        target.api,
        target.namespace,
        target.name,
        Action::ReconcileWithSource(targets),
    );
    let disabled = Signal::derive(move || suspended.get() || refusal.with(Option::is_some));
    Some(view! {
        <ActionButton action=action label="Reconcile with source" disabled=disabled explain=true />
        <Show when=move || refusal.with(Option::is_some)>
            <span class="lo-refusal" data-refusal="with-source">{move || refusal.get()}</span>
        </Show>
    })
}

#[component]
fn SummaryTab(
    api: ApiResource,
    object: ObjectRoute,
    value: Signal<Value>,
    can: Capabilities,
) -> impl IntoView {
    let now = use_now();
    let map = move |pointer: &'static str| {
        Signal::derive(move || {
            value.with(|v| {
                v.pointer(pointer)
                    .and_then(Value::as_object)
                    .map(|m| {
                        m.iter()
                            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                            .collect()
                    })
                    .unwrap_or_else(BTreeMap::new)
            })
        })
    };
    let created = move || {
        value.with(|v| {
            v.pointer("/metadata/creationTimestamp")
                .and_then(Value::as_str)
                .and_then(parse_rfc3339)
        })
    };
    let owner_ns = object.namespace.clone();
    let owners = move || {
        value.with(|v| {
            owners(v, &owner_ns)
                .into_iter()
                .map(|r| (format!("{} {}", r.kind, r.name), r.path()))
                .collect::<Vec<_>>()
        })
    };
    let flux = can.flux.then(|| {
        let source_link = move || value.with(|v| source_ref(v).map(|r| {
            let href = flux_route(&r.kind, &r.namespace, &r.name).map(|r| r.path()).unwrap_or_default();
            (format!("{} {}/{}", r.kind, r.namespace, r.name), href)
        }));
        let deps = move || value.with(|v| depends_on(v).into_iter().map(|r| {
            let kind = v.get("kind").and_then(Value::as_str).unwrap_or_default().to_owned();
            let href = flux_route(&kind, &r.namespace, &r.name).map(|r| r.path()).unwrap_or_default();
            (format!("{}/{}", r.namespace, r.name), href)
        }).collect::<Vec<_>>());
        let revision = move || value.with(revisions);
        let handled = Signal::derive(move || {
            value.with(|v| lookout_client::model::flux::last_handled_reconcile_at(v).map(str::to_owned))
        });
        // Memos: the buttons change when these do, not with every status update of the object.
        let suspended = Memo::new(move |_| value.with(lookout_client::model::flux::suspended));
        // What `--with-source` reconciles first, as the object names it.
        let sources = Memo::new(move |_| value.with(reconcile_sources));
        let target = Target {
            api: api.clone(),
            namespace: object.namespace.clone(),
            name: object.name.clone(),
        };
        let (api, ns, name) = (api.clone(), object.namespace.clone(), object.name.clone());
        let act = move |action: Action| use_action(api.clone(), ns.clone(), name.clone(), action);
        view! {
            <dl class="lo-facts">
                <dt>"Source"</dt><dd>{move || source_link().map(|(label, href)| view! { <a href=href>{label}</a> })}</dd>
                <dt>"Applied revision"</dt><dd class="lo-mono">{move || revision().applied.unwrap_or_else(|| "—".into())}</dd>
                <dt>"Last attempted"</dt><dd class="lo-mono">{move || revision().attempted.unwrap_or_else(|| "—".into())}</dd>
                <dt>"Depends on"</dt><dd>{move || deps().into_iter().map(|(label, href)| view! { <a href=href>{label}</a>" " }).collect_view()}</dd>
                <dt>"Reconcile handled"</dt><dd class="lo-reconciled"><RelativeTime time=handled now=now /></dd>
            </dl>
            <div class="lo-actions" role="group" aria-label="Actions">
                <ActionButton action=act(Action::Reconcile) label="Reconcile" disabled=suspended explain=true />
                // `flux reconcile … --with-source`: the source fetches first, then the object applies.
                {can.with_source.then_some(move || {
                    let (sources, target) = (sources.get(), target.clone());
                    (!sources.is_empty()).then(|| view! {
                        <ReconcileWithSource sources=sources value=value target=target suspended=suspended />
                    })
                })}
                {let act = act.clone(); move || if suspended.get() {
                    view! { <ActionButton action=act(Action::Suspend(false)) label="Resume" disabled=false explain=true /> }.into_any()
                } else {
                    view! { <ActionButton action=act(Action::Suspend(true)) label="Suspend" disabled=false explain=true /> }.into_any()
                }}
                // A stalled HelmRelease: a one-off upgrade despite its remediation state, or its
                // failure counters reset so that it retries (the Flux CLI's --force / --reset).
                {can.force_and_reset.then(|| view! {
                    <ActionButton action=act(Action::ForceReconcile) label="Force upgrade" disabled=suspended confirm=true explain=true />
                    <ActionButton action=act(Action::ResetReconcile) label="Reset failures" disabled=suspended explain=true />
                })}
            </div>
        }
    });
    // Pods of a workload: its label selector.
    let pods = can.workload.then(|| {
        let live = use_workload_pods(&object.namespace, value);
        view! {
            <h3>"Pods"</h3>
            <PodTable pods=live.rows now=now loading=live.loading />
        }
    });
    let restart = can.restart.then(|| view! {
        <div class="lo-actions"><ActionButton action=use_action(api.clone(), object.namespace.clone(), object.name.clone(), Action::Restart) label="Restart" disabled=false confirm=true explain=true /></div>
    });
    // `kubectl scale`: the count typed, sent through the scale subresource; the result shows
    // when the watched object changes.
    let scale = can.scale.then(|| {
        let count = RwSignal::new(0);
        let scale = use_action(
            api.clone(),
            object.namespace.clone(),
            object.name.clone(),
            Signal::derive(move || Action::Scale(count.get())),
        );
        let replicas = Signal::derive(move || value.with(desired_replicas));
        let ready = Signal::derive(move || value.with(|v| count_at(v, "/status/readyReplicas")));
        view! { <ScaleControl replicas=replicas ready=ready count=count scale=scale /> }
    });
    let is_pod = api.group == Pod::API.group && api.kind == Pod::API.kind;
    let describe = if is_pod {
        let whole = use_described(&api, &object.namespace, &object.name, value);
        Some(view! { <PodDetailsView details=Memo::new(move |_| whole.with(PodDetails::of)) now=now /> }.into_any())
    } else if can.workload {
        let (kind, whole) = (
            object.kind.clone(),
            use_described(&api, &object.namespace, &object.name, value),
        );
        Some(view! { <WorkloadDetailsView details=Memo::new(move |_| whole.with(|v| WorkloadDetails::of(&kind, v))) /> }.into_any())
    } else {
        None
    };
    let timeline = can.flux.then(|| {
        let selector = Selector::events_of(&object.kind, &object.namespace, &object.name);
        let events = use_objects::<Object>(kinds::EVENT, move || selector.clone());
        // A memo: the timeline is rebuilt when the events or the object change, not per read.
        let entries = Memo::new(move |_| {
            events.items.with(|list| {
                let events: Vec<&Value> = list.iter().map(|e| &e.value).collect();
                value.with(|v| reconcile_timeline(v, &events))
            })
        });
        view! {
            <h3>"Reconciliations"</h3>
            <ReconcileTimeline entries=entries now=now />
        }
    });
    let delete = can.delete.then(|| view! {
        <div class="lo-actions"><ActionButton action=use_action(api.clone(), object.namespace.clone(), object.name.clone(), Action::Delete) label="Delete" disabled=false confirm=true explain=true /></div>
    });
    view! {
        <dl class="lo-facts">
            <dt>"Kind"</dt><dd>{format!("{} ({})", object.kind, api.api_version())}</dd>
            <dt>"Namespace"</dt><dd>{if object.namespace.is_empty() { "—".to_owned() } else { object.namespace.clone() }}</dd>
            <dt>"Created"</dt><dd>{move || created().map(|c| format!("{} ago", format_age(now.get() - c))).unwrap_or_else(|| "—".into())}</dd>
            <dt>"Owners"</dt><dd>{move || { let o = owners(); if o.is_empty() { view! { "—" }.into_any() } else { o.into_iter().map(|(label, href)| view! { <a href=href>{label}</a>" " }).collect_view().into_any() } }}</dd>
            <dt>"Labels"</dt><dd><Labels items=map("/metadata/labels") /></dd>
            <dt>"Annotations"</dt><dd><Labels items=map("/metadata/annotations") /></dd>
        </dl>
        {describe}
        {flux}
        {scale}
        {restart}
        {delete}
        <h3>"Conditions"</h3>
        <ConditionsTable object=value now=now />
        {timeline}
        {pods}
    }
}

#[component]
fn YamlTab(api: ApiResource, object: ObjectRoute, value: Signal<Value>) -> impl IntoView {
    // Secrets are never fetched whole: their live (pruned, data-free) object is shown.
    if api.kind == "Secret" && api.group.is_empty() {
        return view! {
            <p class="lo-empty">"Secret values are never shown; this is its metadata."</p>
            <YamlView object=value />
        }
        .into_any();
    }
    let full = use_full_object(&api, &object.namespace, &object.name);
    view! {
        {when_loaded(full, "Fetching the full object…", |r| match r {
            Ok(v) => view! { <YamlView object=v /> }.into_any(),
            Err(e) => view! { <p class="lo-error" role="alert">{format!("Could not fetch the object: {e}")}</p> }.into_any(),
        })}
    }
    .into_any()
}

#[component]
fn EventsTab(object: ObjectRoute) -> impl IntoView {
    let now = use_now();
    let selector = Selector::events_of(&object.kind, &object.namespace, &object.name);
    let events = use_objects::<Object>(kinds::EVENT, move || selector.clone());
    view! {
        <ConnectionStatus state=events.state />
        <EventsTable events=events.items now=now warnings_only=false />
    }
}

#[component]
fn LogsTab(object: ObjectRoute, value: Signal<Value>, can: Capabilities) -> impl IntoView {
    // A pod has a log of its own; a workload's are its pods'.
    if !can.workload {
        let log = use_pod_log(&object.namespace, &object.name, UsePodLogOptions::default());
        let containers = log.containers;
        return view! {
            <Show when=move || containers.with(|c: &Vec<String>| !c.is_empty()) fallback=|| view! { <p class="lo-empty">"Loading the pod…"</p> }>
                <LogViewer log=log />
            </Show>
        }
        .into_any();
    }
    view! { <p>"Pick a pod of this workload (Summary tab) to follow its log, or open one below."</p><SummaryPodsLinks object=object value=value /> }.into_any()
}

/// A replica count of a workload at `pointer`, if there is one.
fn count_at(v: &Value, pointer: &str) -> Option<u32> {
    v.pointer(pointer)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
}

/// The replicas a workload asks for: `spec.replicas`, 1 when left out (the API's default);
/// `None` before the object is known.
fn desired_replicas(v: &Value) -> Option<u32> {
    v.get("spec")
        .map(|_| count_at(v, "/spec/replicas").unwrap_or(1))
}

/// The live pods of a workload (its label selector follows the workload's changes).
fn use_workload_pods(namespace: &str, workload: Signal<Value>) -> UseObjectsReturn<Pod> {
    let namespace = namespace.to_owned();
    use_collection::<Pod>(move || workload.with(|w| Selector::pods_of(&namespace, w)))
}

/// Links to the logs of each pod of a workload.
#[component]
fn SummaryPodsLinks(object: ObjectRoute, value: Signal<Value>) -> impl IntoView {
    let pods = use_workload_pods(&object.namespace, value);
    view! {
        <ul class="lo-links">
            {move || pods.rows.get().into_iter().map(|p| {
                let href = format!("{}?tab=logs", ObjectRoute::of(&Pod::API, &p.metadata.namespace, &p.metadata.name).path());
                view! { <li><a href=href>{p.metadata.name.to_string()}</a></li> }
            }).collect_view()}
        </ul>
    }
}

/// The resource tree: what a Kustomization applied (its inventory) or a HelmRelease installed (the
/// objects labelled as its own), down to ReplicaSets and pods by owner references. One shared watch
/// per kind and namespace the tree names (the inventory's kinds, and ReplicaSets, Jobs and pods in
/// its namespaces only) gives every node its live status; the watches follow the inventory.
#[component]
fn InventoryTab(object: ObjectRoute, value: Signal<Value>) -> impl IntoView {
    let now = use_now();
    let is_helm = object.kind == "HelmRelease";
    let entries = Memo::new(move |_| value.with(inventory));
    let served_kinds = use_context::<Served>().and_then(|s| s.0);
    let discovered = served_kinds.is_some();
    // Inventory ids come from the cluster: a malformed one, or a kind the cluster does not serve
    // (its objects are then "not served"), gets no watch.
    let entry_api = move |e: &lookout_client::model::flux::InventoryEntry| match &served_kinds {
        Some(d) => d.resource(&e.group, &e.kind).cloned(),
        None => resolve(None, &e.group, &e.kind),
    };
    // A release's objects live in its target namespace.
    let release_namespace = {
        let own = object.namespace.clone();
        Memo::new(move |_| {
            value.with(|v| {
                v.pointer("/spec/targetNamespace")
                    .and_then(Value::as_str)
                    .filter(|ns| !ns.is_empty())
                    .map_or_else(|| own.clone(), str::to_owned)
            })
        })
    };
    let scopes = {
        let entry_api = entry_api.clone();
        Memo::new(move |_| {
            let roots: Vec<(ApiResource, String)> = if is_helm {
                let ns = release_namespace.get();
                HELM_ROOT_KINDS
                    .iter()
                    .map(|k| (served(k), ns.clone()))
                    .collect()
            } else {
                entries.with(|(list, _)| {
                    list.iter()
                        .filter_map(|e| entry_api(e).map(|api| (api, e.namespace.clone())))
                        .collect()
                })
            };
            let owned: Vec<ApiResource> = OWNED_KINDS.iter().map(served).collect();
            watch_scopes(&roots, &owned)
        })
    };
    let (namespace, name) = (object.namespace.clone(), object.name.clone());
    let tree = move || {
        let live = use_kinds_in(scopes.get());
        let (namespace, name, entry_api) = (namespace.clone(), name.clone(), entry_api.clone());
        let nodes = Memo::new(move |_| {
            let rows: Vec<(ApiResource, Vec<Arc<Object>>)> = live
                .iter()
                .map(|(api, l)| (api.clone(), l.rows.get()))
                .collect();
            let known: Vec<(&ApiResource, &Object)> = rows
                .iter()
                .flat_map(|(api, list)| list.iter().map(move |o| (api, o.as_ref())))
                .collect();
            let roots: Vec<Root> = if is_helm {
                helm_roots(&known, &namespace, &name)
            } else {
                entries.with(|(list, _)| {
                    list.iter()
                        .map(|e| Root {
                            served: !discovered || entry_api(e).is_some(),
                            ..Root::from(e)
                        })
                        .collect()
                })
            };
            resource_tree(&roots, &known, now.get_untracked())
        });
        let empty = if is_helm {
            "No workloads or services labelled as this release's yet."
        } else {
            "No inventory (a Kustomization before its first apply has none)."
        };
        view! { <ResourceTree nodes=nodes label="Resources" empty=empty /> }
    };
    view! {
        {tree}
        {move || entries.with(|(_, errors)| {
            (!errors.is_empty()).then(|| view! { <p class="lo-error">{errors.join("; ")}</p> })
        })}
    }
}

#[component]
pub(crate) fn GraphTab(object: ObjectRoute) -> impl IntoView {
    let now = use_now();
    let nav = use_nav();
    // Deliveries and their sources (HelmCharts are an implementation detail of HelmReleases).
    let served_kinds = flux_kinds().filter(|k| k.kind != "HelmChart").map(served);
    let sources = use_kinds(served_kinds);
    // Recomputed when an object changes, redrawn only when the graph itself does (not for every
    // resourceVersion bump or clock tick): nodes stay put under the pointer.
    let graph = Memo::new(move |_| {
        let now = now.get_untracked();
        let all: Vec<(ApiResource, Arc<Object>)> = sources
            .iter()
            .flat_map(|(api, live)| {
                live.rows
                    .get()
                    .into_iter()
                    .map(|o| (api.clone(), o))
                    .collect::<Vec<_>>()
            })
            .collect();
        let input: Vec<(&str, &Value, lookout_client::status::Tone)> = all
            .iter()
            .map(|(api, o)| (api.kind.as_ref(), &o.value, o.tone(&api.group, now)))
            .collect();
        build(&input)
    });
    view! {
        <FluxGraphView graph=graph current=(object.kind.clone(), object.namespace.clone(), object.name.clone()) route=flux_route on_open=Callback::new(move |href: String| nav.go(&href)) />
    }
}
