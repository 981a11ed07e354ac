//! The resource tree of a Kustomization or HelmRelease (built by
//! `lookout_client::view::resource_tree`): a WAI-ARIA tree whose branches with a problem start
//! expanded and healthy ones collapsed with a count; each node links to its detail page.
//!
//! Keyboard (the tree pattern): one tab stop; ↑/↓ move, → expands or enters, ← collapses or goes
//! to the parent, Home/End, Enter opens the node's page.

use crate::status_badge::StatusBadge;
use leptos::prelude::*;
use leptos::tachys::html::attribute::custom::custom_attribute;
use lookout_client::view::resource_tree::TreeNode;
use std::collections::HashMap;
use wasm_bindgen::JsCast;

/// A tree of objects with live status.
#[component]
pub fn ResourceTree(
    /// The roots (problems first), with their children.
    #[prop(into)]
    nodes: Signal<Vec<TreeNode>>,
    /// The tree's accessible name.
    #[prop(into)]
    label: String,
    /// What to say when there are no nodes.
    #[prop(into)]
    empty: String,
) -> impl IntoView {
    // Expansion the user chose, by node key; other nodes follow `expanded_by_default`.
    let chosen = RwSignal::new(HashMap::<String, bool>::new());
    let focused = RwSignal::new(None::<String>);
    let tree = NodeRef::<leptos::html::Ul>::new();
    // Every node's row by key, rebuilt once per change of the tree; each rendered node reads its
    // own row through a memo, so a change of one pod updates that pod's node only (rows are
    // keyed, never re-created for a change elsewhere).
    let rows = Memo::new(move |_| nodes.with(|list| index(list)));
    let roots =
        Memo::new(move |_| nodes.with(|list| list.iter().map(TreeNode::key).collect::<Vec<_>>()));
    // The one tab stop: the focused node while it exists, else the first.
    let stop = Memo::new(move |_| {
        let first = roots.with(|r| r.first().cloned()).unwrap_or_default();
        focused
            .get()
            .filter(|k| rows.with(|rows| rows.contains_key(k)))
            .unwrap_or(first)
    });
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let Some(ul) = tree.get_untracked() else {
            return;
        };
        let Some(item) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("[role=treeitem]").ok().flatten())
        else {
            return;
        };
        let items = visible_items(&ul);
        let Some(at) = items.iter().position(|i| *i == item) else {
            return;
        };
        let key = item.get_attribute("data-key").unwrap_or_default();
        let expanded = item.get_attribute("aria-expanded");
        let target = match ev.key().as_str() {
            "ArrowDown" => items.get(at + 1).cloned(),
            "ArrowUp" => at.checked_sub(1).and_then(|i| items.get(i).cloned()),
            "Home" => items.first().cloned(),
            "End" => items.last().cloned(),
            "ArrowRight" => match expanded.as_deref() {
                Some("false") => {
                    chosen.update(|c| {
                        c.insert(key, true);
                    });
                    None
                }
                Some("true") => items.get(at + 1).cloned(),
                _ => None,
            },
            "ArrowLeft" => match expanded.as_deref() {
                Some("true") => {
                    chosen.update(|c| {
                        c.insert(key, false);
                    });
                    None
                }
                _ => item
                    .parent_element()
                    .and_then(|g| g.closest("[role=treeitem]").ok().flatten()),
            },
            "Enter" => {
                if let Some(link) = item
                    .query_selector(":scope > .lo-tree__row a")
                    .ok()
                    .flatten()
                    .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    link.click();
                }
                None
            }
            _ => return,
        };
        ev.prevent_default();
        if let Some(next) = target {
            move_focus(&items, &next);
        }
    };
    let on_focusin = move |ev: web_sys::FocusEvent| {
        let key = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("[role=treeitem]").ok().flatten())
            .and_then(|i| i.get_attribute("data-key"));
        if key.is_some() {
            focused.set(key);
        }
    };
    let ctx = Tree { rows, chosen, stop };
    view! {
        <div class="lo-tree-view">
            <Show when=move || roots.with(|r| !r.is_empty()) fallback=move || view! { <p class="lo-empty">{empty.clone()}</p> }>
                <ul class="lo-tree" role="tree" aria-label=label.clone() node_ref=tree
                    on:keydown=on_keydown on:focusin=on_focusin>
                    <For each=move || roots.get() key=|k| k.clone() children=move |k| item(ctx, k, 1) />
                </ul>
            </Show>
        </div>
    }
}

/// One node as rendered: the node without its children, their keys, and what a collapsed node
/// shows.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    node: TreeNode,
    children: Vec<String>,
    descendants: usize,
    expanded_by_default: bool,
}

/// Every node of the tree by key.
fn index(nodes: &[TreeNode]) -> HashMap<String, Row> {
    fn add(map: &mut HashMap<String, Row>, n: &TreeNode) {
        for c in &n.children {
            add(map, c);
        }
        map.insert(
            n.key(),
            Row {
                node: TreeNode {
                    group: n.group.clone(),
                    version: n.version.clone(),
                    kind: n.kind.clone(),
                    namespace: n.namespace.clone(),
                    name: n.name.clone(),
                    word: n.word.clone(),
                    tone: n.tone,
                    message: n.message.clone(),
                    found: n.found,
                    children: Vec::new(),
                },
                children: n.children.iter().map(TreeNode::key).collect(),
                descendants: n.descendants(),
                expanded_by_default: n.expanded_by_default(),
            },
        );
    }
    let mut map = HashMap::new();
    for n in nodes {
        add(&mut map, n);
    }
    map
}

/// What every rendered node reads.
#[derive(Clone, Copy)]
struct Tree {
    rows: Memo<HashMap<String, Row>>,
    chosen: RwSignal<HashMap<String, bool>>,
    stop: Memo<String>,
}

/// The rendered (so visible) tree items, in document order.
fn visible_items(ul: &web_sys::Element) -> Vec<web_sys::Element> {
    let Ok(list) = ul.query_selector_all("[role=treeitem]") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// Roving tab stop: `next` becomes the one focusable item, and gets focus.
fn move_focus(items: &[web_sys::Element], next: &web_sys::Element) {
    for i in items {
        let _ = i.set_attribute("tabindex", if i == next { "0" } else { "-1" });
    }
    if let Some(el) = next.dyn_ref::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// The node `key` at `level` and, when open, its children (keyed: each reads its own row).
fn item(tree: Tree, key: String, level: usize) -> AnyView {
    let row = {
        let key = key.clone();
        Memo::new(move |_| tree.rows.with(|rows| rows.get(&key).cloned()))
    };
    let has_children = move || row.with(|r| r.as_ref().is_some_and(|r| !r.children.is_empty()));
    let open = {
        let key = key.clone();
        move || {
            has_children()
                && tree
                    .chosen
                    .with(|c| c.get(&key).copied())
                    .unwrap_or_else(|| {
                        row.with(|r| r.as_ref().is_some_and(|r| r.expanded_by_default))
                    })
        }
    };
    let children = Memo::new(move |_| {
        row.with(|r| r.as_ref().map(|r| r.children.clone()).unwrap_or_default())
    });
    let toggle = {
        let (key, open) = (key.clone(), open.clone());
        move |_| {
            let now_open = open();
            tree.chosen.update(|c| {
                c.insert(key.clone(), !now_open);
            });
        }
    };
    let field = move |f: fn(&TreeNode) -> String| {
        move || row.with(|r| r.as_ref().map(|r| f(&r.node)).unwrap_or_default())
    };
    let (open_mark, open_group, open_count, open_attr) =
        (open.clone(), open.clone(), open.clone(), open);
    let stop_key = key.clone();
    view! {
        <li role="treeitem" class="lo-tree__item" data-key=key.clone() data-kind=field(|n| n.kind.clone())
            data-name=field(|n| n.name.clone()) data-tone=field(|n| n.tone.as_str().to_owned())
            aria-expanded=move || has_children().then(|| open_attr().to_string())
            tabindex=move || if tree.stop.with(|s| *s == stop_key) { "0" } else { "-1" }>
            <span class="lo-tree__row">
                <span class="lo-tree__gutter">
                    <Show when=has_children>
                        <span class="lo-tree__toggle" aria-hidden="true" on:click=toggle.clone()>{
                            let open = open_mark.clone();
                            move || if open() { "▾" } else { "▸" }
                        }</span>
                    </Show>
                </span>
                {move || row.with(|r| r.as_ref().map(|r| {
                    let n = &r.node;
                    view! { <StatusBadge label=n.word.clone() tone=n.tone message=n.message.clone() /> }
                }))}
                <span class="lo-tree__kind">{field(|n| n.kind.clone())}</span>
                <a href=field(|n| n.route().path()) tabindex="-1">{move || row.with(|r| r.as_ref().map(|r| {
                    let n = &r.node;
                    if level == 1 && !n.namespace.is_empty() { format!("{}/{}", n.namespace, n.name) } else { n.name.clone() }
                }).unwrap_or_default())}</a>
                <Show when=move || has_children() && !open_count()>
                    <span class="lo-tree__count">{move || {
                        let n = row.with(|r| r.as_ref().map_or(0, |r| r.descendants));
                        format!("{n} {}", if n == 1 { "object" } else { "objects" })
                    }}</span>
                </Show>
            </span>
            <Show when=open_group.clone()>
                <ul role="group">
                    <For each=move || children.get() key=|k| k.clone() children=move |k| item(tree, k, level + 1) />
                </ul>
            </Show>
        </li>
    }
    // tachys knows no `aria-level` attribute: set it by name.
    .add_any_attr(custom_attribute("aria-level", level.to_string()))
    .into_any()
}

/// Stories: healthy (collapsed), a failing pod deep in the tree (its branch open), an inventory
/// object missing from the cluster, one of a kind the cluster does not serve, an empty inventory.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    use lookout_client::status::Tone;
    fn node(
        group: &str,
        kind: &str,
        name: &str,
        (word, tone): (&str, Tone),
        children: Vec<TreeNode>,
    ) -> TreeNode {
        TreeNode {
            group: group.into(),
            version: "v1".into(),
            kind: kind.into(),
            namespace: "demo".into(),
            name: name.into(),
            word: word.into(),
            tone,
            message: String::new(),
            found: word != "NotFound",
            children,
        }
    }
    const OK: (&str, Tone) = ("Current", Tone::Ok);
    const RUNNING: (&str, Tone) = ("Running", Tone::Ok);
    fn app(name: &str, failing: bool) -> TreeNode {
        let rs = format!("{name}-7d9f8c6b5");
        let pods = vec![
            node("", "Pod", &format!("{rs}-ab12c"), RUNNING, vec![]),
            if failing {
                let mut p = node(
                    "",
                    "Pod",
                    &format!("{rs}-cd34e"),
                    ("CrashLoopBackOff", Tone::Error),
                    vec![],
                );
                p.message = format!("back-off restarting failed container {HOSTILE}");
                p
            } else {
                node("", "Pod", &format!("{rs}-cd34e"), RUNNING, vec![])
            },
        ];
        let rs_status = if failing {
            ("InProgress", Tone::Progress)
        } else {
            OK
        };
        let deploy_status = if failing {
            ("InProgress", Tone::Progress)
        } else {
            OK
        };
        node(
            "apps",
            "Deployment",
            name,
            deploy_status,
            vec![node("apps", "ReplicaSet", &rs, rs_status, pods)],
        )
    }
    fn tree(nodes: Vec<TreeNode>) -> AnyView {
        view! { <ResourceTree nodes=nodes label="Resources" empty="No inventory." /> }.into_any()
    }
    fn service() -> TreeNode {
        node("", "Service", "web", OK, vec![])
    }
    vec![
        Story {
            component: "resource-tree",
            state: "healthy",
            render: || tree(vec![app("api", false), app("web", false), service()]),
        },
        Story {
            component: "resource-tree",
            state: "failing-pod",
            render: || tree(vec![app("worker", true), app("web", false), service()]),
        },
        Story {
            component: "resource-tree",
            state: "missing-object",
            render: || {
                let mut gone = node(
                    "",
                    "ConfigMap",
                    "web-config",
                    ("NotFound", Tone::Unknown),
                    vec![],
                );
                gone.message = "not in the cluster (deleted, or not readable)".into();
                tree(vec![gone, app("web", false), service()])
            },
        },
        Story {
            component: "resource-tree",
            state: "not-served",
            render: || {
                let mut gadget = node(
                    "example.org",
                    "Gadget",
                    "g",
                    ("NotServed", Tone::Unknown),
                    vec![],
                );
                gadget.message =
                    "the cluster does not serve Gadget.example.org (is its CRD installed?)".into();
                gadget.found = false;
                tree(vec![gadget, app("web", false)])
            },
        },
        Story {
            component: "resource-tree",
            state: "empty",
            render: || tree(vec![]),
        },
    ]
}
