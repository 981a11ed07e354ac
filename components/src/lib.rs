//! `lookout-components`: Leptos views of live Kubernetes state, over `lookout-client`.
//!
//! [`live`] holds the hooks: shared watches, requests and log streams turned into signals. The
//! components render the signals they are given and fetch nothing, so every view updates as watch
//! events arrive and a story can render any state from fixture data. Each component lives in its
//! own module.

#![warn(missing_docs)]

pub mod action_button;
pub mod attention_list;
pub mod conditions_table;
pub mod connection_status;
pub mod coverage;
pub mod error_panel;
pub mod events_table;
pub mod flux_card;
pub mod flux_graph_view;
pub mod flux_sync_status;
pub mod flux_table;
pub mod helm_history;
pub mod labels;
pub mod live;
pub mod log_viewer;
pub mod namespace_picker;
pub mod pod_details;
pub mod pod_summary;
pub mod pod_table;
pub mod reconcile_timeline;
pub mod relative_time;
pub mod resource_table;
pub mod resource_tree;
pub mod scale_control;
pub mod status_badge;
pub mod story;
pub mod table_head;
pub mod table_tools;
pub mod when_loaded;
pub mod workload_details;
pub mod workload_summary;
pub mod yaml_view;

pub use action_button::ActionButton;
pub use attention_list::AttentionList;
pub use conditions_table::ConditionsTable;
pub use connection_status::ConnectionStatus;
pub use coverage::{Coverage, Part};
pub use error_panel::ErrorPanel;
pub use events_table::EventsTable;
pub use flux_card::FluxCard;
pub use flux_graph_view::FluxGraphView;
pub use flux_sync_status::FluxSyncStatus;
pub use flux_table::FluxTable;
pub use helm_history::HelmHistory;
pub use labels::Labels;
pub use live::{
    set_readable_namespaces, set_transport, use_action, use_collection, use_containers,
    use_described, use_discovery, use_full_object, use_kinds, use_kinds_in, use_now, use_object,
    use_objects, use_objects_with_options, use_pod_log, use_refusal, use_workload_counts,
    FrameStore, ListProgress, Narrowed, UseActionReturn, UseObjectReturn, UseObjectsOptions,
    UseObjectsReturn, UsePodLogOptions, UsePodLogReturn,
};
pub use log_viewer::LogViewer;
pub use namespace_picker::NamespacePicker;
pub use pod_details::PodDetailsView;
pub use pod_summary::PodSummary;
pub use pod_table::PodTable;
pub use reconcile_timeline::ReconcileTimeline;
pub use relative_time::RelativeTime;
pub use resource_table::ResourceTable;
pub use resource_tree::ResourceTree;
pub use scale_control::ScaleControl;
pub use status_badge::StatusBadge;
pub use when_loaded::when_loaded;
pub use workload_details::WorkloadDetailsView;
pub use workload_summary::WorkloadSummary;
pub use yaml_view::YamlView;
