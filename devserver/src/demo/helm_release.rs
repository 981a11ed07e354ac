//! The HelmRelease `podinfo/podinfo`: an upgrade that fails every 60 s, retries and recovers.

use super::{condition, mix, now, Demo, Note};
use crate::resources::by_kind;
use serde_json::{json, Value};

impl Demo {
    /// HelmRelease podinfo: an upgrade that fails, retries and recovers, once a minute.
    pub(super) fn podinfo_release(&self, tick: u64) {
        let Some(def) = by_kind("helm.toolkit.fluxcd.io/v2", "HelmRelease") else {
            return;
        };
        let Ok(hr) = self.cluster.get(def, "podinfo", "podinfo") else {
            return;
        };
        if hr["spec"]["suspend"] == json!(true) {
            return;
        }
        let time = now();
        let history: Vec<Value> = hr["status"]["history"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let version = history
            .first()
            .and_then(|h| h["version"].as_i64())
            .unwrap_or(1)
            + 1;
        let chart = format!("6.5.{}", 4 + (tick / 60) % 3);
        let entry = |status: &str| {
            json!({ "version": version, "chartName": "podinfo", "chartVersion": chart, "appVersion": chart,
            "status": status, "firstDeployed": time, "lastDeployed": time, "digest": format!("sha256:{:08x}", mix(self.seed ^ version as u64) as u32) })
        };
        let with = |e: Value| {
            std::iter::once(e)
                .chain(history.iter().cloned())
                .take(5)
                .collect::<Vec<_>>()
        };
        match tick % 60 {
            20 => {
                let msg = "Running 'upgrade' action with timeout of 5m0s";
                self.patch(def, &hr, json!({ "status": { "lastAttemptedRevision": chart, "conditions": [
                    condition("Reconciling", "True", "Progressing", msg, &time), condition("Ready", "Unknown", "Progressing", msg, &time)] } }));
            }
            23 => {
                let msg = format!("Helm upgrade failed for release podinfo/podinfo with chart podinfo@{chart}: context deadline exceeded");
                self.patch(def, &hr, json!({ "status": { "history": with(entry("failed")), "conditions": [
                    condition("Reconciling", "True", "ProgressingWithRetry", "Detecting drift for revision with a timeout of 5m0s", &time),
                    condition("Ready", "False", "UpgradeFailed", &msg, &time), condition("Released", "False", "UpgradeFailed", &msg, &time)] } }));
                self.record_event(
                    "podinfo",
                    Note {
                        kind: "HelmRelease",
                        name: "podinfo",
                        severity: "Warning",
                        reason: "UpgradeFailed",
                        message: &msg,
                        component: "helm-controller",
                    },
                );
            }
            35 => {
                let msg = format!("Helm upgrade succeeded for release podinfo/podinfo.v{version} with chart podinfo@{chart}");
                self.patch(def, &hr, json!({ "status": { "history": with(entry("deployed")), "conditions": [
                    condition("Ready", "True", "UpgradeSucceeded", &msg, &time), condition("Released", "True", "UpgradeSucceeded", &msg, &time)] } }));
                self.record_event(
                    "podinfo",
                    Note {
                        kind: "HelmRelease",
                        name: "podinfo",
                        severity: "Normal",
                        reason: "UpgradeSucceeded",
                        message: &msg,
                        component: "helm-controller",
                    },
                );
            }
            _ => {}
        }
    }
}
