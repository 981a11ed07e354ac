//! The kubelet's part: a podinfo pod crash-loops and its restart count grows.

use super::{now, Demo, Note};
use crate::resources::by_kind;
use serde_json::json;

impl Demo {
    /// The crash-looping podinfo pod restarts again.
    pub(super) fn crash_loop(&self) {
        let Some(pods) = by_kind("v1", "Pod") else {
            return;
        };
        let name = "podinfo-5d8f9c7b6-cd34e";
        let Ok(pod) = self.cluster.get(pods, "podinfo", name) else {
            return;
        };
        let restarts = pod["status"]["containerStatuses"][0]["restartCount"]
            .as_u64()
            .unwrap_or(0)
            + 1;
        let mut statuses = pod["status"]["containerStatuses"].clone();
        statuses[0]["restartCount"] = json!(restarts);
        // The run that just ended, as the kubelet records it.
        let ended = now();
        statuses[0]["lastState"] = json!({ "terminated": { "reason": "Error", "exitCode": 1,
            "startedAt": pod["status"]["containerStatuses"][0]["lastState"]["terminated"]["finishedAt"], "finishedAt": ended } });
        self.patch(
            pods,
            &pod,
            json!({ "status": { "containerStatuses": statuses } }),
        );
        self.record_event(
            "podinfo",
            Note {
                kind: "Pod",
                name,
                severity: "Warning",
                reason: "BackOff",
                message:
                    "Back-off restarting failed container podinfo in pod podinfo-5d8f9c7b6-cd34e",
                component: "kubelet",
            },
        );
    }
}
