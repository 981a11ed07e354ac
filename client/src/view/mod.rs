//! View models: what the views show, computed from models and status rules — the kind catalogue
//! (one entry per kind: API resource, capabilities, tabs, table), table columns, filter and sort,
//! routes, YAML, log text, the Flux dependency graph, the resource tree of a Kustomization or
//! HelmRelease, the reconciliation timeline of a Flux object, what needs attention (overview).

pub mod attention;
pub mod catalogue;
pub mod flux_graph;
pub mod log_text;
pub mod resource_tree;
pub mod route;
pub mod table;
pub mod timeline;
pub mod yaml;
