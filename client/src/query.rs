//! Query strings for list and watch requests.

/// Percent-encodes a query or path component (everything but RFC 3986 unreserved characters).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Which objects of a kind to list and watch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Selector {
    /// One namespace, or all namespaces when `None`.
    pub namespace: Option<String>,
    /// `labelSelector` (`app=web,tier!=db`).
    pub labels: Option<String>,
    /// `fieldSelector` (`status.phase=Running`).
    pub fields: Option<String>,
}

impl Selector {
    /// Everything in one namespace.
    pub fn namespace(ns: impl Into<String>) -> Self {
        Selector {
            namespace: Some(ns.into()),
            ..Selector::default()
        }
    }
}

/// Builds `?a=b&c=d` with encoded values.
#[derive(Debug, Default)]
pub struct Query(String);

impl Query {
    /// Starts a query with the selector's label and field selectors.
    pub fn for_selector(sel: &Selector) -> Self {
        let mut q = Query::default();
        if let Some(l) = &sel.labels {
            q.push("labelSelector", l);
        }
        if let Some(f) = &sel.fields {
            q.push("fieldSelector", f);
        }
        q
    }

    /// Appends one parameter.
    pub fn push(&mut self, key: &str, value: &str) -> &mut Self {
        self.0.push(if self.0.is_empty() { '?' } else { '&' });
        self.0.push_str(key);
        self.0.push('=');
        self.0.push_str(&encode(value));
        self
    }

    /// The query string, `?` included (empty when no parameter was pushed).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_are_encoded() {
        let sel = Selector {
            namespace: None,
            labels: Some("app in (a,b),!x".into()),
            fields: Some("status.phase=Running".into()),
        };
        let mut q = Query::for_selector(&sel);
        q.push("limit", "500");
        assert_eq!(
            q.as_str(),
            "?labelSelector=app%20in%20%28a%2Cb%29%2C%21x&fieldSelector=status.phase%3DRunning&limit=500"
        );
    }
}
