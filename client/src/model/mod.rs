//! What the objects are: slim per-kind models (only the fields views render, unknown fields
//! skipped; strings are shared [`Str`]s, those many objects repeat interned, labels a sorted
//! slice of pairs), where each kind lives (`kinds`), the Flux model and API timestamps.
//!
//! Full k8s-openapi objects cost ~75× the memory and 2–4× the decode time in wasm; the watch and store
//! hot path uses these instead, and full objects are fetched on demand.

pub mod event;
pub mod flux;
pub mod kinds;
pub mod time;

mod labels;
mod namespace;
mod object;
mod pod;
mod pod_details;
mod text;
mod workload_details;

pub use labels::Labels;
pub use namespace::{Namespace, NamespaceStatus};
pub use object::Object;
pub use pod::{
    ContainerName, ContainerState, ContainerStatus, Pod, PodGroup, PodSpec, PodStatus, StateReason,
};
pub use pod_details::{ContainerDetails, PodDetails, State as ContainerStateDetails, Termination};
pub use text::Str;
pub use workload_details::WorkloadDetails;

pub(crate) use crate::api::resource::null_as_default;
pub(crate) use text::{interned, interned_opt};
