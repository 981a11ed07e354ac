//! Query strings for list and watch requests, and the selectors they carry.

use crate::api::resource::ObjectMeta;
use crate::api::selector::{FieldSelector, LabelSelector};

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

/// Decodes a percent-encoded query component (`+` as space, as forms and the API server read it).
pub fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).and_then(|b| hex(*b)),
            bytes.get(i + 2).and_then(|b| hex(*b)),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
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

impl Selector {
    /// One object by name (`metadata.name`), in `namespace` ("" for cluster-scoped kinds).
    pub fn named(namespace: &str, name: &str) -> Selector {
        Selector {
            namespace: (!namespace.is_empty()).then(|| namespace.to_owned()),
            labels: None,
            fields: Some(format!("metadata.name={name}")),
        }
    }

    /// The pods of a workload: its `spec.selector.matchLabels` as a label selector, in its
    /// namespace. A workload without one selects nothing (not everything).
    pub fn pods_of(namespace: &str, workload: &serde_json::Value) -> Selector {
        let labels = workload
            .pointer("/spec/selector/matchLabels")
            .and_then(serde_json::Value::as_object)
            .filter(|m| !m.is_empty())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join(",")
            });
        Selector {
            namespace: Some(namespace.to_owned()),
            // No selector must not mean every pod: a label no object carries.
            labels: Some(labels.unwrap_or_else(|| "lookout.invalid/none=1".into())),
            fields: None,
        }
    }

    /// The core/v1 Events about one object (watch them with `kinds::EVENT` and the `Object` model).
    pub fn events_of(kind: &str, namespace: &str, name: &str) -> Selector {
        Selector {
            namespace: Some(namespace.to_owned()),
            labels: None,
            fields: Some(format!(
                "involvedObject.kind={kind},involvedObject.name={name},involvedObject.namespace={namespace}"
            )),
        }
    }

    /// The events.k8s.io/v1 Events about one object (they name it under `regarding`).
    pub fn events_regarding(kind: &str, namespace: &str, name: &str) -> Selector {
        Selector {
            namespace: Some(namespace.to_owned()),
            labels: None,
            fields: Some(format!(
                "regarding.kind={kind},regarding.name={name},regarding.namespace={namespace}"
            )),
        }
    }

    /// Whether every object this selector picks is also picked by `self`, and `self`'s watch can
    /// serve `narrower` by filtering on metadata (labels, `metadata.name`, `metadata.namespace`).
    pub fn covers(&self, narrower: &Selector) -> bool {
        let scope_ok = self.namespace.is_none() || self.namespace == narrower.namespace;
        let fields_ok = match &narrower.fields {
            None => true,
            Some(f) => FieldSelector::parse(f).is_ok_and(|f| {
                f.fields()
                    .all(|p| p == "metadata.name" || p == "metadata.namespace")
            }),
        };
        let labels_ok = narrower
            .labels
            .as_deref()
            .is_none_or(|l| LabelSelector::parse(l).is_ok());
        self.labels.is_none() && self.fields.is_none() && scope_ok && fields_ok && labels_ok
    }

    /// Whether an object with this metadata is picked (namespace, labels, metadata fields).
    pub fn matches_meta(&self, meta: &ObjectMeta) -> bool {
        self.meta_matcher()(meta)
    }

    /// [`Selector::matches_meta`] with the selectors parsed once, for many objects.
    pub fn meta_matcher(&self) -> impl Fn(&ObjectMeta) -> bool + '_ {
        let labels = self.labels.as_deref().map(LabelSelector::parse);
        let fields = self.fields.as_deref().map(FieldSelector::parse);
        move |meta| {
            let in_scope = self
                .namespace
                .as_deref()
                .is_none_or(|ns| ns == meta.namespace);
            in_scope
                && labels.as_ref().is_none_or(|l| {
                    l.as_ref()
                        .is_ok_and(|l| l.matches_labels(|k| meta.labels.get(k)))
                })
                && fields.as_ref().is_none_or(|f| {
                    f.as_ref().is_ok_and(|f| {
                        f.matches_fields(|path| match path {
                            "metadata.name" => Some(meta.name.as_str().into()),
                            "metadata.namespace" => Some(meta.namespace.as_str().into()),
                            _ => None,
                        })
                    })
                })
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
    fn wide_selectors_cover_narrow_ones() {
        let all = Selector::default();
        let app = Selector::namespace("app");
        let web = Selector {
            labels: Some("app=web".into()),
            ..Selector::namespace("app")
        };
        let by_phase = Selector {
            fields: Some("status.phase=Running".into()),
            ..Selector::namespace("app")
        };
        let by_name = Selector {
            fields: Some("metadata.name=web-1".into()),
            ..Selector::namespace("app")
        };
        assert!(all.covers(&app) && all.covers(&web) && app.covers(&web) && app.covers(&by_name));
        assert!(
            !app.covers(&Selector::namespace("other")) && !app.covers(&all) && !web.covers(&app)
        );
        assert!(
            !app.covers(&by_phase),
            "status fields are not in the slim metadata"
        );

        let mut meta = ObjectMeta {
            name: "web-1".into(),
            namespace: "app".into(),
            ..ObjectMeta::default()
        };
        meta.labels.insert("app", "web");
        assert!(web.matches_meta(&meta) && by_name.matches_meta(&meta) && all.matches_meta(&meta));
        meta.labels.clear();
        assert!(!web.matches_meta(&meta));
        assert!(!Selector::namespace("x").matches_meta(&meta));
    }

    #[test]
    fn events_of_one_object() {
        let sel = Selector::events_of("Pod", "app", "web-1");
        let q = Query::for_selector(&sel);
        assert_eq!(q.as_str(), "?fieldSelector=involvedObject.kind%3DPod%2CinvolvedObject.name%3Dweb-1%2CinvolvedObject.namespace%3Dapp");
        assert_eq!(
            crate::model::kinds::EVENT.collection_path(sel.namespace.as_deref()),
            "/api/v1/namespaces/app/events"
        );
    }

    #[test]
    fn decoding_reverses_encoding() {
        for s in ["app in (a,b),!x", "ünï çødé", "a+b=c&d", "%zz"] {
            assert_eq!(decode(&encode(s)), s);
        }
        assert_eq!(decode("a+b%20c%2"), "a b c%2");
    }

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

    #[test]
    fn named_objects_and_pods_of_a_workload() {
        let s = Selector::named("app", "web");
        assert_eq!(s.namespace.as_deref(), Some("app"));
        assert_eq!(s.fields.as_deref(), Some("metadata.name=web"));
        assert_eq!(Selector::named("", "node-1").namespace, None);
        let deployment = serde_json::json!({ "spec": { "selector": { "matchLabels": { "app": "web", "tier": "fe" } } } });
        assert_eq!(
            Selector::pods_of("app", &deployment).labels.as_deref(),
            Some("app=web,tier=fe")
        );
        let bare = serde_json::json!({ "spec": {} });
        assert_eq!(
            Selector::pods_of("app", &bare).labels.as_deref(),
            Some("lookout.invalid/none=1")
        );
    }
}
