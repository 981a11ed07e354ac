//! Where the API is and how to authenticate: builds every request the GitLab agent's proxy expects.

use std::fmt;

/// A credential string that never shows up in `Debug` output, errors or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// How requests authenticate against the proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// No credentials: a same-origin proxy (`lookout-dev`) holds them.
    None,
    /// No credentials, but a chosen agent (cluster) of a same-origin proxy that serves several:
    /// `GitLab-Agent-Id: <agent_id>`.
    ProxyAgent {
        /// The agent's numeric id.
        agent_id: u64,
    },
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// GitLab personal access token: `Authorization: Bearer pat:<agent-id>:<token>`.
    PersonalAccessToken {
        /// The GitLab agent's numeric id.
        agent_id: u64,
        /// The token (scope `k8s_proxy`).
        token: Secret,
    },
    /// Inside GitLab: the session cookie (`credentials: include`), `GitLab-Agent-Id` and `X-CSRF-Token`.
    GitLabSession {
        /// The GitLab agent's numeric id.
        agent_id: u64,
        /// The host page's CSRF token (`meta[name=csrf-token]`).
        csrf_token: Secret,
    },
}

/// HTTP method of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One HTTP request, ready for a [`crate::api::transport::Transport`].
#[derive(Clone, PartialEq)]
pub struct Request {
    /// HTTP method.
    pub method: Method,
    /// Absolute URL (or path, for same-origin use in the browser).
    pub url: String,
    /// Request headers; may hold credentials, so `Debug` hides their values.
    pub headers: Vec<(String, String)>,
    /// Request body.
    pub body: Option<Vec<u8>>,
    /// Send cookies (`credentials: include`), for the GitLab session mode.
    pub include_credentials: bool,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .field("include_credentials", &self.include_credentials)
            .finish()
    }
}

/// The proxy base URL plus the auth mode: the one thing every request is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    base: String,
    auth: Auth,
}

impl Connection {
    /// A connection to `base_url` (e.g. `https://kas.gitlab.example.com/k8s-proxy/` or `/k8s-proxy`).
    pub fn new(base_url: &str, auth: Auth) -> Self {
        Connection {
            base: base_url.trim_end_matches('/').to_owned(),
            auth,
        }
    }

    /// The proxy base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Which cluster this connection reaches, as whom: the base URL, the agent if one is named,
    /// and the kind of credentials with a fingerprint of them (never the secret itself). Watches
    /// and sockets are shared only between connections of the same scope.
    pub fn scope(&self) -> String {
        use std::hash::{Hash, Hasher};
        let fingerprint = |secret: &Secret| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            secret.expose().hash(&mut h);
            format!("{:016x}", h.finish())
        };
        match &self.auth {
            Auth::None => self.base.clone(),
            Auth::ProxyAgent { agent_id } => format!("{}#agent={agent_id}", self.base),
            Auth::Bearer(token) => format!("{}#bearer={}", self.base, fingerprint(token)),
            Auth::PersonalAccessToken { agent_id, token } => {
                format!("{}#agent={agent_id}#pat={}", self.base, fingerprint(token))
            }
            Auth::GitLabSession {
                agent_id,
                csrf_token,
            } => format!(
                "{}#agent={agent_id}#session={}",
                self.base,
                fingerprint(csrf_token)
            ),
        }
    }

    /// Builds a request for an API path such as `/api/v1/pods?watch=true`.
    pub fn request(&self, method: Method, path_and_query: &str) -> Request {
        let mut headers = vec![("Accept".to_owned(), "application/json".to_owned())];
        let mut include_credentials = false;
        match &self.auth {
            Auth::None => {}
            Auth::ProxyAgent { agent_id } => {
                headers.push(("GitLab-Agent-Id".into(), agent_id.to_string()));
            }
            Auth::Bearer(token) => {
                headers.push(("Authorization".into(), format!("Bearer {}", token.expose())));
            }
            Auth::PersonalAccessToken { agent_id, token } => headers.push((
                "Authorization".into(),
                format!("Bearer pat:{agent_id}:{}", token.expose()),
            )),
            Auth::GitLabSession {
                agent_id,
                csrf_token,
            } => {
                headers.push(("GitLab-Agent-Id".into(), agent_id.to_string()));
                headers.push(("X-CSRF-Token".into(), csrf_token.expose().to_owned()));
                include_credentials = true;
            }
        }
        Request {
            method,
            url: format!("{}{}", self.base, path_and_query),
            headers,
            body: None,
            include_credentials,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header<'a>(r: &'a Request, name: &str) -> Option<&'a str> {
        r.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn each_auth_mode_builds_what_the_proxy_expects() {
        let pat = Connection::new(
            "https://kas.example.com/k8s-proxy/",
            Auth::PersonalAccessToken {
                agent_id: 7,
                token: Secret::new("glpat-abc"),
            },
        );
        let r = pat.request(Method::Get, "/api/v1/pods");
        assert_eq!(r.url, "https://kas.example.com/k8s-proxy/api/v1/pods");
        assert_eq!(header(&r, "Authorization"), Some("Bearer pat:7:glpat-abc"));
        assert!(!r.include_credentials);

        let session = Connection::new(
            "https://kas.example.com/k8s-proxy",
            Auth::GitLabSession {
                agent_id: 7,
                csrf_token: Secret::new("csrf-1"),
            },
        );
        let r = session.request(Method::Get, "/api/v1/pods");
        assert_eq!(header(&r, "GitLab-Agent-Id"), Some("7"));
        assert_eq!(header(&r, "X-CSRF-Token"), Some("csrf-1"));
        assert_eq!(header(&r, "Authorization"), None);
        assert!(r.include_credentials);
    }

    #[test]
    fn tokens_never_show_in_debug_output() {
        let conn = Connection::new("/k8s-proxy", Auth::Bearer(Secret::new("s3cret-token")));
        let r = conn.request(Method::Get, "/api/v1/pods");
        assert!(!format!("{conn:?}").contains("s3cret"));
        assert!(!format!("{r:?}").contains("s3cret"));
        assert!(!r.url.contains("s3cret"));
    }

    #[test]
    fn scopes_separate_agents_and_credentials_without_showing_them() {
        let session = |agent_id, csrf: &str| {
            Connection::new(
                "https://kas.example/k8s-proxy",
                Auth::GitLabSession {
                    agent_id,
                    csrf_token: Secret::new(csrf),
                },
            )
            .scope()
        };
        assert_eq!(session(1, "a"), session(1, "a"));
        assert_ne!(session(1, "a"), session(2, "a"));
        assert_ne!(session(1, "a"), session(1, "b"));
        let pat = Connection::new(
            "https://kas.example/k8s-proxy",
            Auth::PersonalAccessToken {
                agent_id: 1,
                token: Secret::new("glpat-secret"),
            },
        )
        .scope();
        assert_ne!(pat, session(1, "a"));
        assert!(!pat.contains("glpat-secret"), "{pat}");
    }
}
