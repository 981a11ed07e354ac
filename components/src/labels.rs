//! Labels or annotations as chips, the first few shown and the rest behind a "+N more" toggle.

use leptos::prelude::*;
use std::collections::BTreeMap;

/// Chips for key/value pairs (untrusted strings, rendered as text).
#[component]
pub fn Labels(
    /// The labels or annotations.
    #[prop(into)]
    items: Signal<BTreeMap<String, String>>,
    /// How many to show before "+N more" (default 4).
    #[prop(optional)]
    visible: Option<usize>,
) -> impl IntoView {
    let visible = visible.unwrap_or(4);
    let expanded = RwSignal::new(false);
    let shown = move || {
        let all: Vec<(String, String)> = items.get().into_iter().collect();
        let n = if expanded.get() {
            all.len()
        } else {
            visible.min(all.len())
        };
        all.into_iter().take(n).collect::<Vec<_>>()
    };
    let hidden = move || items.with(BTreeMap::len).saturating_sub(visible);
    view! {
        <ul class="lo-labels">
            {move || shown().into_iter().map(|(k, v)| {
                let title = format!("{k}={v}");
                view! { <li class="lo-label" title=title><span class="lo-label__key">{k}</span>"="<span>{v}</span></li> }
            }).collect_view()}
            <Show when=move || { hidden() > 0 }>
                <li>
                    <button type="button" class="lo-chip" aria-expanded=move || expanded.get().to_string() on:click=move |_| expanded.update(|e| *e = !*e)>
                        {move || if expanded.get() { "Show fewer".to_owned() } else { format!("+{} more", hidden()) }}
                    </button>
                </li>
            </Show>
        </ul>
    }
}

/// Stories: few, many (overflow), hostile.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    fn labels(pairs: Vec<(String, String)>) -> AnyView {
        let items: BTreeMap<String, String> = pairs.into_iter().collect();
        view! { <Labels items=items /> }.into_any()
    }
    vec![
        Story {
            component: "labels",
            state: "few",
            render: || {
                labels(vec![
                    ("app".into(), "web".into()),
                    ("tier".into(), "front".into()),
                ])
            },
        },
        Story {
            component: "labels",
            state: "overflow",
            render: || {
                labels(
                    (0..12)
                        .map(|i| (format!("example.com/key-{i}"), format!("value-{i}")))
                        .collect(),
                )
            },
        },
        Story {
            component: "labels",
            state: "hostile",
            render: || labels(vec![(HOSTILE.into(), HOSTILE.into())]),
        },
    ]
}
