//! The simulated cluster: an in-memory Kubernetes API state with real list/watch semantics.
//!
//! One global, monotonic resourceVersion counts every change. Each change is kept in a bounded
//! history (with the object's previous state), which serves three things: watches resuming from a
//! resourceVersion, consistent snapshots for paginated lists (`continue`), and `410 Expired` once a
//! version has fallen out of the window. Live changes fan out to watches through a broadcast channel.

pub mod event_view;
pub mod stored;
pub mod strategic_merge;
pub mod validation;
pub mod watch;

use crate::http::status::ApiError;
use crate::resources::{self, field_labels, ResourceDef};
use lookout_client::model::time::format_rfc3339;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, VecDeque};
use std::ops::Bound;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use stored::Stored;
use tokio::sync::broadcast;

/// The patch format (`Content-Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchKind {
    /// `application/merge-patch+json`.
    Merge,
    /// `application/strategic-merge-patch+json` (built-in kinds only).
    Strategic,
    /// `application/json-patch+json`.
    Json,
    /// A whole new object (`PUT`); a `metadata.resourceVersion` must be the current one.
    Replace,
}

/// What a delete did.
#[derive(Debug)]
pub struct Deleted {
    /// The object's last state (marked with `deletionTimestamp`, or as removed).
    pub object: Value,
    /// Whether it is gone now (not only marked for deletion).
    pub gone: bool,
}

/// Which part of an object a patch may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchScope {
    /// Everything (server-side controllers, `/_dev`).
    Whole,
    /// The main resource: status changes are ignored for kinds with a status subresource.
    Main,
    /// The `/status` subresource: only status changes.
    Status,
}

/// What happened to an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Created.
    Added,
    /// Updated.
    Modified,
    /// Removed.
    Deleted,
}

impl ChangeKind {
    /// The watch event type.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "ADDED",
            ChangeKind::Modified => "MODIFIED",
            ChangeKind::Deleted => "DELETED",
        }
    }
}

/// One recorded change.
#[derive(Debug)]
pub struct Change {
    /// The resourceVersion this change produced.
    pub rv: u64,
    /// The object's kind.
    pub def: &'static ResourceDef,
    /// What happened.
    pub kind: ChangeKind,
    /// The object after the change (for deletes: its last state).
    pub object: Arc<Stored>,
    /// The object before the change (`None` for creates).
    pub prev: Option<Arc<Stored>>,
}

/// (group, plural, namespace, name).
type Key = (&'static str, &'static str, String, String);

/// Sets `fields` of `obj`'s metadata to `prev`'s: the same value, or absent if `prev` has none.
fn keep_metadata(obj: &mut Value, prev: &Value, fields: &[&str]) {
    let Some(meta) = obj["metadata"].as_object_mut() else {
        return;
    };
    for field in fields {
        match prev["metadata"].get(*field) {
            Some(v) => drop(meta.insert((*field).to_owned(), v.clone())),
            None => drop(meta.remove(*field)),
        }
    }
}

/// What a delete does to the deleted object's dependents (`propagationPolicy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Propagation {
    /// Deleted after the owner (the default). `Foreground` is served as this too: the owner goes
    /// at once rather than waiting, marked, for its dependents.
    #[default]
    Background,
    /// Left in place, without their `ownerReferences` to the owner.
    Orphan,
}

/// Metadata only the server sets: an update or patch cannot change them.
const SERVER_SET: &[&str] = &[
    "name",
    "namespace",
    "uid",
    "creationTimestamp",
    "generation",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
];

/// The last second RFC 3339 can write (9999-12-31T23:59:59Z).
const LAST_TIMESTAMP: i64 = 253_402_300_799;

/// The defaults the API server (and the ServiceAccount admission) fills in whenever it decodes
/// an object, created or updated: field selectors (`spec.restartPolicy=Always`, `type=Opaque`,
/// …) see them on every real object. `obj`'s `spec` and `status` are objects or null
/// (`validation::check_shape`).
fn server_defaults(def: &ResourceDef, obj: &mut Value) {
    match (def.group, def.kind) {
        ("", "Pod") => default_fields(
            obj,
            &[
                ("spec", "restartPolicy", json!("Always")),
                ("spec", "schedulerName", json!("default-scheduler")),
                ("spec", "serviceAccountName", json!("default")),
                ("spec", "dnsPolicy", json!("ClusterFirst")),
                ("spec", "terminationGracePeriodSeconds", json!(30)),
            ],
        ),
        ("", "Secret") => default_fields(obj, &[("", "type", json!("Opaque"))]),
        ("", "Service") => default_fields(
            obj,
            &[
                ("spec", "type", json!("ClusterIP")),
                ("spec", "sessionAffinity", json!("None")),
            ],
        ),
        _ => {}
    }
}

/// Sets each `(section, field)` of `obj` (`""`: a top-level field) that is absent or null to its
/// default.
fn default_fields(obj: &mut Value, defaults: &[(&str, &str, Value)]) {
    for (section, field, value) in defaults {
        let holder = if section.is_empty() {
            &mut *obj
        } else {
            &mut obj[*section]
        };
        if holder[*field].is_null() {
            holder[*field] = value.clone();
        }
    }
}

/// Spreads a counter over 64 bits (splitmix64's finalizer), for generated names.
fn mix_uid(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The store key of a namespace.
fn namespace_key(name: &str) -> Key {
    ("", "namespaces", String::new(), name.to_owned())
}

/// The store key of an object; cluster-scoped kinds ignore the namespace.
fn key(def: &'static ResourceDef, ns: &str, name: &str) -> Key {
    let ns = if def.namespaced { ns } else { "" };
    let (group, plural) = def.storage();
    (group, plural, ns.to_owned(), name.to_owned())
}

struct State {
    rv: u64,
    uids: u64,
    objects: BTreeMap<Key, Arc<Stored>>,
    history: VecDeque<Arc<Change>>,
    history_limit: usize,
    /// Every change after this resourceVersion is still in `history`.
    floor: u64,
}

/// A page of a list.
#[derive(Debug)]
pub struct ListPage {
    /// Objects on this page, as stored (see [`ListPage::values`]).
    pub items: Vec<Arc<Stored>>,
    /// The snapshot's resourceVersion.
    pub rv: u64,
    /// Token for the next page.
    pub continue_token: Option<String>,
    /// Objects after this page (when counted; else 1 if any are left).
    pub remaining: usize,
}

impl ListPage {
    /// The page's objects decoded, as `def`'s version serves them.
    pub fn values(&self, def: &ResourceDef) -> Vec<Value> {
        self.items
            .iter()
            .map(|o| in_version(def, &o.value()).into_owned())
            .collect()
    }
}

/// The shared cluster state.
pub struct Cluster {
    state: Mutex<State>,
    changes: broadcast::Sender<Arc<Change>>,
    drops: broadcast::Sender<()>,
    clock: fn() -> i64,
    open_watches: Arc<std::sync::atomic::AtomicUsize>,
    http_watches: Arc<std::sync::atomic::AtomicUsize>,
    sockets: Arc<std::sync::atomic::AtomicUsize>,
    sockets_opened: std::sync::atomic::AtomicUsize,
}

fn system_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// An object as `def`'s version serves it (a kind served in several versions is stored once).
pub fn in_version<'a>(def: &ResourceDef, obj: &'a Value) -> Cow<'a, Value> {
    let want = def.api_version();
    if obj["apiVersion"].as_str().is_none_or(|v| v == want) {
        Cow::Borrowed(obj)
    } else if def.is_view() {
        Cow::Owned(event_view::to_events_v1(obj))
    } else {
        let mut converted = obj.clone();
        converted["apiVersion"] = json!(want);
        Cow::Owned(converted)
    }
}

/// An object of `def` in its stored form (a view's objects are stored as the kind they view).
fn stored_form(def: &ResourceDef, obj: Value) -> Value {
    if def.is_view() && obj["apiVersion"] == def.api_version().as_str() {
        event_view::to_core(&obj)
    } else {
        obj
    }
}

fn meta_str<'a>(obj: &'a Value, field: &str) -> &'a str {
    obj["metadata"][field].as_str().unwrap_or("")
}

impl Cluster {
    /// An empty cluster keeping the last `history_limit` changes.
    pub fn new(history_limit: usize) -> Arc<Self> {
        Arc::new(Cluster {
            state: Mutex::new(State {
                rv: 1,
                uids: 0,
                objects: BTreeMap::new(),
                history: VecDeque::new(),
                history_limit: history_limit.max(1),
                floor: 1,
            }),
            changes: broadcast::channel(16_384).0,
            drops: broadcast::channel(4).0,
            clock: system_clock,
            open_watches: Arc::default(),
            http_watches: Arc::default(),
            sockets: Arc::default(),
            sockets_opened: Default::default(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the maps half-updated in a way that matters
        // to a dev server; keep serving.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Current resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.lock().rv
    }

    /// Records a change to `object` (serialized here, once) and sends it to the watches.
    fn record(
        &self,
        st: &mut State,
        def: &'static ResourceDef,
        kind: ChangeKind,
        object: &Value,
        prev: Option<Arc<Stored>>,
    ) -> Arc<Stored> {
        let object = Arc::new(Stored::new(object));
        let change = Arc::new(Change {
            rv: st.rv,
            def,
            kind,
            object: object.clone(),
            prev,
        });
        st.history.push_back(change.clone());
        while st.history.len() > st.history_limit {
            if let Some(old) = st.history.pop_front() {
                st.floor = old.rv;
            }
        }
        let _ = self.changes.send(change);
        object
    }

    /// Creates an object as the API server does: validated (422 `Invalid`), in a namespace that
    /// exists (404), with uid, resourceVersion, creationTimestamp, generation and the defaults a
    /// client sees (a new pod is `Pending`, a namespace `Active`).
    pub fn create(
        &self,
        def: &'static ResourceDef,
        namespace: &str,
        mut obj: Value,
    ) -> Result<Value, ApiError> {
        if !obj.is_object() {
            return Err(ApiError::bad_request("the body is not a JSON object"));
        }
        validation::check_shape(def, &obj)?;
        let generate = meta_str(&obj, "generateName");
        if meta_str(&obj, "name").is_empty() && !generate.is_empty() {
            // `generateName`: the prefix and five characters, as the API server generates them.
            const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
            let mut n = mix_uid(self.lock().uids + 1);
            let suffix: String = (0..5)
                .map(|_| {
                    let c = ALPHABET[(n % ALPHABET.len() as u64) as usize] as char;
                    n /= ALPHABET.len() as u64;
                    c
                })
                .collect();
            obj["metadata"]["name"] = json!(format!("{generate}{suffix}"));
        }
        let name = meta_str(&obj, "name").to_owned();
        let body_ns = meta_str(&obj, "namespace");
        if def.namespaced && !body_ns.is_empty() && body_ns != namespace {
            return Err(ApiError::bad_request(
                "the namespace of the provided object does not match the namespace sent on the request",
            ));
        }
        validation::validate_new(def, &name, &obj)?;
        let mut st = self.lock();
        if def.namespaced {
            let ns = st
                .objects
                .get(&namespace_key(namespace))
                .ok_or_else(|| ApiError::not_found("namespaces", namespace))?
                .value();
            if ns["metadata"]["deletionTimestamp"].is_string() {
                return Err(ApiError {
                    details: Some((def.plural.to_owned(), name.clone())),
                    ..ApiError::new(
                        403,
                        "Forbidden",
                        format!("{} \"{name}\" is forbidden: unable to create new content in namespace {namespace} because it is being terminated", def.plural),
                    )
                });
            }
        }
        let k = key(def, namespace, &name);
        if st.objects.contains_key(&k) {
            return Err(ApiError::already_exists(def.plural, &name));
        }
        st.rv += 1;
        st.uids += 1;
        obj["kind"] = json!(def.kind);
        obj["apiVersion"] = json!(def.api_version());
        let meta = &mut obj["metadata"];
        if def.namespaced {
            meta["namespace"] = json!(namespace);
        }
        meta["uid"] = json!(format!("00000000-0000-4000-8000-{:012x}", st.uids));
        meta["resourceVersion"] = json!(st.rv.to_string());
        meta["generation"] = json!(1);
        if meta["creationTimestamp"].as_str().is_none() {
            meta["creationTimestamp"] = json!(format_rfc3339((self.clock)()));
        }
        server_defaults(def, &mut obj);
        match (def.group, def.kind) {
            ("", "Pod") => default_fields(&mut obj, &[("status", "phase", json!("Pending"))]),
            ("", "Namespace") => {
                obj["spec"]["finalizers"] = json!(["kubernetes"]);
                obj["status"]["phase"] = json!("Active");
            }
            _ => {}
        }
        let obj = stored_form(def, obj);
        let stored = self.record(&mut st, def, ChangeKind::Added, &obj, None);
        st.objects.insert(k, stored);
        Ok(obj)
    }

    /// Applies a JSON merge patch to a whole object, status included (controllers, `/_dev`).
    pub fn patch(
        &self,
        def: &'static ResourceDef,
        namespace: &str,
        name: &str,
        patch: &Value,
    ) -> Result<Value, ApiError> {
        self.patch_with(
            def,
            namespace,
            name,
            PatchKind::Merge,
            patch,
            PatchScope::Whole,
        )
    }

    /// Applies a patch as the API does: to the main resource (status changes ignored when the kind
    /// has a status subresource) or to `/status` only. Identity fields never change; a spec change
    /// bumps `generation`; removing the last finalizer of an object being deleted removes it.
    pub fn patch_with(
        &self,
        def: &'static ResourceDef,
        namespace: &str,
        name: &str,
        kind: PatchKind,
        patch: &Value,
        scope: PatchScope,
    ) -> Result<Value, ApiError> {
        let mut st = self.lock();
        let (k, prev_stored) = st.existing(def, namespace, name)?;
        let stored = prev_stored.value();
        // Patched as the client sees it (a view's form), stored in the stored form.
        let prev = in_version(def, &stored).into_owned();
        let mut obj = prev.clone();
        match (kind, patch) {
            // `null` is an empty patch (it must not replace the object).
            (PatchKind::Merge | PatchKind::Strategic, Value::Null) => {}
            (PatchKind::Merge, Value::Object(_)) => json_patch::merge(&mut obj, patch),
            (PatchKind::Strategic, Value::Object(fields)) => {
                strategic_merge::apply(&mut obj, fields, "")
            }
            (PatchKind::Merge | PatchKind::Strategic, other) => {
                let what = match other {
                    Value::Array(_) => "array",
                    Value::String(_) => "string",
                    Value::Bool(_) => "bool",
                    _ => "number",
                };
                return Err(ApiError::bad_request(format!(
                    "error decoding patch: json: cannot unmarshal {what} into Go value of type map[string]interface {{}}"
                )));
            }
            (PatchKind::Replace, Value::Object(_)) => obj = patch.clone(),
            (PatchKind::Replace, _) => {
                return Err(ApiError::bad_request("the body is not a JSON object"))
            }
            (PatchKind::Json, _) => {
                // As the API server: a body that is not a list of objects is a bad request; an
                // operation that cannot apply (an unknown op included) makes the patch invalid.
                let is_list_of_objects = patch
                    .as_array()
                    .is_some_and(|ops| ops.iter().all(Value::is_object));
                if !is_list_of_objects {
                    return Err(ApiError::bad_request(
                        "error decoding patch: json: cannot unmarshal the body into a list of operations",
                    ));
                }
                let ops: json_patch::Patch = serde_json::from_value(patch.clone())
                    .map_err(|e| ApiError::invalid(format!("the patch cannot apply: {e}")))?;
                // `obj` is a scratch copy, dropped on failure: no undo needed.
                json_patch::patch_unsafe(&mut obj, &ops)
                    .map_err(|e| ApiError::invalid(e.to_string()))?;
                if !obj.is_object() {
                    return Err(ApiError::invalid(
                        "the patch replaced the object with something that is not an object",
                    ));
                }
            }
        }
        // A patched object that no longer decodes is refused as invalid.
        validation::check_shape(def, &obj).map_err(|e| ApiError::invalid(e.message))?;
        server_defaults(def, &mut obj);
        if !obj["metadata"].is_object() {
            return Err(ApiError::invalid_object(
                def.kind,
                name,
                vec![validation::Cause::required("metadata")],
            ));
        }
        // A resourceVersion sent (in a PUT body or a patch) is a precondition.
        let sent = meta_str(&obj, "resourceVersion");
        if !sent.is_empty() && sent != meta_str(&prev, "resourceVersion") {
            let resource = match def.group {
                "" => def.plural.to_owned(),
                group => format!("{}.{group}", def.plural),
            };
            return Err(ApiError {
                details: Some((def.plural.to_owned(), name.to_owned())),
                ..ApiError::new(
                    409,
                    "Conflict",
                    format!("Operation cannot be fulfilled on {resource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again"),
                )
            });
        }
        // Fields the server owns keep their values, whatever the update or patch says (a
        // deletionTimestamp is set by a DELETE, the generation by spec changes).
        keep_metadata(&mut obj, &prev, SERVER_SET);
        if scope == PatchScope::Main {
            validation::validate_update(def, name, &obj)?;
        }
        match scope {
            PatchScope::Whole => {}
            PatchScope::Main if def.has_status_subresource() => {
                obj["status"] = prev["status"].clone()
            }
            PatchScope::Main => {}
            PatchScope::Status => {
                let status = obj["status"].take();
                obj = prev.clone();
                obj["status"] = status;
            }
        }
        obj["kind"] = prev["kind"].clone();
        obj["apiVersion"] = prev["apiVersion"].clone();
        let mut obj = stored_form(def, obj);
        let prev = stored;
        if obj == prev {
            return Ok(prev);
        }
        if obj.get("spec") != prev.get("spec") {
            let generation = prev["metadata"]["generation"]
                .as_i64()
                .unwrap_or(1)
                .saturating_add(1);
            obj["metadata"]["generation"] = json!(generation);
        }
        st.rv += 1;
        obj["metadata"]["resourceVersion"] = json!(st.rv.to_string());
        let finalized = obj["metadata"]["deletionTimestamp"].is_string()
            && obj["metadata"]["finalizers"]
                .as_array()
                .is_none_or(Vec::is_empty)
            && def.kind != "Pod";
        if finalized {
            st.objects.remove(&k);
            self.record(&mut st, def, ChangeKind::Deleted, &obj, Some(prev_stored));
            return Ok(obj);
        }
        let stored = self.record(&mut st, def, ChangeKind::Modified, &obj, Some(prev_stored));
        st.objects.insert(k, stored);
        Ok(obj)
    }

    /// Deletes an object as the API server does. A pod is first marked (`deletionTimestamp`, a
    /// MODIFIED event): with a grace period and a node it is removed when the simulated kubelet
    /// confirms (after at most 2 s); with grace 0, or never scheduled, it is removed at once (a
    /// DELETED event right after). Any object with finalizers is only marked, and removed when
    /// they are gone. Anything else is removed at once (DELETED only).
    ///
    /// A removed workload's dependents (objects whose `ownerReferences` name its uid: the
    /// ReplicaSets of a Deployment, the pods of a ReplicaSet, …) are deleted too, as the garbage
    /// collector does with the default (background) propagation.
    pub fn delete(
        self: &Arc<Self>,
        def: &'static ResourceDef,
        namespace: &str,
        name: &str,
        grace_seconds: Option<u64>,
    ) -> Result<Deleted, ApiError> {
        self.delete_with(def, namespace, name, grace_seconds, Propagation::Background)
    }

    /// [`Cluster::delete`] with a `propagationPolicy`: `Orphan` leaves the dependents, without
    /// their `ownerReferences` to the deleted owner, as the garbage collector leaves them.
    pub fn delete_with(
        self: &Arc<Self>,
        def: &'static ResourceDef,
        namespace: &str,
        name: &str,
        grace_seconds: Option<u64>,
        propagation: Propagation,
    ) -> Result<Deleted, ApiError> {
        if def.kind == "Namespace" && def.group.is_empty() {
            return self.delete_namespace(def, name);
        }
        let deleted = self.delete_one(def, namespace, name, grace_seconds)?;
        let uid = &deleted.object["metadata"]["uid"];
        match propagation {
            _ if !deleted.gone => {}
            Propagation::Background if matches!(def.group, "apps" | "batch") => {
                for (kind, item) in self.dependents(namespace, uid) {
                    let _ = self.delete(kind, namespace, meta_str(&item, "name"), None);
                }
            }
            Propagation::Background => {}
            Propagation::Orphan => {
                for (kind, item) in self.dependents(namespace, uid) {
                    let refs: Vec<&Value> = item["metadata"]["ownerReferences"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|r| &r["uid"] != uid)
                        .collect();
                    let refs = if refs.is_empty() {
                        Value::Null
                    } else {
                        json!(refs)
                    };
                    let patch = json!({ "metadata": { "ownerReferences": refs } });
                    let _ = self.patch(kind, namespace, meta_str(&item, "name"), &patch);
                }
            }
        }
        Ok(deleted)
    }

    /// The pods, ReplicaSets and Jobs in `namespace` owned by `uid`.
    fn dependents(&self, namespace: &str, uid: &Value) -> Vec<(&'static ResourceDef, Value)> {
        let owned = |o: &Value| {
            o["metadata"]["ownerReferences"]
                .as_array()
                .is_some_and(|refs| refs.iter().any(|r| &r["uid"] == uid))
        };
        let dependent_kinds = resources::RESOURCES.iter().filter(|r| {
            matches!(
                (r.group, r.kind),
                ("", "Pod") | ("apps", "ReplicaSet") | ("batch", "Job")
            )
        });
        dependent_kinds
            .flat_map(|kind| {
                let items = self.list_values(kind, Some(namespace), owned);
                items.into_iter().map(move |item| (kind, item))
            })
            .collect()
    }

    fn delete_one(
        self: &Arc<Self>,
        def: &'static ResourceDef,
        namespace: &str,
        name: &str,
        grace_seconds: Option<u64>,
    ) -> Result<Deleted, ApiError> {
        let mut st = self.lock();
        let (k, prev_stored) = st.existing(def, namespace, name)?;
        let prev = prev_stored.value();
        let has_finalizers = prev["metadata"]["finalizers"]
            .as_array()
            .is_some_and(|f| !f.is_empty());
        let is_pod = def.kind == "Pod" && def.group.is_empty();
        if !has_finalizers && !is_pod {
            st.objects.remove(&k);
            let mut object = prev;
            st.rv += 1;
            object["metadata"]["resourceVersion"] = json!(st.rv.to_string());
            self.record(
                &mut st,
                def,
                ChangeKind::Deleted,
                &object,
                Some(prev_stored),
            );
            return Ok(Deleted { object, gone: true });
        }
        let scheduled = prev["spec"]["nodeName"]
            .as_str()
            .is_some_and(|n| !n.is_empty());
        let default_grace = prev["spec"]["terminationGracePeriodSeconds"]
            .as_u64()
            .unwrap_or(30);
        let grace = if is_pod && !scheduled {
            0
        } else {
            grace_seconds.unwrap_or(default_grace)
        };
        let marked_grace = prev["metadata"]["deletionGracePeriodSeconds"].as_u64();
        if marked_grace.is_some_and(|g| g <= grace) || (!is_pod && marked_grace.is_some()) {
            return Ok(Deleted {
                object: prev,
                gone: false,
            });
        }
        let mut obj = prev.clone();
        st.rv += 1;
        // Any grace period is accepted; the deletion time saturates (no overflow).
        let grace_for_mark = if is_pod {
            grace.min(i64::MAX as u64)
        } else {
            0
        };
        let deletion_time = (self.clock)()
            .saturating_add(grace_for_mark as i64)
            .min(LAST_TIMESTAMP);
        obj["metadata"]["deletionTimestamp"] = json!(format_rfc3339(deletion_time));
        obj["metadata"]["deletionGracePeriodSeconds"] = json!(grace_for_mark);
        obj["metadata"]["resourceVersion"] = json!(st.rv.to_string());
        if is_pod && grace == 0 && !has_finalizers {
            // Marked and removed in one go: MODIFIED then DELETED, as the real server sends them.
            let marked = self.record(&mut st, def, ChangeKind::Modified, &obj, Some(prev_stored));
            st.rv += 1;
            obj["metadata"]["resourceVersion"] = json!(st.rv.to_string());
            st.objects.remove(&k);
            self.record(&mut st, def, ChangeKind::Deleted, &obj, Some(marked));
            return Ok(Deleted {
                object: obj,
                gone: true,
            });
        }
        let stored = self.record(&mut st, def, ChangeKind::Modified, &obj, Some(prev_stored));
        st.objects.insert(k, stored);
        drop(st);
        if is_pod && !has_finalizers {
            let (cluster, ns, name) = (self.clone(), namespace.to_owned(), name.to_owned());
            let wait = Duration::from_secs(grace.min(2));
            tokio::spawn(async move {
                tokio::time::sleep(wait).await;
                let _ = cluster.delete(def, &ns, &name, Some(0));
            });
        }
        Ok(Deleted {
            object: obj,
            gone: false,
        })
    }

    /// Deletes a namespace as the namespace controller does, without its delay: marked
    /// `Terminating` (MODIFIED, the namespace is the answer), its objects deleted, and removed
    /// once none is left. Objects kept by finalizers keep it `Terminating` (it is not checked
    /// again when they go).
    fn delete_namespace(
        self: &Arc<Self>,
        def: &'static ResourceDef,
        name: &str,
    ) -> Result<Deleted, ApiError> {
        let marked = {
            let mut st = self.lock();
            let (k, prev_stored) = st.existing(def, "", name)?;
            let prev = prev_stored.value();
            if prev["metadata"]["deletionTimestamp"].is_string() {
                return Ok(Deleted {
                    object: prev,
                    gone: false,
                });
            }
            let mut obj = prev.clone();
            st.rv += 1;
            obj["metadata"]["deletionTimestamp"] = json!(format_rfc3339((self.clock)()));
            obj["metadata"]["deletionGracePeriodSeconds"] = json!(0);
            obj["metadata"]["resourceVersion"] = json!(st.rv.to_string());
            obj["status"]["phase"] = json!("Terminating");
            let stored = self.record(&mut st, def, ChangeKind::Modified, &obj, Some(prev_stored));
            st.objects.insert(k, stored);
            obj
        };
        let mut left = 0;
        for kind in resources::RESOURCES.iter().filter(|r| r.namespaced) {
            let names: Vec<String> = self
                .list(kind, Some(name), |_| true, 0, None)
                .map(|p| p.items)
                .unwrap_or_default()
                .iter()
                .map(|o| o.name().to_owned())
                .collect();
            for object in names {
                if let Ok(Deleted { gone: false, .. }) = self.delete(kind, name, &object, Some(0)) {
                    left += 1;
                }
            }
        }
        if left == 0 {
            let mut st = self.lock();
            let k = namespace_key(name);
            if let Some(prev) = st.objects.remove(&k) {
                let mut obj = prev.value();
                st.rv += 1;
                obj["metadata"]["resourceVersion"] = json!(st.rv.to_string());
                self.record(&mut st, def, ChangeKind::Deleted, &obj, Some(prev));
            }
        }
        Ok(Deleted {
            object: marked,
            gone: false,
        })
    }

    /// The field labels the CustomResourceDefinition of `def` declares selectable for its version
    /// (`selectableFields`); none for a built-in kind.
    pub fn declared_fields(&self, def: &ResourceDef) -> Vec<String> {
        let crds = resources::by_kind("apiextensions.k8s.io/v1", "CustomResourceDefinition");
        let (true, Some(crds)) = (def.is_custom(), crds) else {
            return Vec::new();
        };
        let name = format!("{}.{}", def.plural, def.group);
        self.get(crds, "", &name)
            .map(|crd| field_labels::declared_fields(&crd, def.version))
            .unwrap_or_default()
    }

    /// One object.
    pub fn get(
        &self,
        def: &'static ResourceDef,
        namespace: &str,
        name: &str,
    ) -> Result<Value, ApiError> {
        let stored = self
            .lock()
            .objects
            .get(&key(def, namespace, name))
            .cloned()
            .ok_or_else(|| ApiError::not_found(def.plural, name))?;
        Ok(in_version(def, &stored.value()).into_owned())
    }

    /// Lists objects of `def` (in `namespace`, or all when `None`) that `matches` accepts, one page
    /// of at most `limit` (0 = all). A continue token pins the snapshot of the first page.
    pub fn list(
        &self,
        def: &'static ResourceDef,
        namespace: Option<&str>,
        matches: impl Fn(&Stored) -> bool,
        limit: usize,
        continue_token: Option<&str>,
    ) -> Result<ListPage, ApiError> {
        self.list_at(def, namespace, matches, limit, continue_token, None, true)
    }

    /// [`Cluster::list`] at exactly resourceVersion `exact` (`resourceVersionMatch=Exact`): 410
    /// once it has fallen out of the history window, 504 if it is in the future. `count_rest`:
    /// the first page counts what follows it (`remainingItemCount`); without it (selectors, whose
    /// count a real server leaves unknown) one look ahead only tells whether anything is left.
    #[allow(clippy::too_many_arguments)]
    pub fn list_at(
        &self,
        def: &'static ResourceDef,
        namespace: Option<&str>,
        matches: impl Fn(&Stored) -> bool,
        limit: usize,
        continue_token: Option<&str>,
        exact: Option<u64>,
        count_rest: bool,
    ) -> Result<ListPage, ApiError> {
        let st = self.lock();
        if let (Some(rv), None) = (exact, continue_token) {
            if rv < st.floor {
                return Err(ApiError::expired(
                    "The resourceVersion for the provided list is too old.",
                ));
            }
            if rv > st.rv {
                return Err(ApiError::new(
                    504,
                    "Timeout",
                    format!("Too large resource version: {rv}, current: {}", st.rv),
                ));
            }
        }
        let (snapshot_rv, after) = match continue_token {
            Some(token) => {
                let token = Continue::decode(token)
                    .ok_or_else(|| ApiError::bad_request("invalid continue token"))?;
                if token.rv < st.floor {
                    return Err(ApiError::expired(
                        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
                    ));
                }
                (token.rv, Some(token))
            }
            None => (exact.unwrap_or(st.rv), None),
        };
        let counted = after.as_ref().map(|a| a.remaining);
        // Only what follows the continue key is read: a page costs the rest of the kind, not all
        // of it (and nothing is cloned but the page).
        let namespace = namespace.filter(|_| def.namespaced);
        let (group, plural) = def.storage();
        let from = match after {
            Some(Continue {
                namespace, name, ..
            }) => Bound::Excluded((group, plural, namespace, name)),
            None => Bound::Included((
                group,
                plural,
                namespace.unwrap_or("").to_owned(),
                String::new(),
            )),
        };
        // Keys are in namespace order: a namespace's objects are one run.
        let mut selected = st
            .objects_at(def, snapshot_rv, from)
            .take_while(|(k, _)| namespace.is_none_or(|ns| k.2 == ns))
            .filter(|(_, v)| matches(v));
        let take = if limit == 0 { usize::MAX } else { limit };
        let items: Vec<(Cow<'_, Key>, &Arc<Stored>)> = selected.by_ref().take(take).collect();
        // The snapshot is fixed: the first page counts what follows it, later pages subtract
        // (one look ahead tells whether anything is left).
        let remaining = match counted {
            None if count_rest => selected.count(),
            None => usize::from(selected.next().is_some()),
            Some(_) if selected.next().is_none() => 0,
            Some(before) => before.saturating_sub(items.len()).max(1),
        };
        let continue_token = match items.last() {
            Some((k, _)) if remaining > 0 => Some(
                Continue {
                    rv: snapshot_rv,
                    remaining,
                    namespace: k.2.clone(),
                    name: k.3.clone(),
                }
                .encode(),
            ),
            _ => None,
        };
        Ok(ListPage {
            items: items.into_iter().map(|(_, v)| Arc::clone(v)).collect(),
            rv: snapshot_rv,
            continue_token,
            remaining,
        })
    }

    /// Every object of `def` (in `namespace`, or all) that `matches` accepts, as `def`'s version
    /// serves it. Each one is decoded: for the small scans of controllers, not for API lists.
    pub fn list_values(
        &self,
        def: &'static ResourceDef,
        namespace: Option<&str>,
        matches: impl Fn(&Value) -> bool,
    ) -> Vec<Value> {
        self.list(def, namespace, |_| true, 0, None)
            .map(|page| page.values(def))
            .unwrap_or_default()
            .into_iter()
            .filter(matches)
            .collect()
    }

    /// Watch streams open right now (over HTTP or a WebSocket).
    pub fn open_watches(&self) -> usize {
        self.open_watches.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Watches served as their own HTTP response right now (each holds a browser connection).
    pub fn http_watches(&self) -> usize {
        self.http_watches.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// WebSocket watch aggregator connections open right now.
    pub fn sockets(&self) -> usize {
        self.sockets.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Counts an HTTP watch response for as long as the guard lives.
    pub fn count_http_watch(&self) -> watch::Gauge {
        watch::Gauge::new(self.http_watches.clone())
    }

    /// WebSocket watch aggregator connections opened since the start.
    pub fn sockets_opened(&self) -> usize {
        self.sockets_opened
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Counts a watch socket for as long as the guard lives (and once in `sockets_opened`).
    pub fn count_socket(&self) -> watch::Gauge {
        self.sockets_opened
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        watch::Gauge::new(self.sockets.clone())
    }

    /// Ends every open watch abruptly, as a dropped connection would.
    pub fn drop_watches(&self) -> usize {
        self.drops.send(()).unwrap_or(0)
    }

    /// Forgets all history, so every older resourceVersion is answered with `410 Expired`.
    pub fn compact(&self) {
        let mut st = self.lock();
        st.history.clear();
        st.floor = st.rv;
    }
}

impl State {
    /// The key and current state of an object, or 404.
    fn existing(
        &self,
        def: &'static ResourceDef,
        namespace: &str,
        name: &str,
    ) -> Result<(Key, Arc<Stored>), ApiError> {
        let k = key(def, namespace, name);
        let obj = self
            .objects
            .get(&k)
            .cloned()
            .ok_or_else(|| ApiError::not_found(def.plural, name))?;
        Ok((k, obj))
    }

    /// The objects of `def` as they were at `rv`, in key order from `from` on: today's objects,
    /// with those changed since `rv` replaced by their state then (both sides are in key order,
    /// so they are merged lazily, without sorting or collecting the kind; one key comparison an
    /// object).
    fn objects_at(
        &self,
        def: &'static ResourceDef,
        rv: u64,
        from: Bound<Key>,
    ) -> impl Iterator<Item = (Cow<'_, Key>, &Arc<Stored>)> {
        let mut changed: BTreeMap<Key, Option<&Arc<Stored>>> = BTreeMap::new();
        for change in self.history.iter().rev().take_while(|c| c.rv > rv) {
            if change.def.same_resource(def) {
                let k = key(def, change.object.namespace(), change.object.name());
                changed.insert(k, change.prev.as_ref());
            }
        }
        let storage = def.storage();
        let mut restored = changed
            .into_iter()
            .filter(|(k, _)| match &from {
                Bound::Included(f) => k >= f,
                Bound::Excluded(f) => k > f,
                Bound::Unbounded => true,
            })
            .filter(|(k, _)| (k.0, k.1) == storage)
            .collect::<Vec<_>>()
            .into_iter()
            .peekable();
        let mut current = self
            .objects
            .range((from, Bound::Unbounded))
            .take_while(move |(k, _)| (k.0, k.1) == storage)
            .peekable();
        std::iter::from_fn(move || loop {
            let order = match (current.peek(), restored.peek()) {
                (Some(now), Some(then)) => now.0.cmp(&then.0),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => return None,
            };
            if order == Ordering::Less {
                return current.next().map(|(k, v)| (Cow::Borrowed(k), v));
            }
            if order == Ordering::Equal {
                current.next();
            }
            // An object created since `rv` did not exist then: skipped.
            if let Some((k, Some(v))) = restored.next() {
                return Some((Cow::Owned(k), v));
            }
        })
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// A continue token: the snapshot's resourceVersion, how many objects followed the page it
/// continues, and the last key served.
struct Continue {
    rv: u64,
    remaining: usize,
    namespace: String,
    name: String,
}

impl Continue {
    /// The opaque token (hex of `rv/remaining/namespace/name`).
    fn encode(&self) -> String {
        let Continue {
            rv,
            remaining,
            namespace,
            name,
        } = self;
        format!("{rv}/{remaining}/{namespace}/{name}")
            .bytes()
            .flat_map(|b| {
                [
                    HEX[usize::from(b >> 4)] as char,
                    HEX[usize::from(b & 15)] as char,
                ]
            })
            .collect()
    }

    fn decode(token: &str) -> Option<Continue> {
        let digit = |c: u8| (c as char).to_digit(16);
        let bytes = token
            .as_bytes()
            .chunks(2)
            .map(|p| Some((digit(*p.first()?)? * 16 + digit(*p.get(1)?)?) as u8))
            .collect::<Option<Vec<u8>>>()?;
        let text = String::from_utf8(bytes).ok()?;
        let mut parts = text.splitn(4, '/');
        Some(Continue {
            rv: parts.next()?.parse().ok()?,
            remaining: parts.next()?.parse().ok()?,
            namespace: parts.next()?.to_owned(),
            name: parts.next()?.to_owned(),
        })
    }
}
