//! The Flux dependency graph as SVG: sources on the left, each object right of what it needs,
//! nodes coloured by status, the current object outlined, every node a link to its details.

use leptos::prelude::*;
use lookout_client::view::flux_graph::{EdgeKind, Graph};
use lookout_client::view::route::ObjectRoute;

// Whole pixels: integers format without the float formatting code (kilobytes of every bundle
// with this view).
const NODE_W: usize = 200;
const NODE_H: usize = 40;
const COL_GAP: usize = 60;
const ROW_GAP: usize = 16;

fn origin(column: usize, row: usize) -> (usize, usize) {
    (column * (NODE_W + COL_GAP), row * (NODE_H + ROW_GAP))
}

/// Draws `graph`. Solid arrows: `sourceRef`; dashed: `dependsOn`.
#[component]
pub fn FluxGraphView(
    /// The laid-out graph (live).
    #[prop(into)]
    graph: Signal<Graph>,
    /// `(kind, namespace, name)` of the object to outline, if any.
    #[prop(optional)]
    current: Option<(String, String, String)>,
    /// Makes a node's detail route from `(kind, namespace, name)` (the view knows no API versions).
    route: fn(&str, &str, &str) -> Option<ObjectRoute>,
    /// Called with a node's detail path when it is clicked or activated with Enter.
    #[prop(optional)]
    on_open: Option<Callback<String>>,
) -> impl IntoView {
    move || {
        let g = graph.get();
        let (cols, rows) = g.size();
        let width = (cols * (NODE_W + COL_GAP)).max(NODE_W);
        let height = (rows * (NODE_H + ROW_GAP)).max(NODE_H);
        let edges = g
            .edges
            .iter()
            .map(|&(from, to, kind)| {
                let (a, b) = (&g.nodes[from], &g.nodes[to]);
                let (x1, y1) = origin(a.column, a.row);
                let (x2, y2) = origin(b.column, b.row);
                let (sx, sy, ex, ey) = (x1, y1 + NODE_H / 2, x2 + NODE_W, y2 + NODE_H / 2);
                let mid = (sx + ex) / 2;
                let d = format!("M{ex},{ey} C{mid},{ey} {mid},{sy} {sx},{sy}");
                let class = match kind {
                    EdgeKind::Source => "lo-graph__edge",
                    EdgeKind::DependsOn => "lo-graph__edge lo-graph__edge--dep",
                };
                view! { <path class=class d=d marker-end="url(#lo-arrow)"></path> }
            })
            .collect_view();
        let nodes = g.nodes.iter().map(|n| {
            let (x, y) = origin(n.column, n.row);
            let is_current = current.as_ref().is_some_and(|(k, ns, name)| *k == n.kind && *ns == n.namespace && *name == n.name);
            let href = route(&n.kind, &n.namespace, &n.name).map(|r| r.path()).unwrap_or_default();
            let label = format!("{} {}/{}", n.kind, n.namespace, n.name);
            let (h1, h2) = (href.clone(), href);
            let open = move |href: &String| if let (Some(cb), false) = (on_open, href.is_empty()) { cb.run(href.clone()) };
            view! {
                <g class="lo-graph__node" data-tone=n.tone.as_str() data-current=is_current.then_some("true")
                    data-name=n.name.clone() role="link" tabindex="0"
                    transform=format!("translate({x},{y})")
                    on:click=move |_| open(&h1)
                    on:keydown=move |ev| if ev.key() == "Enter" { open(&h2) }>
                    <title>{label}</title>
                    <rect width=NODE_W height=NODE_H rx="6"></rect>
                    <text x="10" y="16" class="lo-graph__kind">{n.kind.clone()}</text>
                    <text x={NODE_W - 10} y="16" text-anchor="end" class="lo-graph__tone">{n.tone.label()}</text>
                    <text x="10" y="32" class="lo-graph__name">{n.name.clone()}</text>
                </g>
            }
        }).collect_view();
        let missing = (!g.missing.is_empty()).then(|| {
            view! {
                <p class="lo-error" role="status">"Missing: "{g.missing.join(", ")}</p>
            }
        });
        view! {
            <div class="lo-graph">
                <svg role="group" aria-label="Flux dependency graph" width=width height=height viewBox=format!("-2 -2 {} {}", width + 4, height + 4)>
                    <defs>
                        <marker id="lo-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class="lo-graph__arrow"></path>
                        </marker>
                    </defs>
                    {edges}
                    {nodes}
                </svg>
                {missing}
            </div>
        }
    }
}

/// Stories: the demo's shape, with one failing object.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::Story;
    use lookout_client::status::Tone;
    use lookout_client::view::flux_graph::build;
    vec![Story {
        component: "flux-graph",
        state: "demo",
        render: || {
            let repo = serde_json::json!({ "metadata": { "name": "platform", "namespace": "flux-system" } });
            let helm = serde_json::json!({ "metadata": { "name": "podinfo", "namespace": "flux-system" } });
            let infra = serde_json::json!({ "kind": "Kustomization", "metadata": { "name": "infra", "namespace": "flux-system" }, "spec": { "sourceRef": { "kind": "GitRepository", "name": "platform" } } });
            let apps = serde_json::json!({ "kind": "Kustomization", "metadata": { "name": "apps", "namespace": "flux-system" }, "spec": { "sourceRef": { "kind": "GitRepository", "name": "platform" }, "dependsOn": [{ "name": "infra" }] } });
            let release = serde_json::json!({ "kind": "HelmRelease", "metadata": { "name": "podinfo", "namespace": "flux-system" }, "spec": { "chart": { "spec": { "sourceRef": { "kind": "HelmRepository", "name": "podinfo" } } }, "dependsOn": [{ "name": "ghost" }] } });
            let graph = build(&[
                ("GitRepository", &repo, Tone::Ok),
                ("HelmRepository", &helm, Tone::Ok),
                ("Kustomization", &infra, Tone::Ok),
                ("Kustomization", &apps, Tone::Progress),
                ("HelmRelease", &release, Tone::Error),
            ]);
            view! { <FluxGraphView graph=graph current=("Kustomization".to_owned(), "flux-system".to_owned(), "apps".to_owned()) route=|_, _, _| None /> }.into_any()
        },
    }]
}
