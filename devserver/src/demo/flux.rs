//! The Flux controllers: a reconcile request or a new generation makes an object Reconciling, then
//! Ready with a new time and `lastHandledReconcileAt`; suspended objects wait.

use super::{condition, list, meta, now, Demo, Note};
use crate::resources::{by_kind, ResourceDef, RESOURCES};
use serde_json::{json, Value};

fn flux_defs() -> impl Iterator<Item = &'static ResourceDef> {
    RESOURCES
        .iter()
        .filter(|r| r.group.ends_with(".toolkit.fluxcd.io"))
}

impl Demo {
    /// Flux: reconcile requests and new generations → Reconciling → Ready.
    pub(super) fn reconcile_flux(&self, tick: u64) {
        let time = now();
        for def in flux_defs() {
            for obj in list(&self.cluster, def) {
                if obj["status"]["conditions"].is_null() {
                    continue; // not reconciled by a controller in this story (notification kinds)
                }
                let key = (
                    def.kind.to_owned(),
                    meta(&obj, "namespace").to_owned(),
                    meta(&obj, "name").to_owned(),
                );
                let due = self
                    .reconciling
                    .lock()
                    .map(|r| r.get(&key).copied())
                    .unwrap_or(None);
                if let Some(due) = due {
                    if tick >= due {
                        self.finish_reconcile(def, &obj, &time);
                        let _ = self.reconciling.lock().map(|mut r| r.remove(&key));
                    }
                    continue;
                }
                let requested =
                    obj["metadata"]["annotations"]["reconcile.fluxcd.io/requestedAt"].as_str();
                let handled = obj["status"]["lastHandledReconcileAt"].as_str();
                let new_generation =
                    obj["metadata"]["generation"] != obj["status"]["observedGeneration"];
                let suspended = obj["spec"]["suspend"].as_bool() == Some(true);
                if suspended || !(new_generation || (requested.is_some() && requested != handled)) {
                    continue;
                }
                self.start_reconcile(def, &obj, tick, requested);
            }
        }
    }

    /// Marks a Flux object Reconciling; it becomes Ready two steps later.
    pub(super) fn start_reconcile(
        &self,
        def: &'static ResourceDef,
        obj: &Value,
        tick: u64,
        requested: Option<&str>,
    ) {
        let time = now();
        let mut status = json!({ "conditions": [
            condition("Reconciling", "True", "Progressing", "Reconciliation in progress", &time),
            condition("Ready", "Unknown", "Progressing", "Reconciliation in progress", &time),
        ] });
        if let Some(r) = requested {
            status["lastHandledReconcileAt"] = json!(r);
        }
        self.patch(def, obj, json!({ "status": status }));
        let key = (
            def.kind.to_owned(),
            meta(obj, "namespace").to_owned(),
            meta(obj, "name").to_owned(),
        );
        let _ = self.reconciling.lock().map(|mut r| r.insert(key, tick + 2));
    }

    pub(super) fn finish_reconcile(&self, def: &'static ResourceDef, obj: &Value, time: &str) {
        let (ns, name) = (meta(obj, "namespace"), meta(obj, "name"));
        let mut status = json!({ "observedGeneration": obj["metadata"]["generation"] });
        let message = match def.kind {
            "Kustomization" => {
                let source = obj["spec"]["sourceRef"]["name"].as_str().unwrap_or("");
                let kind = obj["spec"]["sourceRef"]["kind"]
                    .as_str()
                    .unwrap_or("GitRepository");
                let rev = by_kind("source.toolkit.fluxcd.io/v1", kind)
                    .and_then(|d| self.cluster.get(d, ns, source).ok())
                    .and_then(|s| {
                        s["status"]["artifact"]["revision"]
                            .as_str()
                            .map(str::to_owned)
                    })
                    .unwrap_or_default();
                status["lastAppliedRevision"] = json!(rev);
                status["lastAttemptedRevision"] = json!(rev);
                format!("Applied revision: {rev}")
            }
            "HelmRelease" => format!("Helm upgrade succeeded for release {ns}/{name} (no changes)"),
            _ => obj["status"]["conditions"]
                .as_array()
                .and_then(|c| c.iter().find(|c| c["type"] == "Ready"))
                .and_then(|c| c["message"].as_str())
                .filter(|m| *m != "Reconciliation in progress")
                .unwrap_or("stored artifact")
                .to_owned(),
        };
        let reason = if def.kind == "Kustomization" {
            "ReconciliationSucceeded"
        } else {
            "Succeeded"
        };
        status["conditions"] = json!([condition("Ready", "True", reason, &message, time)]);
        self.patch(def, obj, json!({ "status": status }));
        let component = if def.group.starts_with("kustomize") {
            "kustomize-controller"
        } else if def.group.starts_with("helm") {
            "helm-controller"
        } else {
            "source-controller"
        };
        self.record_event(
            ns,
            Note {
                kind: def.kind,
                name,
                severity: "Normal",
                reason: "ReconciliationSucceeded",
                message: &message,
                component,
            },
        );
    }
}
