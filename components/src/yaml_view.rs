//! An object as highlighted YAML, `managedFields` hidden unless asked for.

use leptos::prelude::*;
use lookout_client::view::yaml::{to_yaml, tokens, without_managed_fields};
use serde_json::Value;

/// Shows `object` as YAML with syntax colours, a toggle for `metadata.managedFields` and a copy
/// button. Values are rendered as text (never as HTML).
#[component]
pub fn YamlView(
    /// The object (full JSON). Callers never pass Secret data: Secrets are fetched as metadata
    /// only.
    #[prop(into)]
    object: Signal<Value>,
) -> impl IntoView {
    let managed = RwSignal::new(false);
    let yaml = Memo::new(move |_| {
        let value = object.get();
        // A value serde-saphyr cannot print is said so as a YAML comment.
        to_yaml(&if managed.get() {
            value
        } else {
            without_managed_fields(value)
        })
        .unwrap_or_else(|e| format!("# {e}"))
    });
    let copy = move |_| {
        let text = yaml.get_untracked();
        let _ = window().navigator().clipboard().write_text(&text);
    };
    view! {
        <div class="lo-yaml">
            <div class="lo-toolbar">
                <label class="lo-field">
                    <input type="checkbox" prop:checked=move || managed.get() on:change=move |ev| managed.set(event_target_checked(&ev)) />
                    <span>"Show managed fields"</span>
                </label>
                <button type="button" class="lo-button" on:click=copy>"Copy"</button>
            </div>
            <pre class="lo-yaml__text" aria-label="YAML" tabindex="0"><code>
                {move || yaml.with(|y| y.lines().map(|line| {
                    let parts = tokens(line).into_iter().map(|(t, s)| view! { <span class=format!("lo-y-{}", t.as_str())>{s.to_owned()}</span> }).collect_view();
                    view! { <span class="lo-yaml__line">{parts}"\n"</span> }
                }).collect_view())}
            </code></pre>
        </div>
    }
}

/// Stories: a workload, and hostile strings.
pub fn stories() -> Vec<crate::story::Story> {
    use crate::story::{Story, HOSTILE};
    vec![
        Story {
            component: "yaml-view",
            state: "deployment",
            render: || {
                let v = serde_json::json!({ "apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": { "name": "web", "namespace": "app", "labels": { "app": "web" },
                        "managedFields": [{ "manager": "kubectl", "operation": "Apply" }] },
                    "spec": { "replicas": 3, "template": { "spec": { "containers": [{ "name": "web", "image": "nginx:1.27", "args": ["--port", "8080"] }] } } },
                    "status": { "readyReplicas": 3, "conditions": [{ "type": "Available", "status": "True" }] } });
                view! { <YamlView object=v /> }.into_any()
            },
        },
        Story {
            component: "yaml-view",
            state: "hostile",
            render: || {
                let v = serde_json::json!({ "metadata": { "name": "evil", "annotations": { "note": HOSTILE, "multi": "a\nb: c" } } });
                view! { <YamlView object=v /> }.into_any()
            },
        },
    ]
}
