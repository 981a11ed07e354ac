//! The Flux dependency graph: sources, Kustomizations and HelmReleases as nodes, `sourceRef` and
//! `dependsOn` as edges, laid out in columns (sources left, each object one column right of the
//! furthest thing it needs) for an SVG view.

use crate::model::flux::{depends_on, source_ref};
use crate::status::Tone;
use serde_json::Value;
use std::collections::HashMap;

/// One object in the graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Kind.
    pub kind: String,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Status colour.
    pub tone: Tone,
    /// Column (0 = sources).
    pub column: usize,
    /// Row within the column.
    pub row: usize,
}

/// Why one node points at another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// The object reads its source.
    Source,
    /// The object waits for another (`dependsOn`).
    DependsOn,
}

/// The laid-out graph; edges index `nodes` (from the dependent to what it needs).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    /// Nodes, by column then name.
    pub nodes: Vec<Node>,
    /// (from, to, kind).
    pub edges: Vec<(usize, usize, EdgeKind)>,
    /// References to objects that do not exist (shown as errors by the view).
    pub missing: Vec<String>,
}

impl Graph {
    /// Columns and rows used, for sizing the drawing.
    pub fn size(&self) -> (usize, usize) {
        let cols = self.nodes.iter().map(|n| n.column + 1).max().unwrap_or(0);
        let rows = self.nodes.iter().map(|n| n.row + 1).max().unwrap_or(0);
        (cols, rows)
    }
}

type Id = (String, String, String);

/// Builds the graph of `objects` (each with its kind and status tone).
pub fn build(objects: &[(&str, &Value, Tone)]) -> Graph {
    let id_of = |kind: &str, v: &Value| -> Id {
        let s = |p: &str| {
            v.pointer(p)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        (
            kind.to_owned(),
            s("/metadata/namespace"),
            s("/metadata/name"),
        )
    };
    let ids: Vec<Id> = objects.iter().map(|(k, v, _)| id_of(k, v)).collect();
    let index: HashMap<&Id, usize> = ids.iter().enumerate().map(|(i, id)| (id, i)).collect();
    let mut edges = Vec::new();
    let mut missing = Vec::new();
    for (i, (_, v, _)) in objects.iter().enumerate() {
        let refs = source_ref(v)
            .map(|r| (r, EdgeKind::Source))
            .into_iter()
            .chain(depends_on(v).into_iter().map(|r| (r, EdgeKind::DependsOn)));
        for (r, kind) in refs {
            let target = (r.kind.clone(), r.namespace.clone(), r.name.clone());
            match index.get(&target) {
                Some(&j) => edges.push((i, j, kind)),
                None => missing.push(format!("{} {}/{}", r.kind, r.namespace, r.name)),
            }
        }
    }
    // Longest path from a node to a node that needs nothing; bounded so a cycle cannot loop.
    let mut column = vec![0usize; objects.len()];
    for _ in 0..objects.len() {
        let mut changed = false;
        for &(from, to, _) in &edges {
            if column[from] < column[to] + 1 && column[to] < objects.len() {
                column[from] = column[to] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut order: Vec<usize> = (0..objects.len()).collect();
    order.sort_by(|&a, &b| (column[a], &ids[a]).cmp(&(column[b], &ids[b])));
    let mut rows_used: HashMap<usize, usize> = HashMap::new();
    let mut position = vec![0usize; objects.len()];
    let mut nodes = Vec::with_capacity(objects.len());
    for (new, &old) in order.iter().enumerate() {
        position[old] = new;
        let row = rows_used.entry(column[old]).or_default();
        let (kind, namespace, name) = ids[old].clone();
        nodes.push(Node {
            kind,
            namespace,
            name,
            tone: objects[old].2,
            column: column[old],
            row: *row,
        });
        *row += 1;
    }
    let edges = edges
        .into_iter()
        .map(|(f, t, k)| (position[f], position[t], k))
        .collect();
    Graph {
        nodes,
        edges,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sources_left_dependents_right_and_missing_refs_reported() {
        let repo = json!({ "metadata": { "name": "repo", "namespace": "flux-system" } });
        let infra = json!({ "kind": "Kustomization", "metadata": { "name": "infra", "namespace": "flux-system" },
            "spec": { "sourceRef": { "kind": "GitRepository", "name": "repo" } } });
        let apps = json!({ "kind": "Kustomization", "metadata": { "name": "apps", "namespace": "flux-system" },
            "spec": { "sourceRef": { "kind": "GitRepository", "name": "repo" },
                      "dependsOn": [{ "name": "infra" }, { "name": "ghost" }] } });
        let g = build(&[
            ("Kustomization", &apps, Tone::Error),
            ("GitRepository", &repo, Tone::Ok),
            ("Kustomization", &infra, Tone::Ok),
        ]);
        let place: Vec<(&str, usize, usize)> = g
            .nodes
            .iter()
            .map(|n| (n.name.as_str(), n.column, n.row))
            .collect();
        assert_eq!(place, [("repo", 0, 0), ("infra", 1, 0), ("apps", 2, 0)]);
        assert_eq!(g.nodes[2].tone, Tone::Error);
        assert!(g.edges.contains(&(2, 1, EdgeKind::DependsOn)));
        assert!(g.edges.contains(&(2, 0, EdgeKind::Source)));
        assert_eq!(g.missing, ["Kustomization flux-system/ghost"]);
        assert_eq!(g.size(), (3, 1));
    }

    #[test]
    fn a_dependency_cycle_terminates() {
        let a = json!({ "kind": "Kustomization", "metadata": { "name": "a", "namespace": "n" }, "spec": { "dependsOn": [{ "name": "b" }] } });
        let b = json!({ "kind": "Kustomization", "metadata": { "name": "b", "namespace": "n" }, "spec": { "dependsOn": [{ "name": "a" }] } });
        let g = build(&[
            ("Kustomization", &a, Tone::Ok),
            ("Kustomization", &b, Tone::Ok),
        ]);
        assert_eq!(g.nodes.len(), 2);
        assert_eq!(g.edges.len(), 2);
    }
}
