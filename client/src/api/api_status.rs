//! The Kubernetes `Status` object: the body of API errors and of `ERROR` watch events.

use serde::Deserialize;

/// The fields of a `meta/v1` `Status` that error handling and messages need.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApiStatus {
    /// HTTP-like code (410 for an expired resourceVersion, 403 forbidden, …).
    pub code: u16,
    /// Machine-readable reason: `Expired`, `Gone`, `Forbidden`, `NotFound`, `TooManyRequests`, ….
    pub reason: String,
    /// Human-readable message from the server (untrusted text).
    pub message: String,
    /// What the error refers to.
    pub details: Option<StatusDetails>,
}

/// `Status.details`: the object an error is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StatusDetails {
    /// Object name.
    pub name: String,
    /// API group.
    pub group: String,
    /// Resource kind (for 403s: the resource plural).
    pub kind: String,
    /// Seconds to wait before retrying, when the server says.
    pub retry_after_seconds: Option<u64>,
}

impl ApiStatus {
    /// Parses a response body as a `Status`, if it is one (proxies may answer plain text or HTML).
    pub fn from_body(body: &[u8]) -> Option<ApiStatus> {
        #[derive(Deserialize)]
        struct Kind<'a> {
            #[serde(borrow)]
            kind: Option<&'a str>,
        }
        let kind: Kind = serde_json::from_slice(body).ok()?;
        if kind.kind != Some("Status") {
            return None;
        }
        serde_json::from_slice(body).ok()
    }

    /// Whether this status means the requested resourceVersion is no longer available.
    pub fn is_expired(&self) -> bool {
        self.code == 410 || self.reason == "Expired" || self.reason == "Gone"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_410_and_rejects_other_bodies() {
        let body = br#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (482)","reason":"Expired","code":410}"#;
        let status = ApiStatus::from_body(body).expect("a Status");
        assert!(status.is_expired());
        assert_eq!(status.message, "too old resource version: 1 (482)");
        assert_eq!(ApiStatus::from_body(b"404 page not found"), None);
        assert_eq!(ApiStatus::from_body(br#"{"kind":"Pod"}"#), None);
    }
}
