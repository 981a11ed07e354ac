//! What the user may do, asked before an action is offered: a `SelfSubjectAccessReview`
//! (`POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews`) per verb, resource and
//! namespace, so a button the user may not use is shown disabled with the reason instead of
//! failing on click.

use crate::api::actions::Action;
use crate::api::connection::{Connection, Method, Request};
use crate::api::error::Error;
use crate::api::resource::ApiResource;
use crate::api::transport::Transport;
use serde_json::{json, Value};

/// One question for the API server's authorizer: may I `verb` `resource` in `namespace`?
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccessQuery {
    /// `get`, `list`, `watch`, `patch`, `delete`, ….
    pub verb: String,
    /// API group (`""` for core).
    pub group: String,
    /// Plural resource name.
    pub resource: String,
    /// Subresource (`scale`), `""` for the object itself.
    pub subresource: String,
    /// Namespace; `""` for the cluster scope.
    pub namespace: String,
}

impl AccessQuery {
    /// The permission `action` on objects of `api` in `namespace` needs.
    pub fn for_action(api: &ApiResource, namespace: &str, action: &Action) -> Self {
        AccessQuery {
            verb: action.verb().to_owned(),
            group: api.group.to_string(),
            resource: api.plural.to_string(),
            subresource: action.subresource().unwrap_or_default().to_owned(),
            namespace: namespace.to_owned(),
        }
    }

    /// The review request to send.
    pub fn request(&self, conn: &Connection) -> Request {
        let mut attributes =
            json!({ "verb": self.verb, "group": self.group, "resource": self.resource });
        if !self.subresource.is_empty() {
            attributes["subresource"] = json!(self.subresource);
        }
        if !self.namespace.is_empty() {
            attributes["namespace"] = json!(self.namespace);
        }
        let body = json!({
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectAccessReview",
            "spec": { "resourceAttributes": attributes },
        });
        let mut request = conn.request(
            Method::Post,
            "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        );
        request
            .headers
            .push(("Content-Type".into(), "application/json".into()));
        request.body = Some(body.to_string().into_bytes());
        request
    }

    /// What the user is told when the answer is no, e.g. "You may not patch kustomizations in
    /// flux-system"; the authorizer's own reason follows when it gives one.
    pub fn refusal(&self, reason: &str) -> String {
        let scope = if self.namespace.is_empty() {
            String::new()
        } else {
            format!(" in {}", self.namespace)
        };
        let resource = if self.subresource.is_empty() {
            self.resource.clone()
        } else {
            format!("{}/{}", self.resource, self.subresource)
        };
        let mut text = format!("You may not {} {resource}{scope}", self.verb);
        if !reason.is_empty() {
            text = format!("{text} ({reason})");
        }
        text
    }
}

/// The authorizer's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Allowed.
    Allowed,
    /// Not allowed; the text to show.
    Refused(String),
}

/// Reads a review's answer (`status.allowed`, `status.reason`).
pub fn decode_review(query: &AccessQuery, body: &[u8]) -> Result<Access, Error> {
    let review: Value =
        serde_json::from_slice(body).map_err(|e| Error::Decode(format!("access review: {e}")))?;
    let status = &review["status"];
    match status["allowed"].as_bool() {
        Some(true) => Ok(Access::Allowed),
        Some(false) => Ok(Access::Refused(
            query.refusal(status["reason"].as_str().unwrap_or("")),
        )),
        None => Err(Error::Decode(
            "access review: the answer has no status.allowed".into(),
        )),
    }
}

/// Asks the API server whether the user may do what `query` names.
pub async fn review(
    transport: &dyn Transport,
    conn: &Connection,
    query: &AccessQuery,
) -> Result<Access, Error> {
    let body = transport
        .send(query.request(conn))
        .await?
        .success_bytes()
        .await?;
    decode_review(query, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kinds::KUSTOMIZATION;
    use crate::Auth;

    #[test]
    fn an_action_asks_for_its_verb_on_its_resource_and_namespace() {
        let conn = Connection::new("/k8s-proxy", Auth::None);
        let q = AccessQuery::for_action(&KUSTOMIZATION, "flux-system", &Action::Reconcile);
        let r = q.request(&conn);
        assert_eq!(r.method, Method::Post);
        assert_eq!(
            r.url,
            "/k8s-proxy/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
        );
        let body: Value = serde_json::from_slice(r.body.as_deref().unwrap()).unwrap();
        assert_eq!(body["kind"], "SelfSubjectAccessReview");
        assert_eq!(
            body["spec"]["resourceAttributes"],
            json!({ "verb": "patch", "group": "kustomize.toolkit.fluxcd.io", "resource": "kustomizations", "namespace": "flux-system" })
        );
        let delete = AccessQuery::for_action(&crate::model::kinds::NAMESPACE, "", &Action::Delete);
        let body: Value =
            serde_json::from_slice(delete.request(&conn).body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body["spec"]["resourceAttributes"],
            json!({ "verb": "delete", "group": "", "resource": "namespaces" })
        );
    }

    #[test]
    fn answers_become_allowed_or_a_specific_refusal() {
        let q = AccessQuery::for_action(&KUSTOMIZATION, "flux-system", &Action::Suspend(true));
        assert_eq!(
            decode_review(&q, br#"{"status":{"allowed":true}}"#),
            Ok(Access::Allowed)
        );
        assert_eq!(
            decode_review(&q, br#"{"status":{"allowed":false}}"#),
            Ok(Access::Refused(
                "You may not patch kustomizations in flux-system".into()
            ))
        );
        assert_eq!(
            decode_review(
                &q,
                br#"{"status":{"allowed":false,"denied":true,"reason":"webhook says no"}}"#
            ),
            Ok(Access::Refused(
                "You may not patch kustomizations in flux-system (webhook says no)".into()
            ))
        );
        let cluster = AccessQuery::for_action(&crate::model::kinds::NAMESPACE, "", &Action::Delete);
        assert_eq!(cluster.refusal(""), "You may not delete namespaces");
        let scale =
            AccessQuery::for_action(&crate::model::kinds::DEPLOYMENT, "demo", &Action::Scale(3));
        assert_eq!(
            scale.refusal(""),
            "You may not patch deployments/scale in demo"
        );
        let conn = Connection::new("/k8s-proxy", Auth::None);
        let body: Value =
            serde_json::from_slice(scale.request(&conn).body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body["spec"]["resourceAttributes"],
            json!({ "verb": "patch", "group": "apps", "resource": "deployments", "subresource": "scale", "namespace": "demo" })
        );
        assert!(decode_review(&q, b"{}").is_err());
        assert!(decode_review(&q, b"<html>").is_err());
    }
}
