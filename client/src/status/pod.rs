//! A pod's one status word everywhere (tables, detail pages, badges): the word
//! `kubectl get pods` prints, its tone, and why. The slim [`Pod`] holds everything it reads, so
//! the pod table and a detail page holding the full object give the same answer.

use super::Tone;
use crate::model::Pod;

/// The status word of `pod`, its tone and the explanation (the message of the container state the
/// word comes from, else the pod's message or reason; "" when there is none).
pub fn pod_status(pod: &Pod) -> (String, Tone, String) {
    let word = pod.display_status().to_owned();
    let container_message = pod
        .container_reason()
        .and_then(|s| s.message.clone())
        .filter(|m| !m.is_empty());
    let message = container_message
        .or_else(|| pod.status.message.clone())
        .or_else(|| pod.status.reason.clone())
        .map(String::from)
        .unwrap_or_default();
    let tone = Tone::of_pod_word(&word);
    (word, tone, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(v: serde_json::Value) -> Pod {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn pending_pod_is_in_progress_even_when_unschedulable() {
        let p = pod(json!({"status": {"phase": "Pending", "conditions": [
            {"type": "PodScheduled", "status": "False", "reason": "Unschedulable"}]}}));
        assert_eq!(pod_status(&p).0, "Pending");
        assert_eq!(pod_status(&p).1, Tone::Progress);
    }

    #[test]
    fn crash_loop_is_an_error_with_the_back_off_message() {
        let p = pod(
            json!({"status": {"phase": "Running", "containerStatuses": [{"name": "app",
            "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s"}}}]}}),
        );
        assert_eq!(
            pod_status(&p),
            (
                "CrashLoopBackOff".into(),
                Tone::Error,
                "back-off 5m0s".into()
            )
        );
    }

    #[test]
    fn evicted_pod_explains_itself() {
        let p = pod(json!({"status": {"phase": "Failed", "reason": "Evicted",
            "message": "The node was low on resource: memory."}}));
        assert_eq!(
            pod_status(&p),
            (
                "Evicted".into(),
                Tone::Error,
                "The node was low on resource: memory.".into()
            )
        );
    }
}
