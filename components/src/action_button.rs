//! A button that performs one action on one object, with pending state and specific feedback.

use crate::live::{Outcome, UseActionReturn};
use leptos::prelude::*;

/// Runs an action ([`use_action`](crate::live::use_action)) when clicked. Shows "…" while
/// pending and the server's specific error when refused (a 403 names the missing permission). An
/// action the user may not perform (asked beforehand with a `SelfSubjectAccessReview`) is shown
/// `aria-disabled` with the reason as its title, and as text next to it with `explain`.
#[component]
pub fn ActionButton(
    /// The action ([`use_action`](crate::live::use_action)).
    action: UseActionReturn,
    /// The button's text.
    label: &'static str,
    /// Disables the button (e.g. reconcile while suspended).
    #[prop(into)]
    disabled: Signal<bool>,
    /// Asks "Confirm / Cancel" before running (destructive actions).
    #[prop(optional)]
    confirm: bool,
    /// Shows why the action is refused as text next to the button.
    #[prop(optional)]
    explain: bool,
) -> impl IntoView {
    let UseActionReturn {
        outcome,
        refusal,
        run: perform,
    } = action;
    let refused = move || refusal.with(Option::is_some);
    let asking = RwSignal::new(false);
    let run = move || {
        asking.set(false);
        perform.run(());
    };
    let error = move || match outcome.get() {
        Outcome::Failed(e) => Some(e),
        _ => None,
    };
    view! {
        <Show
            when=move || asking.get()
            fallback=move || view! {
                <button
                    type="button"
                    class="lo-button"
                    data-action=label
                    disabled=move || disabled.get() || outcome.get() == Outcome::Pending
                    aria-disabled=move || refused().then_some("true")
                    title=move || refusal.get()
                    aria-busy=move || (outcome.get() == Outcome::Pending).to_string()
                    on:click=move |_| if refused() {} else if confirm { asking.set(true) } else { run() }
                >
                    {label}
                </button>
                <Show when=move || explain && refused()>
                    <span class="lo-refusal">{move || refusal.get()}</span>
                </Show>
            }
        >
            <span class="lo-confirm" role="group" aria-label=format!("Confirm {label}")>
                <button type="button" class="lo-button lo-button--danger" on:click=move |_| run()>
                    {format!("Confirm {}", label.to_ascii_lowercase())}
                </button>
                <button type="button" class="lo-button" on:click=move |_| asking.set(false)>"Cancel"</button>
            </span>
        </Show>
        <Show when=move || error().is_some()>
            <span class="lo-error" role="alert">{move || error().unwrap_or_default()}</span>
        </Show>
    }
}
