//! The simulated cluster: an in-memory Kubernetes API state with real list/watch semantics.
//!
//! One global, monotonic resourceVersion counts every change. Each change is kept in a bounded
//! history (with the object's previous state), which serves three things: watches resuming from a
//! resourceVersion, consistent snapshots for paginated lists (`continue`), and `410 Expired` once a
//! version has fallen out of the window. Live changes fan out to watches through a broadcast channel.

pub mod api_error;
pub mod json_patch;
pub mod merge_patch;
pub mod resources;
pub mod watch;

use api_error::ApiError;
use lookout_client::time::format_rfc3339;
use resources::ResourceDef;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::broadcast;

/// The patch format (`Content-Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchKind {
    /// `application/merge-patch+json` (also used for strategic merge patches).
    Merge,
    /// `application/json-patch+json`.
    Json,
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
    pub object: Value,
    /// The object before the change (`None` for creates).
    pub prev: Option<Value>,
}

/// (group, plural, namespace, name).
type Key = (&'static str, &'static str, String, String);

/// The store key of an object; cluster-scoped kinds ignore the namespace.
fn key(def: &'static ResourceDef, ns: &str, name: &str) -> Key {
    let ns = if def.namespaced { ns } else { "" };
    (def.group, def.plural, ns.to_owned(), name.to_owned())
}

struct State {
    rv: u64,
    uids: u64,
    objects: BTreeMap<Key, Value>,
    history: VecDeque<Arc<Change>>,
    history_limit: usize,
    /// Every change after this resourceVersion is still in `history`.
    floor: u64,
}

/// A page of a list.
#[derive(Debug)]
pub struct ListPage {
    /// Objects on this page.
    pub items: Vec<Value>,
    /// The snapshot's resourceVersion.
    pub rv: u64,
    /// Token for the next page.
    pub continue_token: Option<String>,
    /// Objects after this page.
    pub remaining: usize,
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
}

fn system_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
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

    fn record(
        &self,
        st: &mut State,
        def: &'static ResourceDef,
        kind: ChangeKind,
        object: Value,
        prev: Option<Value>,
    ) -> Value {
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

    /// Creates an object. Fills in uid, resourceVersion, creationTimestamp, generation.
    pub fn create(
        &self,
        def: &'static ResourceDef,
        namespace: &str,
        mut obj: Value,
    ) -> Result<Value, ApiError> {
        if !obj.is_object() {
            return Err(ApiError::bad_request("the body is not a JSON object"));
        }
        let name = meta_str(&obj, "name").to_owned();
        if name.is_empty() {
            return Err(ApiError::invalid(format!(
                "{} \"\" is invalid: metadata.name: Required value",
                def.kind
            )));
        }
        let mut st = self.lock();
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
        st.objects.insert(k, obj.clone());
        Ok(self.record(&mut st, def, ChangeKind::Added, obj, None))
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
        let (k, prev) = st.existing(def, namespace, name)?;
        let mut obj = prev.clone();
        match kind {
            PatchKind::Merge => merge_patch::apply(&mut obj, patch),
            PatchKind::Json => json_patch::apply(&mut obj, patch).map_err(ApiError::invalid)?,
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
        for field in ["name", "namespace", "uid", "creationTimestamp"] {
            obj["metadata"][field] = prev["metadata"][field].clone();
        }
        obj["kind"] = prev["kind"].clone();
        obj["apiVersion"] = prev["apiVersion"].clone();
        if obj == prev {
            return Ok(prev);
        }
        if obj.get("spec") != prev.get("spec") {
            let generation = prev["metadata"]["generation"].as_i64().unwrap_or(1) + 1;
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
            return Ok(self.record(&mut st, def, ChangeKind::Deleted, obj, Some(prev)));
        }
        st.objects.insert(k, obj.clone());
        Ok(self.record(&mut st, def, ChangeKind::Modified, obj, Some(prev)))
    }

    /// Deletes an object as the API server does: an object with finalizers, or a pod with a grace
    /// period, is first marked (`deletionTimestamp`, a MODIFIED event) and removed later (when the
    /// finalizers are gone; for pods when the simulated kubelet confirms, after at most 2 s);
    /// anything else is removed at once. Returns the object's state.
    pub fn delete(
        self: &Arc<Self>,
        def: &'static ResourceDef,
        namespace: &str,
        name: &str,
        grace_seconds: u64,
    ) -> Result<Value, ApiError> {
        let mut st = self.lock();
        let (k, prev) = st.existing(def, namespace, name)?;
        let has_finalizers = prev["metadata"]["finalizers"]
            .as_array()
            .is_some_and(|f| !f.is_empty());
        let graceful = def.kind == "Pod" && grace_seconds > 0;
        if !has_finalizers && !graceful {
            let mut obj = st.objects.remove(&k).unwrap_or_else(|| prev.clone());
            st.rv += 1;
            obj["metadata"]["resourceVersion"] = json!(st.rv.to_string());
            return Ok(self.record(&mut st, def, ChangeKind::Deleted, obj, Some(prev)));
        }
        if prev["metadata"]["deletionTimestamp"].is_string() {
            return Ok(prev);
        }
        let mut obj = prev.clone();
        st.rv += 1;
        obj["metadata"]["deletionTimestamp"] =
            json!(format_rfc3339((self.clock)() + grace_seconds as i64));
        obj["metadata"]["deletionGracePeriodSeconds"] = json!(grace_seconds);
        obj["metadata"]["resourceVersion"] = json!(st.rv.to_string());
        st.objects.insert(k, obj.clone());
        let marked = self.record(&mut st, def, ChangeKind::Modified, obj, Some(prev));
        drop(st);
        if graceful && !has_finalizers {
            let (cluster, ns, name) = (self.clone(), namespace.to_owned(), name.to_owned());
            let wait = Duration::from_secs(grace_seconds.min(2));
            tokio::spawn(async move {
                tokio::time::sleep(wait).await;
                let _ = cluster.delete(def, &ns, &name, 0);
            });
        }
        Ok(marked)
    }

    /// One object.
    pub fn get(
        &self,
        def: &'static ResourceDef,
        namespace: &str,
        name: &str,
    ) -> Result<Value, ApiError> {
        self.lock()
            .objects
            .get(&key(def, namespace, name))
            .cloned()
            .ok_or_else(|| ApiError::not_found(def.plural, name))
    }

    /// Lists objects of `def` (in `namespace`, or all when `None`) that `matches` accepts, one page
    /// of at most `limit` (0 = all). A continue token pins the snapshot of the first page.
    pub fn list(
        &self,
        def: &'static ResourceDef,
        namespace: Option<&str>,
        matches: impl Fn(&Value) -> bool,
        limit: usize,
        continue_token: Option<&str>,
    ) -> Result<ListPage, ApiError> {
        let st = self.lock();
        let (snapshot_rv, after) = match continue_token {
            Some(token) => {
                let (rv, after) = decode_continue(token)
                    .ok_or_else(|| ApiError::bad_request("invalid continue token"))?;
                if rv < st.floor {
                    return Err(ApiError::expired(
                        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
                    ));
                }
                (rv, Some(after))
            }
            None => (st.rv, None),
        };
        // Only what follows the continue key is read: a page costs the rest of the kind, not all
        // of it (and nothing is cloned but the page).
        let namespace = namespace.filter(|_| def.namespaced);
        let from = match &after {
            Some((ns, name)) => (def.group, def.plural, ns.clone(), name.clone()),
            None => (
                def.group,
                def.plural,
                namespace.unwrap_or("").to_owned(),
                String::new(),
            ),
        };
        // Keys are in namespace order: a namespace's objects are one run.
        let mut selected = st
            .objects_at(def, snapshot_rv, from)
            .take_while(|(k, _)| namespace.is_none_or(|ns| k.2 == ns))
            .filter(|(k, v)| {
                after.as_ref().is_none_or(|a| (&k.2, &k.3) > (&a.0, &a.1)) && matches(v)
            });
        let take = if limit == 0 { usize::MAX } else { limit };
        let items: Vec<(Cow<'_, Key>, &Value)> = selected.by_ref().take(take).collect();
        let remaining = selected.count();
        let continue_token = match items.last() {
            Some((k, _)) if remaining > 0 => Some(encode_continue(snapshot_rv, &k.2, &k.3)),
            _ => None,
        };
        Ok(ListPage {
            items: items.into_iter().map(|(_, v)| (*v).clone()).collect(),
            rv: snapshot_rv,
            continue_token,
            remaining,
        })
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

    /// Counts a watch socket for as long as the guard lives.
    pub fn count_socket(&self) -> watch::Gauge {
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
    ) -> Result<(Key, Value), ApiError> {
        let k = key(def, namespace, name);
        let obj = self
            .objects
            .get(&k)
            .cloned()
            .ok_or_else(|| ApiError::not_found(def.plural, name))?;
        Ok((k, obj))
    }

    /// The objects of `def` in key order as they were at `rv` (within the history window): the
    /// current ones (borrowed, no copies) with the few changed since `rv` undone, newest first.
    /// The objects of `def` as they were at `rv`, in key order from `from` on: today's objects,
    /// with those changed since `rv` replaced by their state then (both sides are in key order,
    /// so they are merged lazily, without sorting or collecting the kind).
    fn objects_at(
        &self,
        def: &'static ResourceDef,
        rv: u64,
        from: Key,
    ) -> impl Iterator<Item = (Cow<'_, Key>, &Value)> {
        let mut changed: BTreeMap<Key, Option<&Value>> = BTreeMap::new();
        for change in self.history.iter().rev().take_while(|c| c.rv > rv) {
            if change.def == def {
                let k = key(
                    def,
                    meta_str(&change.object, "namespace"),
                    meta_str(&change.object, "name"),
                );
                changed.insert(k, change.prev.as_ref());
            }
        }
        let changed_keys: std::collections::BTreeSet<Key> = changed.keys().cloned().collect();
        let current = self
            .objects
            .range(from.clone()..)
            .take_while(move |(k, _)| (k.0, k.1) == (def.group, def.plural))
            .filter(move |(k, _)| !changed_keys.contains(*k))
            .map(|(k, v)| (Cow::Borrowed(k), v));
        let restored = changed
            .into_iter()
            .filter(move |(k, _)| *k >= from)
            .filter_map(|(k, v)| Some((Cow::Owned(k), v?)));
        let (mut a, mut b) = (current.peekable(), restored.peekable());
        std::iter::from_fn(move || {
            let take_a = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) => x.0 < y.0,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => return None,
            };
            if take_a {
                a.next()
            } else {
                b.next()
            }
        })
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// An opaque continue token: the snapshot's resourceVersion and the last key served.
fn encode_continue(rv: u64, ns: &str, name: &str) -> String {
    format!("{rv}/{ns}/{name}")
        .bytes()
        .flat_map(|b| {
            [
                HEX[usize::from(b >> 4)] as char,
                HEX[usize::from(b & 15)] as char,
            ]
        })
        .collect()
}

fn decode_continue(token: &str) -> Option<(u64, (String, String))> {
    let digit = |c: u8| (c as char).to_digit(16);
    let bytes = token
        .as_bytes()
        .chunks(2)
        .map(|p| Some((digit(*p.first()?)? * 16 + digit(*p.get(1)?)?) as u8))
        .collect::<Option<Vec<u8>>>()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut parts = text.splitn(3, '/');
    let rv = parts.next()?.parse().ok()?;
    Some((rv, (parts.next()?.to_owned(), parts.next()?.to_owned())))
}
