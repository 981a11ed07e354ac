//! An object as the simulated cluster keeps it: its JSON, written once when the object is
//! written, beside the few fields selectors read. Lists and watch events copy these bytes; no
//! read clones or re-serializes a `Value` (except for the rare forms that reshape the object:
//! the events.k8s.io view and Tables).

use crate::resources::{self, field_labels, ResourceDef};
use lookout_client::api::selector::{FieldSelector, LabelSelector};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// A stored object: its JSON and what selectors match on.
#[derive(Debug)]
pub struct Stored {
    /// The object's JSON without `kind` and `apiVersion` (`{"metadata":…,"spec":…}`): a list
    /// of a built-in kind serves exactly these bytes per item.
    body: Box<[u8]>,
    kind: Box<str>,
    api_version: Box<str>,
    namespace: Box<str>,
    name: Box<str>,
    labels: Box<[(Box<str>, Box<str>)]>,
    /// (label, value) of the other fields a field selector may test
    /// ([`field_labels::field_set`]).
    fields: Box<[(&'static str, Box<str>)]>,
    /// A custom resource: the fields its definition declares selectable are read from the JSON.
    custom: bool,
}

/// A map written without its `kind` and `apiVersion` entries.
struct WithoutType<'a>(&'a Map<String, Value>);

impl Serialize for WithoutType<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (k, v) in self.0 {
            if k != "kind" && k != "apiVersion" {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

/// Appends `s` as a JSON string.
fn write_str(out: &mut Vec<u8>, s: &str) {
    // Writing a string into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

fn text(v: &Value) -> Box<str> {
    v.as_str().unwrap_or("").into()
}

impl Stored {
    /// Keeps `obj` (a JSON object; anything else is kept as an empty one).
    pub fn new(obj: &Value) -> Stored {
        let empty = Map::new();
        let map = obj.as_object().unwrap_or(&empty);
        let mut body = Vec::with_capacity(512);
        // Writing a `Value` into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut body, &WithoutType(map));
        let (kind, api_version) = (text(&obj["kind"]), text(&obj["apiVersion"]));
        let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
        let custom = resources::is_custom_group(group);
        let fields = field_labels::field_set(&api_version, &kind, map)
            .into_iter()
            .map(|(label, value)| (label, value.into()))
            .collect();
        let meta = &obj["metadata"];
        let labels = meta["labels"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.as_str().into(), v.as_str()?.into())))
            .collect();
        Stored {
            body: body.into_boxed_slice(),
            kind,
            api_version,
            namespace: text(&meta["namespace"]),
            name: text(&meta["name"]),
            labels,
            fields,
            custom,
        }
    }

    /// The same object with `metadata.resourceVersion` set to `rv` (how a watch reports an object
    /// that left its selectors: the last content it matched, at the change's version).
    pub fn at_resource_version(&self, rv: u64) -> Stored {
        let mut obj = self.value();
        if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("resourceVersion".into(), Value::String(rv.to_string()));
        }
        Stored::new(&obj)
    }

    /// `metadata.namespace` (empty for cluster-scoped objects).
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// `metadata.name`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The object in its stored form.
    pub fn value(&self) -> Value {
        let mut obj: Value = serde_json::from_slice(&self.body).unwrap_or_default();
        if let Some(map) = obj.as_object_mut() {
            for (field, value) in [("kind", &self.kind), ("apiVersion", &self.api_version)] {
                if !value.is_empty() {
                    map.insert(field.to_owned(), Value::String(value.to_string()));
                }
            }
        }
        obj
    }

    /// Whether the object's labels and fields satisfy both selectors.
    pub fn selected_by(&self, labels: &LabelSelector, fields: &FieldSelector) -> bool {
        labels.matches_labels(|key| {
            self.labels
                .iter()
                .find(|(k, _)| &**k == key)
                .map(|(_, v)| &**v)
        }) && {
            // A custom resource's JSON, decoded once if a declared field is tested.
            let whole = std::cell::OnceCell::new();
            fields.matches_fields(|path| {
                let kept = match path {
                    "metadata.name" => Some(&*self.name),
                    "metadata.namespace" => Some(&*self.namespace),
                    _ => self
                        .fields
                        .iter()
                        .find(|(label, _)| *label == path)
                        .map(|(_, v)| &**v),
                };
                match kept {
                    Some(value) => Some(Cow::Borrowed(value)),
                    None if self.custom => Some(Cow::Owned(field_labels::declared_value(
                        whole.get_or_init(|| self.value()),
                        path,
                    ))),
                    None => None,
                }
            })
        }
    }

    /// Whether `def`'s version serves the object reshaped (the events.k8s.io view of a core
    /// Event), not as stored with another `apiVersion`.
    fn reshaped_for(&self, def: &ResourceDef) -> bool {
        def.is_view() && *self.api_version != def.api_version()
    }

    /// Appends the object as `def`'s version serves it (see [`super::in_version`]).
    pub fn write_as(&self, def: &ResourceDef, out: &mut Vec<u8>) {
        if self.reshaped_for(def) {
            let _ = serde_json::to_writer(&mut *out, &super::in_version(def, &self.value()));
            return;
        }
        out.extend_from_slice(b"{\"kind\":");
        write_str(out, &self.kind);
        out.extend_from_slice(b",\"apiVersion\":");
        write_str(out, &def.api_version());
        match &self.body[..] {
            [b'{', b'}'] => out.push(b'}'),
            [b'{', rest @ ..] => {
                out.push(b',');
                out.extend_from_slice(rest);
            }
            _ => out.push(b'}'),
        }
    }

    /// Appends the object as an item of `def`'s list: as [`Stored::write_as`], but a real
    /// server's lists of built-in kinds carry `kind` and `apiVersion` on the list only
    /// (a-list-pods-*.body); custom resources keep them on each item.
    pub fn write_list_item(&self, def: &ResourceDef, out: &mut Vec<u8>) {
        if def.is_custom() {
            self.write_as(def, out);
        } else if self.reshaped_for(def) {
            let value = self.value();
            let empty = Map::new();
            let map = super::in_version(def, &value);
            let _ =
                serde_json::to_writer(&mut *out, &WithoutType(map.as_object().unwrap_or(&empty)));
        } else {
            out.extend_from_slice(&self.body);
        }
    }

    /// Appends the object as `PartialObjectMetadata` (kind, apiVersion and metadata only).
    pub fn write_metadata_only(&self, out: &mut Vec<u8>) {
        #[derive(serde::Deserialize)]
        struct Metadata<'a> {
            #[serde(borrow)]
            metadata: Option<&'a RawValue>,
        }
        let metadata = serde_json::from_slice::<Metadata>(&self.body)
            .ok()
            .and_then(|m| m.metadata)
            .map_or("null", RawValue::get);
        out.extend_from_slice(
            b"{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":",
        );
        out.extend_from_slice(metadata.as_bytes());
        out.push(b'}');
    }

    /// The size of the object's JSON, roughly.
    pub fn json_len(&self) -> usize {
        self.body.len() + 64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources;
    use serde_json::json;

    fn pod() -> Value {
        json!({ "kind": "Pod", "apiVersion": "v1",
            "metadata": { "name": "p", "namespace": "demo", "labels": { "app": "web" } },
            "spec": { "nodeName": "node-1" }, "status": { "phase": "Running" } })
    }

    #[test]
    fn an_object_reads_back_equal_in_every_form() {
        let def = resources::by_kind("v1", "Pod").unwrap();
        let stored = Stored::new(&pod());
        assert_eq!(stored.value(), pod());
        let mut out = Vec::new();
        stored.write_as(def, &mut out);
        assert_eq!(serde_json::from_slice::<Value>(&out).unwrap(), pod());
        assert!(out.starts_with(br#"{"kind":"Pod","apiVersion":"v1","#));
        out.clear();
        stored.write_list_item(def, &mut out);
        let mut item = pod();
        item.as_object_mut()
            .unwrap()
            .retain(|k, _| k != "kind" && k != "apiVersion");
        assert_eq!(serde_json::from_slice::<Value>(&out).unwrap(), item);
        out.clear();
        stored.write_metadata_only(&mut out);
        assert_eq!(
            serde_json::from_slice::<Value>(&out).unwrap(),
            json!({ "kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": pod()["metadata"] })
        );
    }

    #[test]
    fn selectors_read_the_kept_labels_and_fields() {
        let stored = Stored::new(&pod());
        let select = |l: &str, f: &str| {
            stored.selected_by(
                &LabelSelector::parse(l).unwrap(),
                &FieldSelector::parse(f).unwrap(),
            )
        };
        assert!(select(
            "app=web",
            "spec.nodeName=node-1,status.phase=Running"
        ));
        assert!(select(
            "app in (api,web),!tier",
            "metadata.namespace=demo,metadata.name=p"
        ));
        assert!(!select("app=api", ""));
        assert!(!select("", "status.phase!=Running"));
        assert!(!select("", "reason=BackOff"));
        assert!(select("", "reason!=BackOff"));
    }

    #[test]
    fn the_fields_kept_are_those_of_the_kinds_field_set() {
        let event = Stored::new(&json!({ "kind": "Event", "apiVersion": "v1",
            "metadata": { "name": "e", "namespace": "demo" }, "reason": "BackOff", "message": "m",
            "involvedObject": { "kind": "Pod", "name": "p", "fieldPath": "spec" } }));
        let kept: Vec<&str> = event.fields.iter().map(|(label, _)| *label).collect();
        assert_eq!(
            kept,
            [
                "involvedObject.kind",
                "involvedObject.name",
                "involvedObject.fieldPath",
                "reason"
            ]
        );
        let pod = Stored::new(&pod());
        let kept: Vec<&str> = pod.fields.iter().map(|(label, _)| *label).collect();
        assert_eq!(kept, ["spec.nodeName", "status.phase", "spec.hostNetwork"]);
    }
}
