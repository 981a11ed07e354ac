//! A namespace selector fed by a live namespace watch (and the namespaces the user named as
//! readable), with an "all namespaces" choice.

use leptos::prelude::*;
use lookout_client::Namespace;

/// Value of the "all namespaces" option.
pub const ALL_NAMESPACES: &str = "";

/// A `<select>` of namespaces.
#[component]
pub fn NamespacePicker(
    /// The namespaces to offer (live).
    #[prop(into)]
    namespaces: Signal<Vec<Namespace>>,
    /// The chosen namespace, `""` for all.
    #[prop(into)]
    selected: Signal<String>,
    /// Called with the new choice.
    #[prop(into)]
    on_change: Callback<String>,
) -> impl IntoView {
    let names = move || {
        let mut names: Vec<String> =
            namespaces.with(|ns| ns.iter().map(|n| n.metadata.name.to_string()).collect());
        // Keep the current choice selectable even before (or without) the namespace list, and
        // offer the namespaces the user named as readable (when it may not list namespaces).
        let current = selected.get();
        for name in std::iter::once(current).chain(crate::live::readable_namespaces()) {
            if !name.is_empty() && !names.contains(&name) {
                names.push(name);
            }
        }
        names
    };
    view! {
        <label class="lo-field">
            <span>"Namespace"</span>
            <select
                on:change=move |ev| on_change.run(event_target_value(&ev))
                prop:value=move || selected.get()
            >
                <option value=ALL_NAMESPACES selected=move || selected.get().is_empty()>"All namespaces"</option>
                <For each=names key=|n| n.clone() let:name>
                    <option value=name.clone() selected=move || selected.get() == name>{name.clone()}</option>
                </For>
            </select>
        </label>
    }
}
