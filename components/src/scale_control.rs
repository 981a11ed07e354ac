//! A workload's replica count with a field to change it (`kubectl scale`).

use crate::action_button::ActionButton;
use crate::live::UseActionReturn;
use leptos::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Numbers the controls on a page: each status line needs an id of its own (a page may show
/// several controls, as the storybook does) for its field's `aria-describedby`.
static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// Why a typed count cannot be sent, or the count.
fn parse_count(text: &str) -> Result<u32, &'static str> {
    text.trim()
        .parse::<u32>()
        .map_err(|_| "Replicas are a whole number, 0 or more.")
}

/// The replicas a workload asks for and has ready (both live), and a number field with a Scale
/// button. The field shows the live count until the user types; what they typed stays until the
/// watch shows it applied (or the server refused it). Refused beforehand (RBAC), the field and
/// button are disabled and the reason is shown.
#[component]
pub fn ScaleControl(
    /// `spec.replicas`, live (`None` while unknown).
    #[prop(into)]
    replicas: Signal<Option<u32>>,
    /// `status.readyReplicas`, live.
    #[prop(into)]
    ready: Signal<Option<u32>>,
    /// The count to send; `scale` is built over it (`Action::Scale(count)`).
    count: RwSignal<u32>,
    /// The scale action ([`use_action`](crate::live::use_action)).
    scale: UseActionReturn,
) -> impl IntoView {
    // What the user typed; `None` shows the live count.
    let typed = RwSignal::new(None::<String>);
    let parsed = move || typed.with(|t| t.as_deref().map(parse_count));
    // The result comes from the watch: once the workload asks for what was typed, the field
    // follows the live count again.
    Effect::new(move |_| {
        if let (Some(Ok(n)), Some(live)) = (parsed(), replicas.get()) {
            if n == live {
                typed.set(None);
            }
        }
    });
    let refused = move || scale.refusal.with(Option::is_some);
    let shown = move || {
        typed
            .get()
            .or_else(|| replicas.get().map(|n| n.to_string()))
            .unwrap_or_default()
    };
    let invalid = move || matches!(parsed(), Some(Err(_)));
    let unchanged = move || !matches!(parsed(), Some(Ok(_)));
    let status_id = format!(
        "lo-scale-status-{}",
        NEXT_ID.fetch_add(1, Ordering::Relaxed)
    );
    view! {
        <div class="lo-scale" role="group" aria-label="Scale">
            <label class="lo-scale__field">
                <span>"Replicas"</span>
                <input
                    type="number"
                    min="0"
                    step="1"
                    inputmode="numeric"
                    class="lo-input lo-scale__input"
                    prop:value=shown
                    disabled=refused
                    aria-invalid=move || invalid().then_some("true")
                    aria-describedby=status_id.clone()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        if let Ok(n) = parse_count(&text) {
                            count.set(n);
                        }
                        typed.set(Some(text));
                    }
                />
            </label>
            <ActionButton action=scale label="Scale" disabled=Signal::derive(move || unchanged() || invalid()) explain=true />
            <span id=status_id class="lo-scale__status" data-fact="ready" aria-live="polite">
                {move || match (ready.get(), replicas.get()) {
                    (_, None) => String::new(),
                    (r, Some(n)) => format!("{} of {n} ready", r.unwrap_or(0)),
                }}
            </span>
            <Show when=invalid>
                <span class="lo-error" role="alert">{move || parsed().and_then(Result::err).unwrap_or_default()}</span>
            </Show>
        </div>
    }
}

/// Stories: a Deployment scaling up, one the user may not scale.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::live::Outcome;
    use crate::story::Story;
    fn control(refusal: Option<&'static str>) -> AnyView {
        let scale = UseActionReturn {
            outcome: Signal::stored(Outcome::Idle),
            refusal: Signal::stored(refusal.map(str::to_owned)),
            run: Callback::new(|()| {}),
        };
        view! { <ScaleControl replicas=Some(3) ready=Some(2) count=RwSignal::new(3) scale=scale /> }
            .into_any()
    }
    vec![
        Story {
            component: "scale-control",
            state: "default",
            render: || control(None),
        },
        Story {
            component: "scale-control",
            state: "refused",
            render: || control(Some("You may not patch deployments/scale in demo")),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::parse_count;

    #[test]
    fn only_whole_counts_from_zero_are_sent() {
        assert_eq!(parse_count(" 3 "), Ok(3));
        assert_eq!(parse_count("0"), Ok(0));
        for bad in ["", "-1", "1.5", "three", "99999999999"] {
            assert!(parse_count(bad).is_err(), "{bad:?}");
        }
    }
}
