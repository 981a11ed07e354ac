//! Stories: every component in every state, rendered from fixtures, at a stable URL
//! (`/stories/<component>/<state>`). Each component module lists its own stories.

use leptos::prelude::*;

/// One component in one state.
pub struct Story {
    /// Component name (URL segment).
    pub component: &'static str,
    /// State name (URL segment).
    pub state: &'static str,
    /// Renders the story.
    pub render: fn() -> AnyView,
}

/// A hostile string for labels and messages: must show as text, never run.
pub const HOSTILE: &str =
    "<img src=x onerror=\"window.__pwned=1\"> <script>window.__pwned=2</script> \u{202e}RTL\u{202c} 🚀";

/// Every story of every component.
pub fn all() -> Vec<Story> {
    let mut stories = Vec::new();
    stories.extend(crate::status_badge::stories());
    stories.extend(crate::connection_status::stories());
    stories.extend(crate::pod_table::stories());
    stories.extend(crate::pod_details::stories());
    stories.extend(crate::workload_details::stories());
    stories.extend(crate::scale_control::stories());
    stories.extend(crate::flux_table::stories());
    stories.extend(crate::relative_time::stories());
    stories.extend(crate::conditions_table::stories());
    stories.extend(crate::labels::stories());
    stories.extend(crate::yaml_view::stories());
    stories.extend(crate::flux_graph_view::stories());
    stories.extend(crate::error_panel::stories());
    stories.extend(crate::flux_sync_status::stories());
    stories.extend(crate::flux_card::stories());
    stories.extend(crate::attention_list::stories());
    stories.extend(crate::coverage::stories());
    stories.extend(crate::resource_tree::stories());
    stories.extend(crate::reconcile_timeline::stories());
    stories
}
