//! [`Object`]: a slim model for any kind, pruned while it is decoded.
//!
//! Decoding keeps `apiVersion`, `kind`, the metadata fields views use, the `spec` fields status
//! rules and cards read (never a pod template), and the whole `status`. Everything else is skipped
//! without being built: `managedFields`, `last-applied-configuration`, and Secret `data`/`stringData`
//! (Secret values are never held). The kept part is a `serde_json::Value`, so the status rules, the
//! Flux model and detail views read any kind, built-in or custom, the same way.

use crate::api::resource::{ObjectMeta, Resource};
use crate::model::{Labels, Str};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::fmt;

/// What to keep of a JSON value.
enum Keep {
    /// The whole value.
    All,
    /// Of an object, only these members (each with its own rule).
    Only(&'static [(&'static str, Keep)]),
    /// Of an object, every member but these.
    AllExcept(&'static [&'static str]),
}

const METADATA: &[(&str, Keep)] = &[
    ("name", Keep::All),
    ("namespace", Keep::All),
    ("uid", Keep::All),
    ("resourceVersion", Keep::All),
    ("generation", Keep::All),
    ("creationTimestamp", Keep::All),
    ("deletionTimestamp", Keep::All),
    ("labels", Keep::All),
    (
        "annotations",
        Keep::AllExcept(&["kubectl.kubernetes.io/last-applied-configuration"]),
    ),
    ("ownerReferences", Keep::All),
    ("finalizers", Keep::All),
];

/// `spec` fields read by status rules (workloads, jobs, services, PVCs), Flux cards and graphs.
const SPEC: &[(&str, Keep)] = &[
    ("replicas", Keep::All),
    ("paused", Keep::All),
    ("suspend", Keep::All),
    ("updateStrategy", Keep::All),
    ("progressDeadlineSeconds", Keep::All),
    ("parallelism", Keep::All),
    ("completions", Keep::All),
    ("schedule", Keep::All),
    ("type", Keep::All),
    ("clusterIP", Keep::All),
    ("ports", Keep::All),
    ("selector", Keep::All),
    ("rules", Keep::All),
    ("tls", Keep::All),
    ("ingressClassName", Keep::All),
    ("storageClassName", Keep::All),
    ("accessModes", Keep::All),
    ("unschedulable", Keep::All),
    ("nodeName", Keep::All),
    ("interval", Keep::All),
    ("timeout", Keep::All),
    ("path", Keep::All),
    ("prune", Keep::All),
    ("wait", Keep::All),
    ("targetNamespace", Keep::All),
    ("sourceRef", Keep::All),
    ("dependsOn", Keep::All),
    ("chart", Keep::All),
    ("chartRef", Keep::All),
    ("releaseName", Keep::All),
    ("url", Keep::All),
    ("ref", Keep::All),
    ("provider", Keep::All),
    ("image", Keep::All),
    ("imageRepositoryRef", Keep::All),
    ("policy", Keep::All),
    ("eventSources", Keep::All),
    ("providerRef", Keep::All),
    ("events", Keep::All),
];

const TOP: Keep = Keep::Only(&[
    ("apiVersion", Keep::All),
    ("kind", Keep::All),
    ("metadata", Keep::Only(METADATA)),
    ("spec", Keep::Only(SPEC)),
    ("status", Keep::All),
    // core/v1 Event and events.k8s.io/v1 Event carry their data at the top level.
    ("type", Keep::All),
    ("reason", Keep::All),
    ("note", Keep::All),
    ("message", Keep::All),
    ("count", Keep::All),
    ("firstTimestamp", Keep::All),
    ("lastTimestamp", Keep::All),
    ("eventTime", Keep::All),
    ("involvedObject", Keep::All),
    ("regarding", Keep::All),
    ("source", Keep::All),
    ("reportingController", Keep::All),
    ("series", Keep::All),
]);

struct Prune(&'static Keep);

impl<'de> DeserializeSeed<'de> for Prune {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        match self.0 {
            Keep::All => Value::deserialize(d),
            rule => d.deserialize_any(PruneVisitor(rule)),
        }
    }
}

struct PruneVisitor(&'static Keep);

impl<'de> Visitor<'de> for PruneVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let rule = match self.0 {
                Keep::Only(members) => members
                    .iter()
                    .find(|(name, _)| *name == key)
                    .map(|(_, rule)| rule),
                Keep::AllExcept(skip) => (!skip.contains(&key.as_str())).then_some(&Keep::All),
                Keep::All => Some(&Keep::All),
            };
            match rule {
                Some(rule) => {
                    let value = map.next_value_seed(Prune(rule))?;
                    out.insert(key, value);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Value::Object(out))
    }
}

/// Any object, pruned to what views and status rules use.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// Metadata, typed.
    pub metadata: ObjectMeta,
    /// The kept fields, as JSON.
    pub value: Value,
}

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Prune(&TOP).deserialize(d)?;
        let metadata = metadata(&value["metadata"]).map_err(serde::de::Error::custom)?;
        Ok(Object { metadata, value })
    }
}

/// The typed metadata of the kept `metadata` JSON (an object or null: pruning took care of it),
/// read by hand: a serde decoder of [`ObjectMeta`] over a `Value` would be a second copy of it in
/// every bundle.
fn metadata(meta: &Value) -> Result<ObjectMeta, String> {
    let invalid =
        |field: &str, expected: &str| format!("invalid type: metadata{field} is not {expected}");
    let text = |field: &str| match &meta[field] {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.as_str())),
        _ => Err(invalid(&format!(".{field}"), "a string")),
    };
    let owned = |field| Ok::<_, String>(text(field)?.map(Str::from).unwrap_or_default());
    let shared = |field| Ok::<_, String>(text(field)?.map(Str::interned));
    let labels = match &meta["labels"] {
        Value::Null => Labels::default(),
        Value::Object(labels) => {
            let mut pairs = Vec::with_capacity(labels.len());
            for (key, value) in labels {
                let value = value
                    .as_str()
                    .ok_or_else(|| invalid(&format!(".labels.{key}"), "a string"))?;
                pairs.push((key.as_str(), value));
            }
            pairs.into_iter().collect()
        }
        _ => return Err(invalid(".labels", "a map of strings")),
    };
    Ok(ObjectMeta {
        name: owned("name")?,
        namespace: shared("namespace")?.unwrap_or_default(),
        uid: owned("uid")?,
        resource_version: owned("resourceVersion")?,
        creation_timestamp: shared("creationTimestamp")?,
        deletion_timestamp: text("deletionTimestamp")?.map(Str::from),
        labels,
    })
}

impl Resource for Object {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn set_type(&mut self, api_version: &str, kind: &str) {
        if let Value::Object(map) = &mut self.value {
            for (field, value) in [("apiVersion", api_version), ("kind", kind)] {
                let missing = map
                    .get(field)
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty);
                if missing {
                    map.insert(field.to_owned(), Value::String(value.to_owned()));
                }
            }
        }
    }
}

impl Object {
    /// `kind`.
    pub fn kind(&self) -> &str {
        self.value["kind"].as_str().unwrap_or("")
    }

    /// A label's value.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.value["metadata"]["labels"][key].as_str()
    }

    /// An annotation's value.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.value["metadata"]["annotations"][key].as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_keeps_what_views_use_and_drops_the_rest() {
        let json = r#"{"apiVersion":"apps/v1","kind":"Deployment",
          "metadata":{"name":"web","namespace":"app","uid":"u","resourceVersion":"9","generation":3,
            "creationTimestamp":"2026-01-02T03:04:05Z","deletionTimestamp":null,
            "labels":{"app":"web"},"managedFields":[{"manager":"kubectl"}],
            "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{huge}","team":"a"}},
          "spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"web"}]}},"selector":{"matchLabels":{"app":"web"}}},
          "status":{"replicas":3,"conditions":[{"type":"Available","status":"True"}]}}"#;
        let obj: Object = serde_json::from_str(json).unwrap();
        let meta = &obj.metadata;
        assert_eq!(
            (
                meta.name.as_str(),
                meta.namespace.as_str(),
                meta.uid.as_str()
            ),
            ("web", "app", "u")
        );
        assert_eq!(meta.resource_version, "9");
        assert_eq!(
            meta.creation_timestamp.as_deref(),
            Some("2026-01-02T03:04:05Z")
        );
        assert_eq!(meta.deletion_timestamp, None);
        assert_eq!(meta.labels.iter().collect::<Vec<_>>(), [("app", "web")]);
        assert_eq!(obj.kind(), "Deployment");
        assert_eq!(obj.value["metadata"]["generation"], 3);
        assert_eq!(obj.label("app"), Some("web"));
        assert_eq!(obj.annotation("team"), Some("a"));
        assert_eq!(
            obj.annotation("kubectl.kubernetes.io/last-applied-configuration"),
            None
        );
        assert!(obj.value["metadata"].get("managedFields").is_none());
        assert!(obj.value["spec"].get("template").is_none());
        assert_eq!(obj.value["spec"]["replicas"], 3);
        assert_eq!(obj.value["status"]["conditions"][0]["type"], "Available");
    }

    #[test]
    fn metadata_read_by_hand_equals_the_typed_decoder() {
        let json = r#"{"kind":"Pod","metadata":{"name":"web-1","namespace":"app","uid":"u1",
          "resourceVersion":"42","creationTimestamp":"2026-01-02T03:04:05Z",
          "deletionTimestamp":"2026-01-02T04:00:00Z","labels":{"b":"2","a":"1"},"generation":2}}"#;
        let obj: Object = serde_json::from_str(json).unwrap();
        let typed: ObjectMeta = serde_json::from_value(obj.value["metadata"].clone()).unwrap();
        assert_eq!(obj.metadata, typed);
        let bare: Object = serde_json::from_str(r#"{"kind":"Pod"}"#).unwrap();
        assert_eq!(bare.metadata, ObjectMeta::default());
    }

    #[test]
    fn list_items_get_their_type_without_overwriting_one() {
        let mut item: Object = serde_json::from_str(r#"{"metadata":{"name":"web"}}"#).unwrap();
        item.set_type("apps/v1", "Deployment");
        assert_eq!(item.kind(), "Deployment");
        assert_eq!(item.value["apiVersion"], "apps/v1");
        let mut typed: Object =
            serde_json::from_str(r#"{"apiVersion":"v1","kind":"Pod","metadata":{}}"#).unwrap();
        typed.set_type("apps/v1", "Deployment");
        assert_eq!(typed.kind(), "Pod");
    }

    #[test]
    fn secret_values_are_never_kept() {
        let json = r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},"type":"Opaque",
          "data":{"password":"c2VjcmV0"},"stringData":{"token":"plain"}}"#;
        let obj: Object = serde_json::from_str(json).unwrap();
        let text = obj.value.to_string();
        assert!(
            !text.contains("c2VjcmV0") && !text.contains("plain"),
            "{text}"
        );
        assert_eq!(obj.value["type"], "Opaque");
    }

    #[test]
    fn null_status_and_malformed_metadata() {
        let obj: Object =
            serde_json::from_str(r#"{"kind":"X","metadata":{"name":"a"},"status":null}"#).unwrap();
        assert!(obj.value["status"].is_null());
        let err =
            serde_json::from_str::<Object>(r#"{"kind":"X","metadata":{"name":7}}"#).unwrap_err();
        assert!(
            err.to_string().contains("invalid type: metadata.name"),
            "{err}"
        );
        let err =
            serde_json::from_str::<Object>(r#"{"metadata":{"labels":{"app":1}}}"#).unwrap_err();
        assert!(err.to_string().contains("metadata.labels.app"), "{err}");
        let err = serde_json::from_str::<Object>(r#"{"metadata":[]}"#).unwrap_err();
        assert!(err.to_string().contains("expected a JSON object"), "{err}");
    }
}
