//! A button that performs one action on one object, with pending state and specific feedback.

use leptos::prelude::*;
use lookout_client::access::AccessQuery;
use lookout_client::actions::{action_request, perform, Action};
use lookout_client::time::format_rfc3339;
use lookout_client::{ApiResource, Connection};

/// What the last click did.
#[derive(Clone, PartialEq)]
enum Outcome {
    Idle,
    Pending,
    Done,
    Failed(String),
}

/// Performs `action` on `namespace/name` of `api` when clicked (merge patch or delete through the
/// connection in context). Shows "…" while pending and the server's specific error when refused
/// (a 403 names the missing permission). An action the user may not perform (asked beforehand
/// with a `SelfSubjectAccessReview`) is shown `aria-disabled` with the reason as its title, and
/// as text next to it with `explain`.
///
/// Props: `api`, `namespace`, `name`, `action`, `label`, `disabled`, and `confirm` (ask "Confirm /
/// Cancel" before a destructive action).
#[component]
pub fn ActionButton(
    api: ApiResource,
    namespace: String,
    name: String,
    action: Action,
    label: &'static str,
    disabled: bool,
    #[prop(optional)] confirm: bool,
    #[prop(optional)] explain: bool,
) -> impl IntoView {
    let connection = expect_context::<Connection>();
    let refusal = crate::access::use_refusal(
        &connection,
        AccessQuery::for_action(&api, &namespace, &action),
    );
    let refused = move || refusal.with(Option::is_some);
    let outcome = RwSignal::new(Outcome::Idle);
    let asking = RwSignal::new(false);
    let run = move || {
        asking.set(false);
        let now = (js_now() / 1000.0) as i64;
        let request = action_request(
            &connection,
            &api,
            &namespace,
            &name,
            &action,
            &format_rfc3339(now),
        );
        outcome.set(Outcome::Pending);
        leptos::task::spawn_local(async move {
            let transport = crate::live::transport();
            let result = perform(transport.as_ref(), request).await;
            let _ = outcome.try_set(match result {
                Ok(_) => Outcome::Done,
                Err(e) => Outcome::Failed(e.to_string()),
            });
        });
    };
    let error = move || match outcome.get() {
        Outcome::Failed(e) => Some(e),
        _ => None,
    };
    let run = StoredValue::new_local(run);
    view! {
        <Show
            when=move || asking.get()
            fallback=move || view! {
                <button
                    type="button"
                    class="lo-button"
                    data-action=label
                    disabled=move || disabled || outcome.get() == Outcome::Pending
                    aria-disabled=move || refused().then_some("true")
                    title=move || refusal.get()
                    aria-busy=move || (outcome.get() == Outcome::Pending).to_string()
                    on:click=move |_| if refused() {} else if confirm { asking.set(true) } else { run.with_value(|r| r()) }
                >
                    {label}
                </button>
                <Show when=move || explain && refused()>
                    <span class="lo-refusal">{move || refusal.get()}</span>
                </Show>
            }
        >
            <span class="lo-confirm" role="group" aria-label=format!("Confirm {label}")>
                <button type="button" class="lo-button lo-button--danger" on:click=move |_| run.with_value(|r| r())>
                    {format!("Confirm {}", label.to_lowercase())}
                </button>
                <button type="button" class="lo-button" on:click=move |_| asking.set(false)>"Cancel"</button>
            </span>
        </Show>
        <Show when=move || error().is_some()>
            <span class="lo-error" role="alert">{move || error().unwrap_or_default()}</span>
        </Show>
    }
}

fn js_now() -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Date::now();
    #[cfg(not(target_arch = "wasm32"))]
    return 0.0;
}
