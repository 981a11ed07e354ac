use super::*;
use serde_json::json;

fn kustomization() -> Value {
    json!({ "kind": "Kustomization", "metadata": { "name": "apps", "namespace": "flux-system" },
        "status": { "conditions": [
            { "type": "Ready", "status": "False", "reason": "DependencyNotReady",
              "message": "dependency 'flux-system/infrastructure' is not ready", "lastTransitionTime": "2026-11-25T05:30:00Z" },
            { "type": "Reconciling", "status": "True", "reason": "Progressing",
              "message": "Reconciliation in progress", "lastTransitionTime": "2026-11-25T05:10:00Z" },
            { "type": "Healthy", "status": "True", "reason": "Succeeded", "message": "", "lastTransitionTime": "not a time" }
        ] } })
}

#[test]
fn events_and_transitions_merge_newest_first() {
    let applied = json!({ "type": "Normal", "reason": "ReconciliationSucceeded", "message": "Applied revision: main@sha1:1",
        "lastTimestamp": "2026-11-25T05:20:00Z", "count": 3 });
    let failed = json!({ "type": "Warning", "reason": "HealthCheckFailed", "note": "timeout waiting for: [Deployment/demo/worker]",
        "eventTime": "2026-11-25T05:40:00.000000Z" });
    let list = timeline(&kustomization(), &[&applied, &failed]);
    let order: Vec<(&str, Tone)> = list.iter().map(|e| (e.reason.as_str(), e.tone)).collect();
    assert_eq!(
        order,
        [
            ("HealthCheckFailed", Tone::Error),
            ("DependencyNotReady", Tone::Error),
            ("ReconciliationSucceeded", Tone::Ok),
            ("Progressing", Tone::Progress),
        ],
        "a condition without a readable time is left out"
    );
    assert_eq!(
        list[0].message, "timeout waiting for: [Deployment/demo/worker]",
        "events.k8s.io's note"
    );
    assert_eq!(list[2].source, Source::Event { count: 3 });
    assert_eq!(
        list[1].source,
        Source::Condition {
            kind: "Ready".into(),
            status: "False".into()
        }
    );
    assert_eq!(list[1].time, "2026-11-25T05:30:00Z");
}

#[test]
fn an_event_comes_before_a_transition_of_the_same_second() {
    let event = json!({ "type": "Normal", "reason": "ReconciliationSucceeded", "message": "done",
        "lastTimestamp": "2026-11-25T05:30:00Z" });
    let list = timeline(&kustomization(), &[&event]);
    assert_eq!(list[0].reason, "ReconciliationSucceeded");
    assert_eq!(list[1].reason, "DependencyNotReady");
}

#[test]
fn nothing_known_is_an_empty_timeline() {
    assert!(timeline(&json!({ "kind": "Kustomization" }), &[]).is_empty());
    let timeless = json!({ "reason": "X", "message": "no time" });
    assert!(timeline(&json!({}), &[&timeless]).is_empty());
}
