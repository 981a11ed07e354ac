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
    /// Flux: reconcile the object's sources first (in order: a HelmRelease's chart source, then
    /// its HelmChart), then the object (`flux reconcile … --with-source`).
    ReconcileWithSource(Vec<Target>),
    /// Flux HelmRelease: force a one-off install/upgrade (`forceAt` = `requestedAt`).
    ForceReconcile,
    /// Flux HelmRelease: reset the failure counters (`resetAt` = `requestedAt`).
    ResetReconcile,
    /// Flux: `spec.suspend = true` / `false`.
    Suspend(bool),
    /// Workloads: roll the pods (`kubectl.kubernetes.io/restartedAt` on the pod template).
    Restart,
    /// Deployments, StatefulSets and ReplicaSets: set the replica count through the `scale`
    /// subresource, as `kubectl scale` does.
    Scale(u32),
    /// Delete the object (for pods: the controller replaces it).
    Delete,
}

/// One object an action is performed on.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Its kind's resource.
    pub api: ApiResource,
    /// Its namespace (`""` at the cluster scope).
    pub namespace: String,
    /// Its name.
    pub name: String,
}

impl Action {
    /// The RBAC verb the action needs (`patch`, or `delete`).
    pub fn verb(&self) -> &'static str {
        match self {
            Action::Delete => "delete",
            _ => "patch",
        }
    }

    /// The subresource the action writes (`scale`), if any: RBAC grants it apart.
    pub fn subresource(&self) -> Option<&'static str> {
        match self {
            Action::Scale(_) => Some("scale"),
            _ => None,
        }
    }

    /// The single-object steps of this action on `target`, in the order they are sent: a
    /// reconcile with source is each source's reconcile, then the object's (Flux controllers
    /// watch their sources, so the object picks up a new artifact even if its own reconcile runs
    /// first; the CLI also waits for each to finish, which a button does not).
    pub fn steps(&self, target: Target) -> Vec<(Target, Action)> {
        match self {
            Action::ReconcileWithSource(sources) => sources
                .iter()
                .cloned()
                .chain([target])
                .map(|t| (t, Action::Reconcile))
                .collect(),
            other => vec![(target, other.clone())],
        }
    }
}

/// The request for a single-object `action` (one of its [`Action::steps`]) on `namespace/name` of
/// `api`; `now` is an RFC 3339 timestamp, as `flux reconcile` and `kubectl rollout restart` write.
pub fn action_request(
    conn: &Connection,
    api: &ApiResource,
    namespace: &str,
    name: &str,
    action: &Action,
    now: &str,
) -> Request {
    let path = api.object_path(Some(namespace), name);
    let patch_at = |path: &str, body: Value| {
        let mut r = conn.request(Method::Patch, path);
        r.headers
            .push(("Content-Type".into(), "application/merge-patch+json".into()));
        r.body = Some(body.to_string().into_bytes());
        r
    };
    let patch = |body: Value| patch_at(&path, body);
    let annotate = |extra: Option<&str>| {
        let mut annotations = json!({ "reconcile.fluxcd.io/requestedAt": now });
        if let Some(key) = extra {
            annotations[key] = json!(now);
        }
        patch(json!({ "metadata": { "annotations": annotations } }))
    };
    match action {
        // `steps` splits it; asked whole, the object's own reconcile is its last step.
        Action::Reconcile | Action::ReconcileWithSource(_) => annotate(None),
        Action::ForceReconcile => annotate(Some("reconcile.fluxcd.io/forceAt")),
        Action::ResetReconcile => annotate(Some("reconcile.fluxcd.io/resetAt")),
        Action::Suspend(on) => patch(json!({ "spec": { "suspend": on } })),
        Action::Restart => patch(
            json!({ "spec": { "template": { "metadata": { "annotations": { "kubectl.kubernetes.io/restartedAt": now } } } } }),
        ),
        Action::Scale(n) => patch_at(
            &format!("{path}/scale"),
            json!({ "spec": { "replicas": n } }),
        ),
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
    use crate::model::kinds::{DEPLOYMENT, GIT_REPOSITORY, HELM_RELEASE, KUSTOMIZATION};
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
        assert_eq!(
            r.url,
            "/k8s-proxy/apis/apps/v1/namespaces/apps/deployments/web/scale"
        );
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

    #[test]
    fn a_reconcile_with_source_annotates_the_source_first() {
        let target = |api: &ApiResource, namespace: &str, name: &str| Target {
            api: api.clone(),
            namespace: namespace.into(),
            name: name.into(),
        };
        let source = target(&GIT_REPOSITORY, "flux-system", "flux-system");
        let app = target(&KUSTOMIZATION, "flux-system", "apps");
        let steps = Action::ReconcileWithSource(vec![source.clone()]).steps(app.clone());
        assert_eq!(
            steps,
            vec![
                (source, Action::Reconcile),
                (app.clone(), Action::Reconcile)
            ]
        );
        assert_eq!(
            Action::Scale(2).steps(app.clone()),
            vec![(app, Action::Scale(2))]
        );
        assert_eq!(Action::Scale(2).subresource(), Some("scale"));
        assert_eq!(Action::Reconcile.subresource(), None);
    }
}
