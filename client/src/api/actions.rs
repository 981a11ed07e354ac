//! Actions on objects: the exact requests `flux` and `kubectl` send, as merge patches with the
//! right content type, and a runner that turns the answer into a specific error.

use crate::api::connection::{Connection, Method, Request};
use crate::api::error::Error;
use crate::api::resource::ApiResource;
use crate::api::transport::Transport;
use serde_json::{json, Value};

/// What to do to one object.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Flux: ask for a reconcile now (`reconcile.fluxcd.io/requestedAt`).
    Reconcile,
    /// Flux HelmRelease: force a one-off install/upgrade (`forceAt` = `requestedAt`).
    ForceReconcile,
    /// Flux HelmRelease: reset the failure counters (`resetAt` = `requestedAt`).
    ResetReconcile,
    /// Flux: `spec.suspend = true` / `false`.
    Suspend(bool),
    /// Workloads: roll the pods (`kubectl.kubernetes.io/restartedAt` on the pod template).
    Restart,
    /// Workloads: set `spec.replicas`.
    Scale(u32),
    /// Delete the object (for pods: the controller replaces it).
    Delete,
}

impl Action {
    /// The RBAC verb the action needs (`patch`, or `delete`).
    pub fn verb(&self) -> &'static str {
        match self {
            Action::Delete => "delete",
            _ => "patch",
        }
    }
}

/// The request for `action` on `namespace/name` of `api`; `now` is an RFC 3339 timestamp, as
/// `flux reconcile` and `kubectl rollout restart` write.
pub fn action_request(
    conn: &Connection,
    api: &ApiResource,
    namespace: &str,
    name: &str,
    action: &Action,
    now: &str,
) -> Request {
    let path = api.object_path(Some(namespace), name);
    let patch = |body: Value| {
        let mut r = conn.request(Method::Patch, &path);
        r.headers
            .push(("Content-Type".into(), "application/merge-patch+json".into()));
        r.body = Some(body.to_string().into_bytes());
        r
    };
    let annotate = |extra: Option<&str>| {
        let mut annotations = json!({ "reconcile.fluxcd.io/requestedAt": now });
        if let Some(key) = extra {
            annotations[key] = json!(now);
        }
        patch(json!({ "metadata": { "annotations": annotations } }))
    };
    match action {
        Action::Reconcile => annotate(None),
        Action::ForceReconcile => annotate(Some("reconcile.fluxcd.io/forceAt")),
        Action::ResetReconcile => annotate(Some("reconcile.fluxcd.io/resetAt")),
        Action::Suspend(on) => patch(json!({ "spec": { "suspend": on } })),
        Action::Restart => patch(
            json!({ "spec": { "template": { "metadata": { "annotations": { "kubectl.kubernetes.io/restartedAt": now } } } } }),
        ),
        Action::Scale(n) => patch(json!({ "spec": { "replicas": n } })),
        Action::Delete => conn.request(Method::Delete, &path),
    }
}

/// Sends an action; `Ok` with the server's answer (the object, or a `Status` for deletes).
pub async fn perform(transport: &dyn Transport, request: Request) -> Result<Value, Error> {
    let body = transport.send(request).await?.success_bytes().await?;
    serde_json::from_slice(&body).map_err(|e| Error::Decode(format!("action answer: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kinds::{DEPLOYMENT, HELM_RELEASE, KUSTOMIZATION};
    use crate::{Auth, Pod, TypedResource};

    fn body(r: &Request) -> Value {
        serde_json::from_slice(r.body.as_deref().unwrap()).unwrap()
    }

    #[test]
    fn actions_build_the_patches_flux_and_kubectl_send() {
        let conn = Connection::new("/k8s-proxy", Auth::None);
        let now = "2026-11-25T10:00:00Z";
        let r = action_request(
            &conn,
            &KUSTOMIZATION,
            "flux-system",
            "apps",
            &Action::Reconcile,
            now,
        );
        assert_eq!(r.method, Method::Patch);
        assert_eq!(r.url, "/k8s-proxy/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps");
        assert!(r
            .headers
            .contains(&("Content-Type".into(), "application/merge-patch+json".into())));
        assert_eq!(
            body(&r),
            json!({"metadata": {"annotations": {"reconcile.fluxcd.io/requestedAt": now}}})
        );

        let r = action_request(
            &conn,
            &HELM_RELEASE,
            "apps",
            "podinfo",
            &Action::ForceReconcile,
            now,
        );
        assert_eq!(
            body(&r),
            json!({"metadata": {"annotations": {"reconcile.fluxcd.io/requestedAt": now, "reconcile.fluxcd.io/forceAt": now}}})
        );
        let r = action_request(
            &conn,
            &HELM_RELEASE,
            "apps",
            "podinfo",
            &Action::Suspend(true),
            now,
        );
        assert_eq!(body(&r), json!({"spec": {"suspend": true}}));
        let r = action_request(&conn, &DEPLOYMENT, "apps", "web", &Action::Restart, now);
        assert_eq!(
            body(&r)["spec"]["template"]["metadata"]["annotations"]
                ["kubectl.kubernetes.io/restartedAt"],
            now
        );
        let r = action_request(&conn, &DEPLOYMENT, "apps", "web", &Action::Scale(3), now);
        assert_eq!(body(&r), json!({"spec": {"replicas": 3}}));
        let r = action_request(&conn, &Pod::API, "apps", "web-1", &Action::Delete, now);
        assert_eq!(
            (r.method, r.url.as_str(), r.body.is_none()),
            (
                Method::Delete,
                "/k8s-proxy/api/v1/namespaces/apps/pods/web-1",
                true
            )
        );
    }
}
