//! `GET /_dev/agents`: the agents (clusters) this server offers, for the app's cluster picker.

use crate::AppState;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

/// The name of a simulated cluster (as `main.rs` seeds them).
fn simulated_name(id: u64) -> String {
    match id {
        1 => "demo".into(),
        2 => "staging".into(),
        4 => "demo, flux-system reader".into(),
        n => format!("simulated {n}"),
    }
}

/// `[{"id": 1, "name": "kind-dev", "simulated": false}, …]` in agent order: real clusters by
/// their kubeconfig context (or KAS URL), simulated ones by their seed's name.
pub async fn list(State(app): State<AppState>) -> Json<Value> {
    let mut agents: Vec<(u64, String, bool)> = app
        .upstreams
        .iter()
        .map(|(id, up)| (*id, up.name().to_owned(), false))
        .collect();
    agents.extend(
        app.agents
            .keys()
            .filter(|id| !app.upstreams.contains_key(id))
            .map(|id| (*id, simulated_name(*id), true)),
    );
    agents.sort_by_key(|a| a.0);
    Json(Value::Array(
        agents
            .into_iter()
            .map(|(id, name, simulated)| json!({ "id": id, "name": name, "simulated": simulated }))
            .collect(),
    ))
}
