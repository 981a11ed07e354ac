//! Flux objects of several kinds in one live table: state badge, message, revision, source, age and
//! the actions Flux users reach for (reconcile, suspend/resume), problems first.

use crate::action_button::ActionButton;
use crate::live::use_action;
use crate::status_badge::StatusBadge;
use crate::table_head::TableHead;
use crate::table_tools::TableTools;
use leptos::prelude::*;
use lookout_client::api::actions::Action;
use lookout_client::model::flux::{revisions, source_ref, suspended};
use lookout_client::model::time::{format_age, parse_rfc3339};
use lookout_client::model::Object;
use lookout_client::status::flux::{flux_status, FluxState};
use lookout_client::view::route::ObjectRoute;
use lookout_client::view::table::{count_tones, TableQuery, TextFilter};
use lookout_client::{ApiResource, ObjectMeta};

/// One row's data, computed once per change of the object.
#[derive(Clone, PartialEq)]
struct Row {
    api: ApiResource,
    key: (String, String, String, String),
    /// Name, namespace and labels, for the text filter.
    meta: ObjectMeta,
    state: FluxState,
    message: String,
    revision: String,
    source: String,
    suspended: bool,
    created: Option<i64>,
}

fn severity(state: FluxState) -> u8 {
    match state {
        FluxState::Failed => 0,
        FluxState::Failing => 1,
        FluxState::Waiting | FluxState::Stale | FluxState::Progressing | FluxState::Deleting => 2,
        FluxState::Unknown => 3,
        FluxState::Suspended => 4,
        FluxState::Ready => 5,
    }
}

fn row(api: &ApiResource, obj: &Object, now: i64) -> Row {
    let status = flux_status(&obj.value, now);
    let revs = revisions(&obj.value);
    Row {
        api: api.clone(),
        key: (
            api.kind.to_string(),
            obj.metadata.namespace.to_string(),
            obj.metadata.name.to_string(),
            obj.metadata.resource_version.to_string(),
        ),
        meta: obj.metadata.clone(),
        state: status.state,
        message: status.message,
        revision: revs.applied.unwrap_or_default(),
        source: source_ref(&obj.value)
            .map(|r| format!("{}/{}", r.kind, r.name))
            .unwrap_or_default(),
        suspended: suspended(&obj.value),
        created: obj
            .metadata
            .creation_timestamp
            .as_deref()
            .and_then(parse_rfc3339),
    }
}

/// What the table lists: a kind's header, or an object.
#[derive(Clone, PartialEq)]
enum Item {
    Group { kind: String, count: usize },
    Object(Box<Row>),
}

/// Whether `row` passes the status filter of `query` and its text `filter` (the one every table
/// applies; besides name, namespace and labels, the text may be in the kind, state, message,
/// revision or source).
fn passes(row: &Row, query: &TableQuery, filter: &TextFilter) -> bool {
    query.keeps_tone(row.state.tone())
        && filter.matches(
            &row.meta,
            [
                row.key.0.as_str(),
                row.state.as_str(),
                &row.message,
                &row.revision,
                &row.source,
            ],
        )
}

/// Flux objects grouped by kind — the kind with the worst problem first, and problems first
/// within a kind — with a text and status filter.
#[component]
pub fn FluxTable(
    /// Each kind's resource and its live objects.
    sources: Vec<(ApiResource, Signal<Vec<Object>>)>,
    /// Current time (epoch seconds), for ages.
    #[prop(into)]
    now: Signal<i64>,
    /// The filter (e.g. kept in the URL); local when absent.
    #[prop(optional)]
    query: Option<RwSignal<TableQuery>>,
) -> impl IntoView {
    let query = query.unwrap_or_else(|| RwSignal::new(TableQuery::default()));
    let all = Memo::new(move |_| {
        let t = now.get_untracked();
        sources
            .iter()
            .flat_map(|(api, items)| {
                items
                    .get()
                    .iter()
                    .map(|o| row(api, o, t))
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<Row>>()
    });
    let items = Memo::new(move |_| {
        let q = query.get();
        let filter = TextFilter::parse(&q.text);
        let mut rows: Vec<Row> = all.with(|all| {
            all.iter()
                .filter(|r| passes(r, &q, &filter))
                .cloned()
                .collect()
        });
        let mut worst: std::collections::HashMap<String, u8> = std::collections::HashMap::new();
        for r in &rows {
            let w = worst.entry(r.key.0.clone()).or_insert(u8::MAX);
            *w = (*w).min(severity(r.state));
        }
        let order: Vec<(u8, String)> = rows
            .iter()
            .map(|r| {
                (
                    worst.get(&r.key.0).copied().unwrap_or(u8::MAX),
                    r.key.0.clone(),
                )
            })
            .collect();
        let mut keyed: Vec<((u8, String), Row)> = order.into_iter().zip(rows.drain(..)).collect();
        keyed.sort_by(|(ga, a), (gb, b)| {
            (ga, severity(a.state), &a.key).cmp(&(gb, severity(b.state), &b.key))
        });
        let mut items = Vec::new();
        for (_, r) in keyed {
            match items.last() {
                Some(Item::Object(last)) if last.key.0 == r.key.0 => {}
                _ => items.push(Item::Group {
                    kind: r.key.0.clone(),
                    count: 0,
                }),
            }
            if let Some(Item::Group { count, .. }) = items
                .iter_mut()
                .rev()
                .find(|i| matches!(i, Item::Group { .. }))
            {
                *count += 1;
            }
            items.push(Item::Object(Box::new(r)));
        }
        items
    });
    let counts =
        Signal::derive(move || all.with(|all| count_tones(all.iter().map(|r| r.state.tone()))));
    let shown = Signal::derive(move || {
        items.with(|i| i.iter().filter(|i| matches!(i, Item::Object(_))).count())
    });
    let total = Signal::derive(move || all.with(Vec::len));
    view! {
        <TableTools query=query counts=counts shown=shown total=total noun="Flux objects".to_owned() />
        <table class="lo-table lo-flux-table" aria-label="Flux objects">
            <TableHead columns=&["Name", "Kind", "Namespace", "Status", "Message", "Revision", "Source", "Age", "Actions"] />
            <tbody>
                <For each=move || items.get()
                    key=|i| match i {
                        Item::Group { kind, count } => (format!("group:{kind}:{count}"), String::new(), String::new(), String::new()),
                        Item::Object(r) => r.key.clone(),
                    }
                    children=move |i| match i {
                        Item::Group { kind, count } => view! {
                            <tr class="lo-group"><th scope="rowgroup" colspan="9">{format!("{kind} ({count})")}</th></tr>
                        }.into_any(),
                        Item::Object(r) => flux_row(*r, now).into_any(),
                    } />
            </tbody>
        </table>
        <Show when=move || all.with(Vec::is_empty)>
            <p class="lo-empty">"No Flux objects."</p>
        </Show>
        <Show when=move || !all.with(Vec::is_empty) && shown.get() == 0>
            <p class="lo-empty">"No Flux objects match the filter."</p>
        </Show>
    }
}

fn flux_row(r: Row, now: Signal<i64>) -> impl IntoView {
    let (kind, namespace, name, _) = r.key.clone();
    let created = r.created;
    let age = move || {
        created
            .map(|c| format_age(now.get() - c))
            .unwrap_or_else(|| "—".into())
    };
    let label = r.state.as_str().to_owned();
    let tone = r.state.tone();
    let toggle = if r.suspended {
        Action::Suspend(false)
    } else {
        Action::Suspend(true)
    };
    let toggle_label = if r.suspended { "Resume" } else { "Suspend" };
    let (row_name, row_kind, row_state) = (name.clone(), kind.clone(), label.clone());
    let href = ObjectRoute::of(&r.api, &namespace, &name).path();
    view! {
        <tr data-name=row_name data-kind=row_kind data-state=row_state>
            <th scope="row" class="lo-name lo-wrap"><a href=href>{name.clone()}</a></th>
            <td>{kind.clone()}</td>
            <td class="lo-wrap">{namespace.clone()}</td>
            <td><StatusBadge label=label tone=tone message=r.message.clone() /></td>
            <td class="lo-message">{r.message.clone()}</td>
            <td><span class="lo-mono lo-clip" tabindex="0" title=r.revision.clone()>{r.revision.clone()}</span></td>
            <td class="lo-wrap">{r.source.clone()}</td>
            <td>{age}</td>
            <td class="lo-actions">
                <ActionButton action=use_action(r.api.clone(), namespace.clone(), name.clone(), Action::Reconcile) label="Reconcile" disabled=r.suspended />
                <ActionButton action=use_action(r.api, namespace, name, toggle) label=toggle_label disabled=false />
            </td>
        </tr>
    }
}

/// Stories: healthy, failing first, suspended and progressing, hostile messages, empty.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    use lookout_client::model::kinds;
    fn object(
        kind: &str,
        name: &str,
        ready: &str,
        reason: &str,
        message: &str,
        suspend: bool,
    ) -> Object {
        let json = serde_json::json!({
            "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": kind,
            "metadata": { "name": name, "namespace": "flux-system", "resourceVersion": "7", "generation": 1, "creationTimestamp": "2026-11-25T08:00:00Z" },
            "spec": { "suspend": suspend, "sourceRef": { "kind": "GitRepository", "name": "fleet" } },
            "status": { "observedGeneration": 1, "lastAppliedRevision": "main@sha1:4f2a9c1e0b7d", "conditions": [{ "type": "Ready", "status": ready, "reason": reason, "message": message }] },
        });
        serde_json::from_value(json).unwrap_or_else(|_| Object {
            metadata: Default::default(),
            value: serde_json::Value::Null,
        })
    }
    fn table(objects: Vec<Object>) -> AnyView {
        let sources = vec![(kinds::KUSTOMIZATION, Signal::stored(objects))];
        view! { <FluxTable sources=sources now=1_795_585_091i64 /> }.into_any()
    }
    vec![
        Story {
            component: "flux-table",
            state: "empty",
            render: || table(vec![]),
        },
        Story {
            component: "flux-table",
            state: "healthy",
            render: || {
                table(vec![
                    object(
                        "Kustomization",
                        "infra",
                        "True",
                        "ReconciliationSucceeded",
                        "Applied revision: main@sha1:4f2a",
                        false,
                    ),
                    object(
                        "Kustomization",
                        "apps",
                        "True",
                        "ReconciliationSucceeded",
                        "Applied revision: main@sha1:4f2a",
                        false,
                    ),
                ])
            },
        },
        Story {
            component: "flux-table",
            state: "mixed",
            render: || {
                table(vec![
                    object(
                        "Kustomization",
                        "apps",
                        "True",
                        "ReconciliationSucceeded",
                        "Applied revision: main@sha1:4f2a",
                        false,
                    ),
                    object(
                        "Kustomization",
                        "monitoring",
                        "Unknown",
                        "Progressing",
                        "Reconciliation in progress",
                        false,
                    ),
                    object(
                        "Kustomization",
                        "payments",
                        "False",
                        "BuildFailed",
                        "kustomize build failed: accumulating resources from './overlays/prod'",
                        false,
                    ),
                    object(
                        "Kustomization",
                        "legacy",
                        "True",
                        "ReconciliationSucceeded",
                        "Applied revision: main@sha1:0001",
                        true,
                    ),
                ])
            },
        },
        Story {
            component: "flux-table",
            state: "hostile",
            render: || {
                table(vec![object(
                    "Kustomization",
                    "evil",
                    "False",
                    "BuildFailed",
                    HOSTILE,
                    false,
                )])
            },
        },
    ]
}
