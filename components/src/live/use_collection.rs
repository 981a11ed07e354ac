//! [`use_collection`]: [`use_objects`](super::use_objects) for a typed kind.

use super::use_objects::{use_objects, UseObjectsReturn};
use lookout_client::{Selector, TypedResource};

/// The live objects of a typed kind (e.g. `Pod`) that `selector` picks, through the connection in
/// context.
pub fn use_collection<T>(selector: impl Fn() -> Selector + 'static) -> UseObjectsReturn<T>
where
    T: TypedResource + Send + Sync,
{
    use_objects(T::API, selector)
}
