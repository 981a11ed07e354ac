//! Simulated RBAC: the identity an agent acts as and what it may do, enforced on the simulated
//! cluster's API as a real kube-apiserver enforces RBAC, and answered to `SelfSubjectAccessReview`
//! and `SelfSubjectRulesReview`.
//!
//! An agent without an identity may do everything (cluster-admin). A restricted identity holds
//! rules like Role bindings do: verbs on every resource of one namespace. A refused request gets
//! the real server's 403 `Forbidden` `Status`, e.g. `pods is forbidden: User "gitlab:user:demo"
//! cannot list resource "pods" in API group "" at the cluster scope`.

use crate::http::json_response;
use crate::http::status::ApiError;
use axum::http::Method;
use axum::response::Response;
use serde_json::{json, Value};
use std::collections::HashMap;

/// A rule: these verbs on every resource of every group, in one namespace (`None`: cluster-wide,
/// as a ClusterRoleBinding grants).
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Verbs allowed (`get`, `list`, `watch`, `patch`, …; `*` for all).
    pub verbs: Vec<String>,
    /// The namespace the rule applies in; `None` for every namespace and the cluster scope.
    pub namespace: Option<String>,
}

/// Who an agent's requests act as, and what that user may do.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    /// The user name the API server reports (`gitlab:user:demo` under GitLab's impersonation).
    pub user: String,
    /// What the user may do; nothing else is allowed.
    pub rules: Vec<Rule>,
}

impl Identity {
    /// A user who may read (get, list, watch) everything in `namespace` and nothing else: no
    /// cluster-wide lists, no changes.
    pub fn reader_of(user: &str, namespace: &str) -> Self {
        Identity {
            user: user.to_owned(),
            rules: vec![Rule {
                verbs: ["get", "list", "watch"].map(str::to_owned).to_vec(),
                namespace: Some(namespace.to_owned()),
            }],
        }
    }

    /// Whether the rules allow `verb` in `namespace` (`None`: at the cluster scope).
    pub fn allows(&self, verb: &str, namespace: Option<&str>) -> bool {
        self.rules.iter().any(|rule| {
            rule.verbs.iter().any(|v| v == "*" || v == verb)
                && (rule.namespace.is_none() || rule.namespace.as_deref() == namespace)
        })
    }
}

/// What a request does, as the API server's authorizer sees it (its `RequestInfo`).
#[derive(Debug, Clone, PartialEq)]
pub struct Attributes {
    /// `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`.
    pub verb: String,
    /// API group (`""` for core).
    pub group: String,
    /// Plural resource name.
    pub resource: String,
    /// Subresource (`log`, `status`), if any.
    pub subresource: Option<String>,
    /// Namespace, `None` at the cluster scope.
    pub namespace: Option<String>,
    /// Object name, for requests on one object.
    pub name: Option<String>,
}

/// The authorization attributes of a resource request (`None` for other paths: discovery,
/// `/version`, which every user may read).
pub fn attributes(
    method: &Method,
    path: &str,
    query: &HashMap<String, String>,
) -> Option<Attributes> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (group, rest) = match segs.as_slice() {
        ["api", _version, rest @ ..] => ("", rest),
        ["apis", group, _version, rest @ ..] => (*group, rest),
        _ => return None,
    };
    let (namespace, rest) = match rest {
        // `namespaces/{ns}` alone is the namespace object itself, at the cluster scope.
        ["namespaces", ns, rest @ ..] if !rest.is_empty() => (Some(ns.to_string()), rest),
        _ => (None, rest),
    };
    let (resource, name, subresource) = match rest {
        [resource] => (*resource, None, None),
        [resource, name] => (*resource, Some(name.to_string()), None),
        [resource, name, sub] => (*resource, Some(name.to_string()), Some(sub.to_string())),
        _ => return None,
    };
    let watch = matches!(query.get("watch").map(String::as_str), Some("true" | "1"));
    let verb = match (method.as_str(), &name) {
        ("GET", None) if watch => "watch",
        ("GET", None) => "list",
        ("GET", Some(_)) => "get",
        ("POST", _) => "create",
        ("PUT", _) => "update",
        ("PATCH", _) => "patch",
        ("DELETE", None) => "deletecollection",
        ("DELETE", Some(_)) => "delete",
        _ => return None,
    };
    Some(Attributes {
        verb: verb.to_owned(),
        group: group.to_owned(),
        resource: resource.to_owned(),
        subresource,
        namespace,
        name,
    })
}

/// The real API server's 403 `Status` for a request the user may not make.
pub fn forbidden_status(user: &str, a: &Attributes) -> Value {
    let qualified = if a.group.is_empty() {
        a.resource.clone()
    } else {
        format!("{}.{}", a.resource, a.group)
    };
    let resource = match &a.subresource {
        Some(sub) => format!("{}/{sub}", a.resource),
        None => a.resource.clone(),
    };
    let scope = match &a.namespace {
        Some(ns) => format!("in the namespace {ns:?}"),
        None => "at the cluster scope".to_owned(),
    };
    let subject = match &a.name {
        Some(name) => format!("{qualified} {name:?}"),
        None => qualified,
    };
    let mut details = json!({ "kind": a.resource });
    if let Some(name) = &a.name {
        details["name"] = json!(name);
    }
    if !a.group.is_empty() {
        details["group"] = json!(a.group);
    }
    json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": format!(
            "{subject} is forbidden: User {user:?} cannot {} resource {resource:?} in API group {:?} {scope}",
            a.verb, a.group
        ),
        "reason": "Forbidden", "details": details, "code": 403,
    })
}

/// Whether `identity` (`None`: anyone may) may watch `resource` of `group` in `namespace`; the
/// 403 `Status` if not. For watches that do not come as HTTP requests (the WebSocket aggregator).
pub fn check_watch(
    identity: Option<&Identity>,
    group: &str,
    resource: &str,
    namespace: Option<&str>,
) -> Result<(), Value> {
    match identity {
        Some(me) if !me.allows("watch", namespace) => Err(forbidden_status(
            &me.user,
            &Attributes {
                verb: "watch".into(),
                group: group.into(),
                resource: resource.into(),
                subresource: None,
                namespace: namespace.map(str::to_owned),
                name: None,
            },
        )),
        _ => Ok(()),
    }
}

const REVIEWS: &str = "/apis/authorization.k8s.io/v1/";

/// Answers what RBAC decides before the cluster sees a request: `SelfSubjectAccessReview` and
/// `SelfSubjectRulesReview` (for every simulated agent; `identity` `None` may do everything),
/// and a 403 for a request `identity` may not make. `None`: serve the request.
pub fn intercept(
    identity: Option<&Identity>,
    method: &Method,
    path: &str,
    query: &HashMap<String, String>,
    body: &[u8],
) -> Option<Response> {
    if let (&Method::POST, Some(review)) = (method, path.strip_prefix(REVIEWS)) {
        if let Some(kind) = match review {
            "selfsubjectaccessreviews" => Some("SelfSubjectAccessReview"),
            "selfsubjectrulesreviews" => Some("SelfSubjectRulesReview"),
            _ => None,
        } {
            return Some(match review_answer(identity, kind, body) {
                Ok(answer) => json_response(201, &answer),
                Err(message) => json_response(400, &ApiError::bad_request(message).to_status()),
            });
        }
    }
    let identity = identity?;
    let a = attributes(method, path, query)?;
    (!identity.allows(&a.verb, a.namespace.as_deref()))
        .then(|| json_response(403, &forbidden_status(&identity.user, &a)))
}

/// The review with its `status` filled in, as the API server returns it (201).
fn review_answer(identity: Option<&Identity>, kind: &str, body: &[u8]) -> Result<Value, String> {
    let mut review: Value = serde_json::from_slice(body)
        .map_err(|e| format!("the body of the {kind} is not valid JSON: {e}"))?;
    if review["kind"] != kind || review["apiVersion"] != "authorization.k8s.io/v1" {
        return Err(format!(
            "the body must be an authorization.k8s.io/v1 {kind}, not {}",
            review["kind"]
        ));
    }
    let spec = &review["spec"];
    let status = if kind == "SelfSubjectAccessReview" {
        let attrs = &spec["resourceAttributes"];
        if !attrs.is_object() && !spec["nonResourceAttributes"].is_object() {
            return Err(format!("{kind}.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }
        let verb = attrs["verb"]
            .as_str()
            .or(spec["nonResourceAttributes"]["verb"].as_str())
            .unwrap_or("");
        let namespace = attrs["namespace"].as_str().filter(|n| !n.is_empty());
        // Non-resource paths (discovery, /version) are open to every authenticated user.
        let allowed = !attrs.is_object() || identity.is_none_or(|i| i.allows(verb, namespace));
        json!({ "allowed": allowed })
    } else {
        let namespace = spec["namespace"].as_str().unwrap_or("");
        let mut rules = vec![
            json!({ "verbs": ["create"], "apiGroups": ["authorization.k8s.io"],
            "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] }),
        ];
        let granted: Vec<&Rule> = match identity {
            Some(i) => i
                .rules
                .iter()
                .filter(|r| r.namespace.is_none() || r.namespace.as_deref() == Some(namespace))
                .collect(),
            None => Vec::new(),
        };
        match identity {
            None => rules.push(json!({ "verbs": ["*"], "apiGroups": ["*"], "resources": ["*"] })),
            Some(_) => rules.extend(
                granted
                    .iter()
                    .map(|r| json!({ "verbs": r.verbs, "apiGroups": ["*"], "resources": ["*"] })),
            ),
        }
        json!({
            "resourceRules": rules,
            "nonResourceRules": [{ "verbs": ["get"], "nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*", "/version"] }],
            "incomplete": false,
        })
    };
    review["metadata"] = json!({ "creationTimestamp": null });
    review["status"] = status;
    Ok(review)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;

    /// What `intercept` answers `identity` for one request: `None` when the cluster serves it.
    async fn ask(
        identity: Option<&Identity>,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: &[u8],
    ) -> Option<(u16, Value)> {
        let query: HashMap<String, String> = query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let r = intercept(identity, &method, path, &query, body)?;
        let code = r.status().as_u16();
        let body = to_bytes(r.into_body(), 1 << 20).await.unwrap();
        Some((code, serde_json::from_slice(&body).unwrap()))
    }

    /// The message of the 403 `demo()` gets.
    async fn refusal(method: Method, path: &str, query: &[(&str, &str)]) -> Value {
        let (code, status) = ask(Some(&demo()), method, path, query, b"{}")
            .await
            .unwrap();
        assert_eq!((code, &status["reason"]), (403, &json!("Forbidden")));
        status
    }

    fn demo() -> Identity {
        Identity::reader_of("gitlab:user:demo", "flux-system")
    }

    const KS: &str = "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations";

    #[tokio::test]
    async fn a_namespace_reader_is_refused_cluster_wide_lists_with_the_real_message() {
        let status = refusal(Method::GET, "/api/v1/pods", &[]).await;
        assert_eq!(
            status["message"],
            "pods is forbidden: User \"gitlab:user:demo\" cannot list resource \"pods\" in API group \"\" at the cluster scope"
        );
        assert_eq!(status["details"], json!({ "kind": "pods" }));
        // The recorded viewer watch of a real server, word for word (user name aside).
        let status = refusal(
            Method::GET,
            "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations",
            &[("watch", "true")],
        )
        .await;
        let recorded: Value = serde_json::from_str(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/f-403-viewer-watch.body"
        )))
        .unwrap();
        let expected = recorded["message"]
            .as_str()
            .unwrap()
            .replace("\"viewer\"", "\"gitlab:user:demo\"");
        assert_eq!(status["message"], expected.as_str());
        assert_eq!(status["details"], recorded["details"]);
    }

    #[tokio::test]
    async fn a_namespace_reader_reads_its_namespace_and_may_not_change_it() {
        let me = demo();
        assert!(ask(Some(&me), Method::GET, KS, &[], b"").await.is_none());
        let one = format!("{KS}/apps");
        assert!(ask(Some(&me), Method::GET, &one, &[], b"").await.is_none());
        let status = refusal(Method::PATCH, &one, &[]).await;
        assert_eq!(status["message"], "kustomizations.kustomize.toolkit.fluxcd.io \"apps\" is forbidden: User \"gitlab:user:demo\" cannot patch resource \"kustomizations\" in API group \"kustomize.toolkit.fluxcd.io\" in the namespace \"flux-system\"");
        assert_eq!(status["details"]["name"], "apps");
        let status = refusal(Method::GET, "/api/v1/namespaces/demo/pods/web/log", &[]).await;
        assert!(status["message"].as_str().unwrap().contains(
            "cannot get resource \"pods/log\" in API group \"\" in the namespace \"demo\""
        ));
        // Reading a namespace object is a cluster-scoped get.
        let status = refusal(Method::GET, "/api/v1/namespaces/flux-system", &[]).await;
        assert!(status["message"]
            .as_str()
            .unwrap()
            .ends_with("at the cluster scope"));
        // Discovery is open to everyone; an agent without identity may do everything.
        assert!(ask(Some(&me), Method::GET, "/apis", &[], b"")
            .await
            .is_none());
        assert!(ask(None, Method::PATCH, &one, &[], b"{}").await.is_none());
    }

    #[test]
    fn socket_watches_are_checked_by_the_same_rules() {
        let me = demo();
        assert!(check_watch(Some(&me), "", "pods", Some("flux-system")).is_ok());
        assert!(check_watch(None, "", "pods", None).is_ok());
        let refused = check_watch(Some(&me), "", "pods", None).unwrap_err();
        assert_eq!(refused["code"], 403);
        assert_eq!(refused["message"], "pods is forbidden: User \"gitlab:user:demo\" cannot watch resource \"pods\" in API group \"\" at the cluster scope");
    }

    const SSAR: &str = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

    /// `status.allowed` of an access review of `verb` on kustomizations in `namespace`.
    async fn allowed(identity: Option<&Identity>, verb: &str, namespace: &str) -> Value {
        let review = json!({ "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
            "spec": { "resourceAttributes": { "verb": verb, "group": "kustomize.toolkit.fluxcd.io",
                "resource": "kustomizations", "namespace": namespace, "name": "apps" } } });
        let (code, body) = ask(
            identity,
            Method::POST,
            SSAR,
            &[],
            review.to_string().as_bytes(),
        )
        .await
        .unwrap();
        assert_eq!(code, 201);
        assert_eq!(body["spec"], review["spec"], "the spec comes back");
        body["status"]["allowed"].clone()
    }

    #[tokio::test]
    async fn access_reviews_answer_from_the_same_rules() {
        let me = demo();
        assert_eq!(allowed(Some(&me), "patch", "flux-system").await, false);
        assert_eq!(allowed(Some(&me), "list", "flux-system").await, true);
        assert_eq!(allowed(Some(&me), "list", "demo").await, false);
        assert_eq!(allowed(None, "patch", "flux-system").await, true);
        let (code, body) = ask(Some(&me), Method::POST, SSAR, &[], br#"{"kind":"Pod"}"#)
            .await
            .unwrap();
        assert_eq!((code, body["reason"].as_str()), (400, Some("BadRequest")));
        assert!(body["message"]
            .as_str()
            .unwrap()
            .contains("SelfSubjectAccessReview"));
    }

    #[tokio::test]
    async fn rules_reviews_list_the_namespace_rules() {
        let me = demo();
        let path = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
        let rules = |ns: &str| {
            let body = json!({ "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview", "spec": { "namespace": ns } });
            let me = me.clone();
            async move {
                let (code, review) = ask(
                    Some(&me),
                    Method::POST,
                    path,
                    &[],
                    body.to_string().as_bytes(),
                )
                .await
                .unwrap();
                assert_eq!(
                    (code, &review["status"]["incomplete"]),
                    (201, &json!(false))
                );
                review["status"]["resourceRules"].clone()
            }
        };
        let granted = rules("flux-system").await;
        assert_eq!(granted.as_array().unwrap().len(), 2);
        assert_eq!(granted[1]["verbs"], json!(["get", "list", "watch"]));
        assert_eq!(
            rules("demo").await.as_array().unwrap().len(),
            1,
            "only the reviews themselves"
        );
    }
}
