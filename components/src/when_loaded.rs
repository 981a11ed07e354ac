//! [`when_loaded`]: a value fetched once (a `LocalResource`), shown once it has arrived, with a
//! line of text until then. Used instead of `<Suspense>`: leaving a page whose view was built
//! under a `<Suspense>` made Leptos read values of the old page after they were disposed, a
//! panic that killed the whole app (leptos-rs/leptos#4758; found by the browser soak: every
//! click from /flux to another page).

use leptos::prelude::*;

/// `show(value)` once `resource` has its value; `waiting` (as text) until then.
pub fn when_loaded<T, V>(
    resource: LocalResource<T>,
    waiting: &'static str,
    show: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    move || match resource.get() {
        None => view! { <p class="lo-empty">{waiting}</p> }.into_any(),
        Some(value) => show(value).into_any(),
    }
}
