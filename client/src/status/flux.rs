//! Flux readiness: Lookout's badge for Flux objects, and GitLab's environment sync status.

use super::kstatus::{self, Status};
use super::{conditions, int, string, Condition};
use serde_json::Value;

/// Lookout's state of a Flux object (suspension overlays the reconcile state).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FluxState {
    /// Being deleted.
    Deleting,
    /// `spec.suspend: true`: the controller does not reconcile it.
    Suspended,
    /// Stalled: needs a human (kstatus Failed).
    Failed,
    /// Ready=False: the last attempt failed and the controller retries.
    Failing,
    /// Ready False/Unknown with reason `DependencyNotReady`: waits for the objects in `spec.dependsOn`.
    Waiting,
    /// `metadata.generation` is ahead of the generation the status (Ready) describes: the
    /// controller has not seen the latest change yet.
    Stale,
    /// Reconciling or Ready=Unknown.
    Progressing,
    /// Ready=True at the current generation.
    Ready,
    /// Not reconciled yet (no Ready condition), or malformed.
    Unknown,
}

impl FluxState {
    /// Lower-case word for output and data attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            FluxState::Deleting => "deleting",
            FluxState::Suspended => "suspended",
            FluxState::Failed => "failed",
            FluxState::Failing => "failing",
            FluxState::Waiting => "waiting",
            FluxState::Stale => "stale",
            FluxState::Progressing => "progressing",
            FluxState::Ready => "ready",
            FluxState::Unknown => "unknown",
        }
    }
}

/// A Flux object's state, the message to show, and whether a reconcile request is pending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FluxStatus {
    /// The state.
    pub state: FluxState,
    /// Ready's (or the deciding condition's) message.
    pub message: String,
    /// `reconcile.fluxcd.io/requestedAt` differs from `status.lastHandledReconcileAt`.
    pub reconcile_requested: bool,
}

fn find<'a>(conds: &'a [Condition<'a>], kind: &str) -> Option<&'a Condition<'a>> {
    conds.iter().find(|c| c.kind == kind)
}

/// The state of a Flux object (Kustomization, HelmRelease, sources, …).
pub fn flux_status(obj: &Value, now: i64) -> FluxStatus {
    let requested = string(
        obj,
        "/metadata/annotations/reconcile.fluxcd.io~1requestedAt",
    );
    let handled = string(obj, "/status/lastHandledReconcileAt");
    let reconcile_requested = requested.is_some() && requested != handled;
    let status = |state, message: &str| FluxStatus {
        state,
        message: message.to_owned(),
        reconcile_requested,
    };
    let computed = match kstatus::compute(obj, now) {
        Ok(c) => c,
        Err(e) => return status(FluxState::Unknown, &format!("cannot read the object: {e}")),
    };
    if computed.status == Status::Terminating {
        return status(FluxState::Deleting, &computed.message);
    }
    let conds = conditions(obj).unwrap_or_default();
    let ready = find(&conds, "Ready");
    let message = ready.map_or("", |r| r.message);
    if crate::model::flux::suspended(obj) {
        return status(FluxState::Suspended, message);
    }
    if let Some(stalled) = conds
        .iter()
        .find(|c| c.kind == "Stalled" && c.status == "True")
    {
        return status(FluxState::Failed, stalled.message);
    }
    let stale = stale_generation(obj);
    let not_observed = |(generation, observed, _)| {
        status(
            FluxState::Stale,
            &format!(
                "Not yet observed: the controller has not seen the latest change \
                 (generation {generation}, observed {observed})"
            ),
        )
    };
    // Ready's own observedGeneration says its verdict is about an older spec.
    if let Some(s) = stale.filter(|&(_, _, by_ready)| by_ready) {
        return not_observed(s);
    }
    if let Some(r) = ready.filter(|r| r.reason == "DependencyNotReady" && r.status != "True") {
        let waiting = "Waiting for its dependencies";
        return status(
            FluxState::Waiting,
            &if r.message.is_empty() {
                waiting.to_owned()
            } else {
                format!("{waiting}: {}", r.message)
            },
        );
    }
    // Flux keeps status.observedGeneration at the last success while it fails or waits, so
    // only a Ready that says nothing about its generation and is not False is read as stale.
    if let Some(s) = stale.filter(|_| ready.map(|r| r.status) != Some("False")) {
        return not_observed(s);
    }
    match ready.map(|r| r.status) {
        Some("False") => status(FluxState::Failing, message),
        _ if computed.status == Status::InProgress => {
            status(FluxState::Progressing, &computed.message)
        }
        Some("True") => status(FluxState::Ready, message),
        Some(_) => status(FluxState::Progressing, message),
        None => status(FluxState::Unknown, "waiting to be reconciled"),
    }
}

/// `(generation, observed, by_ready)` when the controller has not seen `metadata.generation`:
/// neither `status.observedGeneration` nor the Ready condition's own `observedGeneration` (which
/// the Flux CLI reads first) has reached it. `by_ready`: Ready carries an `observedGeneration`, so
/// its verdict is known to be about an older spec.
fn stale_generation(obj: &Value) -> Option<(i64, i64, bool)> {
    let generation = int(obj, "/metadata/generation")?;
    let ready_observed = crate::model::flux::condition(obj, "Ready")
        .and_then(|c| c.get("observedGeneration"))
        .and_then(Value::as_i64)
        .filter(|&o| o != 0);
    let status_observed = int(obj, "/status/observedGeneration");
    let observed = ready_observed.max(status_observed)?;
    (observed < generation).then_some((generation, observed, ready_observed.is_some()))
}

/// GitLab's Flux sync status for an environment, computed exactly as GitLab's environment page does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStatus {
    /// No conditions (object missing or unreadable).
    Unavailable,
    /// `spec.suspend: true`.
    Suspended,
    /// Ready=False.
    Failed,
    /// Stalled=True.
    Stalled,
    /// Ready=Unknown with reason Progressing.
    ReconcilingWithBadConfig,
    /// Reconciling=True.
    Reconciling,
    /// Ready=True.
    Reconciled,
    /// None of the above.
    Unknown,
}

impl SyncStatus {
    /// Machine word, as GitLab names the state.
    pub fn as_str(self) -> &'static str {
        match self {
            SyncStatus::Unavailable => "unavailable",
            SyncStatus::Suspended => "suspended",
            SyncStatus::Failed => "failed",
            SyncStatus::Stalled => "stalled",
            SyncStatus::ReconcilingWithBadConfig => "reconcilingWithBadConfig",
            SyncStatus::Reconciling => "reconciling",
            SyncStatus::Reconciled => "reconciled",
            SyncStatus::Unknown => "unknown",
        }
    }

    /// The badge text.
    pub fn badge(self) -> &'static str {
        match self {
            SyncStatus::Unavailable => "Unavailable",
            SyncStatus::Suspended => "Paused",
            SyncStatus::Failed => "Failed",
            SyncStatus::Stalled => "Stalled",
            SyncStatus::ReconcilingWithBadConfig | SyncStatus::Reconciling => "Reconciling",
            SyncStatus::Reconciled => "Reconciled",
            SyncStatus::Unknown => "Unknown",
        }
    }
}

/// GitLab's sync status and tooltip text for a Flux Kustomization or HelmRelease.
pub fn sync_status(obj: &Value) -> (SyncStatus, String) {
    let conds = conditions(obj).unwrap_or_default();
    let has =
        |kind: &str, status: &str| conds.iter().find(|c| c.kind == kind && c.status == status);
    if conds.is_empty() {
        return (
            SyncStatus::Unavailable,
            "Flux sync status is unavailable".into(),
        );
    }
    if crate::model::flux::suspended(obj) {
        return (SyncStatus::Suspended, "Flux sync is suspended".into());
    }
    if let Some(c) = has("Ready", "False") {
        return (SyncStatus::Failed, c.message.to_owned());
    }
    if let Some(c) = has("Stalled", "True") {
        return (SyncStatus::Stalled, c.message.to_owned());
    }
    if let Some(c) = has("Ready", "Unknown").filter(|c| c.reason == "Progressing") {
        return (SyncStatus::ReconcilingWithBadConfig, c.message.to_owned());
    }
    if has("Reconciling", "True").is_some() {
        return (SyncStatus::Reconciling, "Flux sync reconciling".into());
    }
    if has("Ready", "True").is_some() {
        return (
            SyncStatus::Reconciled,
            "Flux sync reconciled successfully".into(),
        );
    }
    (SyncStatus::Unknown, "Unable to detect state".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ks(spec: Value, status: Value) -> Value {
        json!({"kind": "Kustomization", "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
               "metadata": {"name": "app", "generation": 2, "annotations": {"reconcile.fluxcd.io/requestedAt": "t2"}},
               "spec": spec, "status": status})
    }

    #[test]
    fn flux_states_follow_lookouts_badge_mapping() {
        let ready = json!([{"type": "Ready", "status": "True", "reason": "ReconciliationSucceeded", "message": "Applied revision: main@sha1:abc"}]);
        let s = flux_status(
            &ks(
                json!({}),
                json!({"observedGeneration": 2, "lastHandledReconcileAt": "t2", "conditions": ready}),
            ),
            0,
        );
        assert_eq!(
            (s.state, s.message.as_str(), s.reconcile_requested),
            (FluxState::Ready, "Applied revision: main@sha1:abc", false)
        );

        let s = flux_status(
            &ks(
                json!({"suspend": true}),
                json!({"observedGeneration": 2, "conditions": ready}),
            ),
            0,
        );
        assert_eq!(s.state, FluxState::Suspended);
        assert!(s.reconcile_requested, "requestedAt t2 is not handled yet");

        let failing = json!([{"type": "Ready", "status": "False", "reason": "BuildFailed", "message": "kustomize build failed"},
                             {"type": "Reconciling", "status": "True", "reason": "ProgressingWithRetry"}]);
        let s = flux_status(
            &ks(
                json!({}),
                json!({"observedGeneration": 1, "conditions": failing}),
            ),
            0,
        );
        assert_eq!(
            (s.state, s.message.as_str()),
            (FluxState::Failing, "kustomize build failed")
        );

        let stalled = json!([{"type": "Ready", "status": "False"}, {"type": "Stalled", "status": "True", "message": "invalid CEL"}]);
        assert_eq!(
            flux_status(
                &ks(
                    json!({}),
                    json!({"observedGeneration": 2, "conditions": stalled})
                ),
                0
            )
            .state,
            FluxState::Failed
        );

        let reconciling = json!([{"type": "Ready", "status": "Unknown", "reason": "Progressing", "message": "Reconciliation in progress"},
                                 {"type": "Reconciling", "status": "True", "reason": "Progressing"}]);
        assert_eq!(
            flux_status(
                &ks(
                    json!({}),
                    json!({"observedGeneration": 2, "conditions": reconciling})
                ),
                0
            )
            .state,
            FluxState::Progressing
        );
        assert_eq!(
            flux_status(&ks(json!({}), json!({"observedGeneration": 2})), 0).state,
            FluxState::Unknown
        );
        let mut deleting = ks(json!({}), json!({}));
        deleting["metadata"]["deletionTimestamp"] = json!("2026-11-25T05:00:00Z");
        assert_eq!(flux_status(&deleting, 0).state, FluxState::Deleting);
    }

    fn dependency_not_ready(status: &str, observed: Value) -> Value {
        ks(
            json!({"dependsOn": [{"name": "infrastructure"}]}),
            json!({"observedGeneration": 1, "conditions": [
                {"type": "Ready", "status": status, "reason": "DependencyNotReady", "observedGeneration": observed,
                 "message": "dependency 'flux-system/infrastructure' is not ready"},
                {"type": "Reconciling", "status": "True", "reason": "ProgressingWithRetry"}]}),
        )
    }

    #[test]
    fn dependency_not_ready_is_waiting_not_failing() {
        for ready in ["False", "Unknown"] {
            let s = flux_status(&dependency_not_ready(ready, json!(2)), 0);
            assert_eq!(
                (s.state.as_str(), s.message.as_str()),
                (
                    "waiting",
                    "Waiting for its dependencies: dependency 'flux-system/infrastructure' is not ready"
                ),
                "Ready={ready}"
            );
            assert_eq!(s.state.tone(), crate::status::Tone::Progress);
        }
        // Flux keeps status.observedGeneration at the last success while it waits: a Ready
        // without its own observedGeneration is still read as waiting.
        assert_eq!(
            flux_status(&dependency_not_ready("False", Value::Null), 0).state,
            FluxState::Waiting
        );
        // Another reason on Ready=False still fails.
        let mut other = dependency_not_ready("False", json!(2));
        other["status"]["conditions"][0]["reason"] = json!("BuildFailed");
        assert_eq!(flux_status(&other, 0).state, FluxState::Failing);
        // Ready=True with a leftover reason is ready, not waiting.
        let mut ready = dependency_not_ready("True", json!(2));
        ready["status"]["observedGeneration"] = json!(2);
        ready["status"]["conditions"] = json!([ready["status"]["conditions"][0].clone()]);
        assert_eq!(flux_status(&ready, 0).state, FluxState::Ready);
        // GitLab's badge checks Ready=False first, so it reads a waiting object as Failed.
        assert_eq!(
            sync_status(&dependency_not_ready("False", json!(2)))
                .0
                .badge(),
            "Failed"
        );
        assert_eq!(
            sync_status(&dependency_not_ready("Unknown", json!(2)))
                .0
                .badge(),
            "Reconciling"
        );
    }

    #[test]
    fn status_behind_generation_is_named_stale() {
        let ready = json!([{"type": "Ready", "status": "True", "reason": "ReconciliationSucceeded", "message": "Applied revision: main@sha1:abc"}]);
        let s = flux_status(
            &ks(
                json!({}),
                json!({"observedGeneration": 1, "conditions": ready}),
            ),
            0,
        );
        assert_eq!(
            (s.state.as_str(), s.message.as_str()),
            (
                "stale",
                "Not yet observed: the controller has not seen the latest change (generation 2, observed 1)"
            )
        );
        assert_eq!(s.state.tone(), crate::status::Tone::Progress);
        // Ready's own observedGeneration decides when set: a Ready=False about the current spec
        // is a failure even though status.observedGeneration stays at the last success.
        let failing = json!({"observedGeneration": 1, "conditions": [
            {"type": "Ready", "status": "False", "reason": "BuildFailed", "observedGeneration": 2, "message": "kustomize build failed"}]});
        assert_eq!(
            flux_status(&ks(json!({}), failing), 0).state,
            FluxState::Failing
        );
        // …and a Ready condition about an older spec is stale, whatever it says.
        let s = flux_status(&dependency_not_ready("False", json!(1)), 0);
        assert_eq!(
            (s.state, s.message.as_str()),
            (
                FluxState::Stale,
                "Not yet observed: the controller has not seen the latest change (generation 2, observed 1)"
            )
        );
        // Either generation having reached metadata.generation means the controller has seen it.
        let seen = json!({"observedGeneration": 2, "conditions": [
            {"type": "Ready", "status": "True", "observedGeneration": 1, "message": "Applied"}]});
        assert_eq!(flux_status(&ks(json!({}), seen), 0).state, FluxState::Ready);
        // Suspension still takes precedence.
        let suspended = ks(
            json!({"suspend": true}),
            json!({"observedGeneration": 1, "conditions": ready}),
        );
        assert_eq!(flux_status(&suspended, 0).state, FluxState::Suspended);
    }

    #[test]
    fn gitlab_sync_status_in_gitlabs_order() {
        let with = |conds: Value| ks(json!({}), json!({"conditions": conds}));
        assert_eq!(
            sync_status(&ks(json!({}), json!({}))).0,
            SyncStatus::Unavailable
        );
        assert_eq!(
            sync_status(&ks(
                json!({"suspend": true}),
                json!({"conditions": [{"type": "Ready", "status": "True"}]})
            ))
            .0,
            SyncStatus::Suspended
        );
        // Failed outranks Stalled.
        let both = with(
            json!([{"type": "Stalled", "status": "True", "message": "s"}, {"type": "Ready", "status": "False", "message": "boom"}]),
        );
        assert_eq!(sync_status(&both), (SyncStatus::Failed, "boom".to_owned()));
        assert_eq!(
            sync_status(&with(
                json!([{"type": "Stalled", "status": "True", "message": "s"}])
            ))
            .0,
            SyncStatus::Stalled
        );
        let bad_config = with(
            json!([{"type": "Ready", "status": "Unknown", "reason": "Progressing", "message": "m"}]),
        );
        assert_eq!(
            sync_status(&bad_config),
            (SyncStatus::ReconcilingWithBadConfig, "m".to_owned())
        );
        assert_eq!(
            sync_status(&with(json!([{"type": "Reconciling", "status": "True"}])))
                .0
                .badge(),
            "Reconciling"
        );
        assert_eq!(
            sync_status(&with(json!([{"type": "Ready", "status": "True"}])))
                .0
                .badge(),
            "Reconciled"
        );
        assert_eq!(
            sync_status(&with(json!([{"type": "Healthy", "status": "True"}]))).0,
            SyncStatus::Unknown
        );
    }
}
