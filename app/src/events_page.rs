//! Events of the whole cluster (or a namespace), newest first, with a warnings filter kept in the
//! URL (`?page=events&warnings=1`).

use leptos::prelude::*;
use lookout_client::model::Object;
use lookout_client::{model::kinds, Selector};
use lookout_components::{use_now, use_objects, ConnectionStatus, ErrorPanel, EventsTable};

/// The events page.
#[component]
pub fn EventsPage() -> impl IntoView {
    let params =
        web_sys::UrlSearchParams::new_with_str(&window().location().search().unwrap_or_default())
            .ok();
    let namespace = params
        .as_ref()
        .and_then(|p| p.get("namespace"))
        .filter(|n| !n.is_empty());
    let warnings = RwSignal::new(
        params
            .as_ref()
            .and_then(|p| p.get("warnings"))
            .is_some_and(|w| w == "1"),
    );
    let events = use_objects::<Object>(kinds::EVENT, move || Selector {
        namespace: namespace.clone(),
        ..Selector::default()
    });
    let now = use_now();
    let toggle = move |_| {
        warnings.update(|w| *w = !*w);
        if let (Ok(history), Ok(params)) = (
            window().history(),
            web_sys::UrlSearchParams::new_with_str(
                &window().location().search().unwrap_or_default(),
            ),
        ) {
            params.set("warnings", if warnings.get_untracked() { "1" } else { "0" });
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("?{}", String::from(params.to_string()))),
            );
        }
    };
    view! {
        <section class="lo-page" aria-labelledby="events-heading">
            <div class="lo-toolbar">
                <h2 id="events-heading">"Events"</h2>
                <label class="lo-field">
                    <input type="checkbox" prop:checked=move || warnings.get() on:change=toggle />
                    <span>"Warnings only"</span>
                </label>
                <ConnectionStatus state=events.state />
            </div>
            <ErrorPanel state=events.state retry=events.retry />
            <EventsTable events=events.items now=now warnings_only=warnings />
        </section>
    }
}
