//! The Git source: a new revision every 45 s, which the Kustomizations on it reconcile and apply.

use super::{condition, list, now, Demo, Note};
use crate::resources::by_kind;
use serde_json::json;

impl Demo {
    /// A new commit on the Git source; Kustomizations on it start reconciling.
    pub(super) fn new_commit(&self, tick: u64) {
        let n = tick / 45;
        let (Some(git), Some(ks)) = (
            by_kind("source.toolkit.fluxcd.io/v1", "GitRepository"),
            by_kind("kustomize.toolkit.fluxcd.io/v1", "Kustomization"),
        ) else {
            return;
        };
        let (rev, time) = (self.git_revision(n), now());
        let Ok(repo) = self.cluster.get(git, "flux-system", "flux-system") else {
            return;
        };
        let message = format!("stored artifact for revision '{rev}'");
        self.patch(
            git,
            &repo,
            json!({ "status": { "artifact": { "revision": rev, "lastUpdateTime": time },
            "conditions": [condition("Ready", "True", "Succeeded", &message, &time)] } }),
        );
        self.record_event(
            "flux-system",
            Note {
                kind: "GitRepository",
                name: "flux-system",
                severity: "Normal",
                reason: "NewArtifact",
                message: &message,
                component: "source-controller",
            },
        );
        for k in list(&self.cluster, ks).iter().filter(|k| {
            k["spec"]["sourceRef"]["name"] == "flux-system" && k["spec"]["suspend"] != json!(true)
        }) {
            self.start_reconcile(ks, k, tick, None);
        }
    }
}
