//! Errors of the client, each specific enough to tell the user what went wrong and what to do.

use crate::api::api_status::ApiStatus;
use std::fmt;

/// Everything a request or a watch can fail with.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The request never got an HTTP answer (network down, connection refused or dropped).
    Network(String),
    /// An open stream stayed silent past its deadline (a silently dead connection).
    Timeout(String),
    /// The server answered with a non-success HTTP status.
    Http {
        /// HTTP status code.
        code: u16,
        /// The Kubernetes `Status` in the body, when the body was one.
        status: Option<Box<ApiStatus>>,
        /// The start of a non-`Status` body (plain text or HTML from a proxy), for the message.
        body: String,
        /// `Retry-After` in seconds, when given (429, 503).
        retry_after: Option<u64>,
        /// The GitLab agent server refused the credentials (`Gitlab-Unauthorized: true`).
        gitlab_unauthorized: bool,
    },
    /// The body could not be decoded as the expected JSON.
    Decode(String),
    /// The watch stream reported an error event (a `Status`) other than "expired".
    WatchError(Box<ApiStatus>),
}

/// What kind of trouble an error is, for choosing the panel a view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 401: signed out, session expired, token invalid.
    SignedOut,
    /// 403: no RBAC permission, agent not configured for this user, or origin refused.
    Forbidden,
    /// 404: unknown agent, resource or object.
    NotFound,
    /// 429: rate limited.
    RateLimited,
    /// 5xx: the agent or API server is unreachable or failing.
    Unavailable,
    /// No HTTP answer, or a silent connection.
    Network,
    /// A malformed or unexpected answer.
    Malformed,
    /// Any other failure (410, 4xx the client sent wrong, watch errors).
    Other,
}

impl ErrorKind {
    /// The kind of trouble an HTTP (or `Status`) code means.
    fn of_code(code: u16) -> ErrorKind {
        match code {
            401 => ErrorKind::SignedOut,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::Unavailable,
            _ => ErrorKind::Other,
        }
    }
}

/// Title and advice for an error the user can act on; `None` for passing trouble that the
/// connection indicator covers (a dropped stream being resumed).
pub fn advice(error: &Error) -> Option<(&'static str, &'static str)> {
    Some(match error.kind() {
        ErrorKind::SignedOut => (
            "Signed out",
            "GitLab refused the request: your session has expired, the token is no longer valid, or the agent is not shared with you. Sign in to GitLab again, then retry; if it persists, ask for access to the agent.",
        ),
        ErrorKind::Forbidden => (
            "No access",
            "The cluster refused the request. Ask for the permission named below, or check that the agent is shared with you.",
        ),
        ErrorKind::NotFound => (
            "Not found",
            "The agent or the resource does not exist (an unknown agent id, or a kind this cluster does not serve).",
        ),
        ErrorKind::RateLimited => (
            "Rate limited",
            "Too many requests right now. Lookout retries automatically when the server allows.",
        ),
        ErrorKind::Unavailable => (
            "Cluster unreachable",
            "The agent or the API server did not answer. Lookout keeps retrying; the data shown may be stale.",
        ),
        _ => return None,
    })
}

impl Error {
    /// The kind of trouble, for the UI.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Network(_) | Error::Timeout(_) => ErrorKind::Network,
            Error::Decode(_) => ErrorKind::Malformed,
            // A watch refused inside the stream (the watch aggregator's 403) is the same trouble.
            Error::WatchError(status) => ErrorKind::of_code(status.code),
            Error::Http { code, .. } => ErrorKind::of_code(*code),
        }
    }

    /// Whether the error says the resourceVersion is too old (relist needed).
    pub fn is_expired(&self) -> bool {
        match self {
            Error::Http { code: 410, .. } => true,
            Error::Http {
                status: Some(s), ..
            }
            | Error::WatchError(s) => s.is_expired(),
            _ => false,
        }
    }

    /// Whether the server rejected the request itself (4xx other than 410 and 429): retrying the
    /// same request will not help.
    pub fn is_client_error(&self) -> bool {
        let code = match self {
            Error::Http { code, .. } => *code,
            // A watch refused inside the stream (as the watch aggregator reports it).
            Error::WatchError(s) => s.code,
            _ => return false,
        };
        (400..500).contains(&code) && code != 410 && code != 429
    }

    /// The server's requested wait before a retry, in seconds.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Error::Http {
                retry_after,
                status,
                ..
            } => retry_after.or_else(|| status.as_ref()?.details.as_ref()?.retry_after_seconds),
            _ => None,
        }
    }

    /// Builds the error for a non-success response from its status, headers and body.
    pub fn from_response(code: u16, headers: &[(String, String)], body: &[u8]) -> Error {
        let header = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim())
        };
        let status = ApiStatus::from_body(body).map(Box::new);
        let text = if status.is_some() {
            String::new()
        } else {
            let text = String::from_utf8_lossy(body);
            text.chars().take(200).collect::<String>().trim().to_owned()
        };
        // Cross-origin, a browser hides `Gitlab-Unauthorized` unless KAS exposes it; KAS's own
        // refusals also say who they are in the Status message.
        let from_kas = status
            .as_ref()
            .is_some_and(|s| s.message.starts_with("GitLab Agent Server:"));
        Error::Http {
            code,
            status,
            body: text,
            retry_after: header("retry-after").and_then(|v| v.parse().ok()),
            gitlab_unauthorized: header("gitlab-unauthorized") == Some("true")
                || (code == 401 && from_kas),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Network(msg) => write!(f, "cannot reach the API: {msg}"),
            Error::Timeout(msg) => write!(f, "the connection went silent: {msg}"),
            Error::Http {
                code,
                status,
                body,
                gitlab_unauthorized,
                ..
            } => {
                let what = match code {
                    401 if *gitlab_unauthorized => {
                        "GitLab refused the credentials (sign in again or check the token)"
                    }
                    401 => "not authenticated",
                    403 => "forbidden",
                    404 => "not found",
                    410 => "resource version expired",
                    429 => "rate limited",
                    502..=504 => "the agent or API server is unreachable",
                    _ => "request failed",
                };
                write!(f, "HTTP {code}: {what}")?;
                match status {
                    Some(s) if !s.message.is_empty() => write!(f, ": {}", s.message),
                    _ if !body.is_empty() => write!(f, ": {body}"),
                    // KAS answers a disallowed browser origin with a bare 403, before any auth.
                    None if *code == 403 => f.write_str(
                        ": the agent proxy refused this page's origin (it only accepts GitLab's own origin; use lookout-dev as a same-origin proxy)",
                    ),
                    _ => Ok(()),
                }
            }
            Error::Decode(msg) => write!(f, "unexpected response: {msg}"),
            Error::WatchError(s) => write!(f, "watch error {} {}: {}", s.code, s.reason, s.message),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_errors_name_the_cause() {
        let forbidden = br#"{"kind":"Status","message":"pods is forbidden: User \"viewer\" cannot list resource \"pods\" in API group \"\" in the namespace \"app\"","reason":"Forbidden","details":{"kind":"pods"},"code":403}"#;
        let e = Error::from_response(403, &[], forbidden);
        assert_eq!(
            e.to_string(),
            "HTTP 403: forbidden: pods is forbidden: User \"viewer\" cannot list resource \"pods\" in API group \"\" in the namespace \"app\""
        );
        let e = Error::from_response(404, &[], b"404 page not found\n");
        assert_eq!(e.to_string(), "HTTP 404: not found: 404 page not found");
        let headers = [("Retry-After".to_owned(), "7".to_owned())];
        assert_eq!(
            Error::from_response(429, &headers, b"").retry_after(),
            Some(7)
        );
        let kas = [("Gitlab-Unauthorized".to_owned(), "true".to_owned())];
        assert!(Error::from_response(401, &kas, b"")
            .to_string()
            .contains("GitLab refused"));
        assert!(Error::from_response(410, &[], b"").is_expired());
        let origin = Error::from_response(403, &[], b"");
        assert!(
            origin.to_string().contains("refused this page's origin"),
            "{origin}"
        );
        assert_eq!(origin.kind(), ErrorKind::Forbidden);
        let in_stream = ApiStatus::from_body(forbidden).map(Box::new).unwrap();
        assert_eq!(Error::WatchError(in_stream).kind(), ErrorKind::Forbidden);
        let kas = br#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"GitLab Agent Server: Unauthorized. Trace ID: 8f3a","reason":"Unauthorized","code":401}"#;
        let headers = [("gitlab-unauthorized".to_owned(), "true".to_owned())];
        let e = Error::from_response(401, &headers, kas);
        assert_eq!(e.kind(), ErrorKind::SignedOut);
        assert_eq!(e.to_string(), "HTTP 401: GitLab refused the credentials (sign in again or check the token): GitLab Agent Server: Unauthorized. Trace ID: 8f3a");
        // Cross-origin the header may be hidden from the page: KAS's message still names it.
        assert_eq!(
            Error::from_response(401, &[], kas).to_string(),
            e.to_string()
        );
        let cluster =
            br#"{"kind":"Status","message":"Unauthorized","reason":"Unauthorized","code":401}"#;
        assert!(Error::from_response(401, &[], cluster)
            .to_string()
            .starts_with("HTTP 401: not authenticated"));
        assert_eq!(
            Error::from_response(503, &[], b"upstream connect error").kind(),
            ErrorKind::Unavailable
        );
        assert_eq!(Error::Timeout("x".into()).kind(), ErrorKind::Network);
    }
}
