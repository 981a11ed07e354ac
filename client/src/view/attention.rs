//! What needs attention, for the overview's first screen: each failing object with the reason and
//! message that say why (a Flux object's Ready reason, a workload's failing condition, a pod's
//! container waiting reason such as `CrashLoopBackOff`), and the route of its detail page.

use crate::api::resource::{ApiResource, TypedResource};
use crate::model::flux::condition;
use crate::model::{Object, Pod};
use crate::status::Tone;
use crate::view::route::ObjectRoute;
use crate::view::table::{Cell, Tabular};
use serde_json::Value;

/// One object that needs attention.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Kind (`HelmRelease`, `Deployment`, `Pod`).
    pub kind: String,
    /// Namespace (`""` at the cluster scope).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Its status word (`Failed`, `CrashLoopBackOff`).
    pub word: String,
    /// Its tone.
    pub tone: Tone,
    /// Why, in a word or two: a condition's reason (`HealthCheckFailed`,
    /// `ProgressDeadlineExceeded`), or for a pod the container and its restarts; may be empty.
    pub reason: String,
    /// The explanation its controller gives; may be empty.
    pub message: String,
    /// Its detail page.
    pub href: String,
}

impl Problem {
    /// `Kind namespace/name` (`Kind name` at the cluster scope).
    pub fn label(&self) -> String {
        if self.namespace.is_empty() {
            format!("{} {}", self.kind, self.name)
        } else {
            format!("{} {}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// The condition that explains an unhealthy object: `Ready` when it is not true (Flux and most
/// custom kinds), else a true failure condition (`ReplicaFailure`, `Failed`, `Stalled`: a
/// Deployment that cannot create pods says why there, more specifically than its
/// `Available=False`), else the first condition that is false (a Deployment's `Progressing`).
fn failing_condition(value: &Value) -> Option<&Value> {
    if let Some(ready) = condition(value, "Ready") {
        if ready.get("status").and_then(Value::as_str) != Some("True") {
            return Some(ready);
        }
    }
    let conditions = || {
        value
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
    };
    let is = |c: &Value, status: &str| c.get("status").and_then(Value::as_str) == Some(status);
    let failure = |c: &&Value| {
        let kind = c.get("type").and_then(Value::as_str).unwrap_or("");
        is(c, "True") && matches!(kind, "ReplicaFailure" | "Failed" | "Stalled")
    };
    conditions()
        .find(failure)
        .or_else(|| conditions().find(|c| is(c, "False")))
}

/// `o` of `api` as a problem when its tone is one of `tones` (Flux objects: failing and waiting;
/// workloads: failing), else `None`.
pub fn object_problem(api: &ApiResource, o: &Object, now: i64, tones: &[Tone]) -> Option<Problem> {
    let tone = o.tone(&api.group, now);
    if !tones.contains(&tone) {
        return None;
    }
    let (word, message) = o
        .cells(&api.group, &api.kind, now)
        .into_iter()
        .find_map(|c| match c {
            Cell::Status { word, message, .. } => Some((word, message)),
            _ => None,
        })
        .unwrap_or_else(|| (tone.label().to_owned(), String::new()));
    // The condition's own words are more specific than a status rule's summary.
    let text = |field: &str| {
        failing_condition(&o.value)
            .and_then(|c| c.get(field))
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let m = &o.metadata;
    Some(Problem {
        kind: api.kind.to_string(),
        namespace: m.namespace.to_string(),
        name: m.name.to_string(),
        word,
        tone,
        reason: text("reason").unwrap_or_default(),
        message: text("message").unwrap_or(message),
        href: ObjectRoute::of(api, &m.namespace, &m.name).path(),
    })
}

/// A failing pod as a problem: its status word (the container's waiting or terminated reason),
/// which container and how often it restarted, and the message; `None` unless it is failing.
pub fn pod_problem(pod: &Pod) -> Option<Problem> {
    let (word, tone, message) = crate::status::pod::pod_status(pod);
    if tone != Tone::Error {
        return None;
    }
    let container = pod.status.container_statuses.iter().find(|c| {
        let s = &c.state;
        s.waiting
            .as_ref()
            .or(s.terminated.as_ref())
            .and_then(|r| r.reason.as_deref())
            == Some(word.as_str())
    });
    let reason = match container {
        Some(c) if c.restart_count > 0 => format!(
            "container {}, {} restart{}",
            c.name,
            c.restart_count,
            if c.restart_count == 1 { "" } else { "s" }
        ),
        Some(c) => format!("container {}", c.name),
        None => String::new(),
    };
    let m = &pod.metadata;
    Some(Problem {
        kind: Pod::API.kind.to_string(),
        namespace: m.namespace.to_string(),
        name: m.name.to_string(),
        word,
        tone,
        reason,
        message,
        href: ObjectRoute::of(&Pod::API, &m.namespace, &m.name).path(),
    })
}

/// Whether an object is owned by a controller (a Deployment's ReplicaSet, a CronJob's Job): its
/// owner is listed in its place.
pub fn controlled(o: &Object) -> bool {
    o.value
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
}

/// The first `max` of `problems` in the overview's order — most urgent tone first, their own
/// order within a tone (as a stable sort by tone would put them) — and how many there are in all.
/// One pass that keeps references: only the problems listed are cloned.
pub fn most_urgent<'a>(
    problems: impl IntoIterator<Item = &'a Problem>,
    max: usize,
) -> (Vec<Problem>, usize) {
    // Tones in declaration order, which is their order (`Tone::ALL`, most urgent first).
    let mut by_tone: [Vec<&Problem>; Tone::ALL.len()] = Default::default();
    let mut total = 0;
    for problem in problems {
        total += 1;
        let first = &mut by_tone[problem.tone as usize];
        if first.len() < max {
            first.push(problem);
        }
    }
    let listed = by_tone.iter().flatten().take(max);
    (listed.map(|p| (*p).clone()).collect(), total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kinds::{DEPLOYMENT, HELM_RELEASE};
    use serde_json::json;

    #[test]
    fn the_most_urgent_problems_come_first_in_their_own_order() {
        let problem = |name: String, tone: Tone| Problem {
            kind: "Pod".into(),
            namespace: "ns".into(),
            name,
            word: String::new(),
            tone,
            reason: String::new(),
            message: String::new(),
            href: String::new(),
        };
        let tones = [
            Tone::Progress,
            Tone::Error,
            Tone::Unknown,
            Tone::Error,
            Tone::Ok,
        ];
        let problems: Vec<Problem> = (0..40)
            .map(|i| problem(format!("p{i}"), tones[(i * 7) % tones.len()]))
            .collect();
        let mut sorted = problems.clone();
        sorted.sort_by_key(|p| p.tone);
        for max in [0, 1, 5, 16, 17, 30, 40, 50] {
            let (first, total) = most_urgent(&problems, max);
            assert_eq!(total, 40);
            assert_eq!(first, sorted[..max.min(40)], "max {max}");
        }
        assert_eq!(Tone::ALL.map(|t| t as usize), [0, 1, 2, 3, 4]);
    }

    const NOW: i64 = 1_795_585_091;

    fn object(v: Value) -> Object {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_failing_helm_release_says_why_and_links_to_its_page() {
        let hr = object(json!({
            "apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
            "metadata": { "name": "podinfo", "namespace": "podinfo", "generation": 1 },
            "status": { "observedGeneration": 1, "conditions": [{ "type": "Ready", "status": "False",
                "reason": "UpgradeFailed", "message": "Helm upgrade failed: timed out" }] } }));
        let p = object_problem(&HELM_RELEASE, &hr, NOW, &[Tone::Error]).unwrap();
        assert_eq!(p.tone, Tone::Error);
        assert_eq!(p.reason, "UpgradeFailed");
        assert_eq!(p.message, "Helm upgrade failed: timed out");
        assert_eq!(p.label(), "HelmRelease podinfo/podinfo");
        assert_eq!(
            p.href,
            "/r/helm.toolkit.fluxcd.io/v2/HelmRelease/podinfo/podinfo"
        );
        // Progressing is not asked for here: no problem.
        let ok = object(
            json!({ "apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
            "metadata": { "name": "ok", "namespace": "a", "generation": 1 },
            "status": { "observedGeneration": 1, "conditions": [{ "type": "Ready", "status": "True", "reason": "Succeeded" }] } }),
        );
        assert_eq!(
            object_problem(&HELM_RELEASE, &ok, NOW, &[Tone::Error, Tone::Progress]),
            None
        );
    }

    /// A Deployment of one generation, observed, with these conditions.
    fn deployment(conditions: Value) -> Object {
        object(json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": { "name": "api", "namespace": "demo", "generation": 1 },
            "spec": { "replicas": 2 },
            "status": { "observedGeneration": 1, "conditions": conditions } }))
    }

    #[test]
    fn a_deployment_that_cannot_create_pods_says_so() {
        // A quota refused the pods until the progress deadline passed (the failing tone):
        // ReplicaFailure says why; Available=False, first, only that they are missing.
        let d = deployment(json!([
            { "type": "Available", "status": "False", "reason": "MinimumReplicasUnavailable",
              "message": "Deployment does not have minimum availability." },
            { "type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
              "message": "ReplicaSet \"api-1\" has timed out progressing." },
            { "type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
              "message": "pods \"api-1-x\" is forbidden: exceeded quota: pods" }]));
        let p = object_problem(&DEPLOYMENT, &d, NOW, &[Tone::Error]).unwrap();
        assert_eq!(p.reason, "FailedCreate");
        assert!(p.message.contains("exceeded quota"), "{p:?}");
    }

    #[test]
    fn a_failed_deployment_names_its_false_condition() {
        let d = deployment(json!([
            { "type": "Available", "status": "True", "reason": "MinimumReplicasAvailable" },
            { "type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
              "message": "ReplicaSet \"worker-1\" has timed out progressing." }]));
        let p = object_problem(&DEPLOYMENT, &d, NOW, &[Tone::Error]).unwrap();
        assert_eq!(p.reason, "ProgressDeadlineExceeded");
        assert!(p.message.contains("timed out progressing"), "{p:?}");
        let rs = object(json!({ "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": { "name": "worker-1", "namespace": "demo",
                "ownerReferences": [{ "kind": "Deployment", "name": "worker", "uid": "u", "apiVersion": "apps/v1", "controller": true }] } }));
        assert!(controlled(&rs) && !controlled(&d));
    }

    #[test]
    fn a_crash_looping_pod_names_the_container_and_its_restarts() {
        let pod: Pod = serde_json::from_value(json!({
            "metadata": { "name": "api-1", "namespace": "demo" },
            "status": { "phase": "Running", "containerStatuses": [
                { "name": "sidecar", "ready": true, "restartCount": 0, "state": { "running": {} } },
                { "name": "api", "ready": false, "restartCount": 7,
                  "state": { "waiting": { "reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container" } } }] } }))
        .unwrap();
        let p = pod_problem(&pod).unwrap();
        assert_eq!(
            (p.word.as_str(), p.reason.as_str(), p.message.as_str()),
            (
                "CrashLoopBackOff",
                "container api, 7 restarts",
                "back-off 5m0s restarting failed container"
            )
        );
        assert_eq!(p.href, "/r/core/v1/Pod/demo/api-1");
        let pulling: Pod = serde_json::from_value(json!({
            "metadata": { "name": "web-1", "namespace": "demo" },
            "status": { "phase": "Pending", "containerStatuses": [{ "name": "web", "restartCount": 0,
                "state": { "waiting": { "reason": "ImagePullBackOff", "message": "Back-off pulling image" } } }] } }))
        .unwrap();
        assert_eq!(
            pod_problem(&pulling).map(|p| p.reason),
            Some("container web".into())
        );
        let running: Pod = serde_json::from_value(json!({
            "metadata": { "name": "ok", "namespace": "demo" }, "status": { "phase": "Running" } }))
        .unwrap();
        assert_eq!(pod_problem(&running), None);
    }
}
