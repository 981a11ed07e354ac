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
    // A live change re-renders the tree: focus goes back to the node that had it.
    Effect::new(move |_| {
        nodes.track();
        chosen.track();
        let Some(key) = focused.get_untracked() else {
            return;
        };
        request_animation_frame(move || {
            let Some(ul) = tree.get_untracked() else {
                return;
            };
            let active = document().active_element();
            if active.is_some_and(|a| ul.contains(Some(&a))) {
                return;
            }
            if let Some(el) = item_by_key(&ul, &key) {
                let _ = el.focus();
            }
        });
    });
    let is_open = move |node: &TreeNode| {
        chosen
            .with(|c| c.get(&node.key()).copied())
            .unwrap_or_else(|| node.expanded_by_default())
    };
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
    let toggle = Callback::new(move |(key, open): (String, bool)| {
        chosen.update(|c| {
            c.insert(key, !open);
        });
    });
    let body = move || {
        let list = nodes.get();
        if list.is_empty() {
            return view! { <p class="lo-empty">{empty.clone()}</p> }.into_any();
        }
        let current = focused.get_untracked();
        let first = list.first().map(TreeNode::key);
        let stop = current
            .filter(|k| contains(&list, k))
            .or(first)
            .unwrap_or_default();
        let items = list
            .iter()
            .map(|n| item(n, 1, &is_open, &stop, toggle))
            .collect_view();
        view! {
            <ul class="lo-tree" role="tree" aria-label=label.clone() node_ref=tree
                on:keydown=on_keydown on:focusin=on_focusin>{items}</ul>
        }
        .into_any()
    };
    view! { <div class="lo-tree-view">{body}</div> }
}

/// Whether `key` names a node of the tree.
fn contains(nodes: &[TreeNode], key: &str) -> bool {
    nodes
        .iter()
        .any(|n| n.key() == key || contains(&n.children, key))
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

fn item_by_key(ul: &web_sys::Element, key: &str) -> Option<web_sys::HtmlElement> {
    visible_items(ul)
        .into_iter()
        .find(|i| i.get_attribute("data-key").as_deref() == Some(key))
        .and_then(|i| i.dyn_into::<web_sys::HtmlElement>().ok())
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

fn item(
    node: &TreeNode,
    level: usize,
    is_open: &impl Fn(&TreeNode) -> bool,
    stop: &str,
    toggle: Callback<(String, bool)>,
) -> AnyView {
    let key = node.key();
    let has_children = !node.children.is_empty();
    let open = has_children && is_open(node);
    let name = if level == 1 && !node.namespace.is_empty() {
        format!("{}/{}", node.namespace, node.name)
    } else {
        node.name.clone()
    };
    let hidden = (has_children && !open).then(|| {
        let n = node.descendants();
        view! { <span class="lo-tree__count">{format!("{n} {}", if n == 1 { "object" } else { "objects" })}</span> }
    });
    let children = open.then(|| {
        let items = node
            .children
            .iter()
            .map(|c| item(c, level + 1, is_open, stop, toggle))
            .collect_view();
        view! { <ul role="group">{items}</ul> }
    });
    let toggle_key = key.clone();
    let toggle_mark = has_children.then(|| {
        view! {
            <span class="lo-tree__toggle" aria-hidden="true"
                on:click=move |_| toggle.run((toggle_key.clone(), open))>{if open { "▾" } else { "▸" }}</span>
        }
    });
    view! {
        <li role="treeitem" class="lo-tree__item" data-key=key.clone() data-kind=node.kind.clone()
            data-name=node.name.clone() data-tone=node.tone.as_str()
            aria-expanded=has_children.then(|| open.to_string())
            tabindex=if key == stop { "0" } else { "-1" }>
            <span class="lo-tree__row">
                <span class="lo-tree__gutter">{toggle_mark}</span>
                <StatusBadge label=node.word.clone() tone=node.tone message=node.message.clone() />
                <span class="lo-tree__kind">{node.kind.clone()}</span>
                <a href=node.route().path() tabindex="-1">{name}</a>
                {hidden}
            </span>
            {children}
        </li>
    }
    // tachys knows no `aria-level` attribute: set it by name.
    .add_any_attr(custom_attribute("aria-level", level.to_string()))
    .into_any()
}

/// Stories: healthy (collapsed), a failing pod deep in the tree (its branch open), an inventory
/// object missing from the cluster, an empty inventory.
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
            state: "empty",
            render: || tree(vec![]),
        },
    ]
}
