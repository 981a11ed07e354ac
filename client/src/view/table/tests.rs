use super::*;
use crate::api::resource::ApiResource;
use crate::view::catalogue;
use serde_json::json;
use std::sync::Arc;

fn pod(name: &str, ns: &str, status: &str, restarts: u32, created: &str) -> Arc<Pod> {
    let state = match status {
        "Running" => json!({ "running": {} }),
        reason => json!({ "waiting": { "reason": reason } }),
    };
    let value = json!({
        "metadata": { "name": name, "namespace": ns, "uid": name, "resourceVersion": "1",
                      "creationTimestamp": created, "labels": { "app": name.split('-').next() } },
        "spec": { "nodeName": "node-1", "containers": [{ "name": "main" }] },
        "status": { "phase": "Running", "containerStatuses": [
            { "name": "main", "ready": status == "Running", "restartCount": restarts, "state": state }] }
    });
    Arc::new(serde_json::from_value(value).unwrap())
}

/// The names of `rows` (pods) that `q` keeps, in its order.
fn pod_names(rows: &[Arc<Pod>], q: &TableQuery) -> Vec<String> {
    let mut table = TableRows::new("", "Pod");
    table.update(rows, 0);
    let kept = table.query(q, 0);
    kept.iter().map(|r| r.metadata.name.to_string()).collect()
}

fn pods() -> Vec<Arc<Pod>> {
    vec![
        pod("api-1", "app", "Running", 0, "2026-11-25T10:00:00Z"),
        pod(
            "api-2",
            "app",
            "CrashLoopBackOff",
            7,
            "2026-11-25T11:00:00Z",
        ),
        pod("web-1", "app", "Running", 2, "2026-11-25T09:00:00Z"),
        pod(
            "web-2",
            "app",
            "ContainerCreating",
            0,
            "2026-11-25T12:00:00Z",
        ),
    ]
}

#[test]
fn pod_cells_are_kubectls_columns() {
    let p = pod(
        "api-2",
        "app",
        "CrashLoopBackOff",
        7,
        "2026-11-25T11:00:00Z",
    );
    let cells = p.cells("", "Pod", 0);
    assert_eq!(cells.len(), columns("", "Pod").len());
    assert_eq!(cells[0], Cell::Ratio(0, 1));
    assert!(
        matches!(&cells[1], Cell::Status { word, tone: Tone::Error, .. } if word == "CrashLoopBackOff")
    );
    assert_eq!(cells[2], Cell::Number(7));
    assert_eq!(cells[4], Cell::Text("node-1".into()));
}

#[test]
fn identity_query_keeps_store_order_and_does_no_work() {
    let rows = pods();
    let q = TableQuery::default();
    assert!(q.is_identity());
    assert_eq!(pod_names(&rows, &q), ["api-1", "api-2", "web-1", "web-2"]);
}

#[test]
fn text_filter_matches_name_status_and_labels() {
    let rows = pods();
    let mut q = TableQuery {
        text: "WEB".into(),
        ..TableQuery::default()
    };
    assert_eq!(pod_names(&rows, &q), ["web-1", "web-2"]);
    q.text = "crashloop".into();
    assert_eq!(pod_names(&rows, &q), ["api-2"]);
    q.text = "app=api".into();
    assert_eq!(pod_names(&rows, &q), ["api-1", "api-2"]);
    q.text = "app=ap".into();
    assert!(pod_names(&rows, &q).is_empty());
    // Label values are case-sensitive; the rest of the filter is not.
    q.text = "app=API".into();
    assert!(pod_names(&rows, &q).is_empty());
    q.text = "API-1".into();
    assert_eq!(pod_names(&rows, &q), ["api-1"]);
}

#[test]
fn status_filter_keeps_the_chosen_tones() {
    let rows = pods();
    let mut q = TableQuery::default();
    q.set_tones_param("error,progress,bogus");
    assert_eq!(q.tones, [Tone::Error, Tone::Progress]);
    assert_eq!(pod_names(&rows, &q), ["api-2", "web-2"]);
    assert_eq!(q.tones_param(), "error,progress");
}

#[test]
fn sorting_by_columns_both_ways() {
    let rows = pods();
    let mut q = TableQuery::default();
    q.toggle_sort(SortKey::Column(2)); // restarts
    assert_eq!(pod_names(&rows, &q), ["api-1", "web-2", "web-1", "api-2"]);
    q.toggle_sort(SortKey::Column(2));
    assert!(q.descending);
    assert_eq!(q.sort_param(), "-2");
    assert_eq!(pod_names(&rows, &q)[0], "api-2");
    q.set_sort_param("3"); // age: newest first
    assert_eq!(pod_names(&rows, &q), ["web-2", "api-2", "api-1", "web-1"]);
    q.set_sort_param("1"); // status: failing first
    assert_eq!(pod_names(&rows, &q)[0], "api-2");
    q.set_sort_param("nonsense");
    assert_eq!(q.sort, SortKey::Name);
}

#[test]
fn workload_columns_read_replicas_and_status() {
    let deployment: Object = serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "web", "namespace": "app", "generation": 2 },
        "spec": { "replicas": 3 },
        "status": { "observedGeneration": 2, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 1,
                    "availableReplicas": 1,
                    "conditions": [{ "type": "Available", "status": "False" }] }
    }))
    .unwrap();
    let cells = deployment.cells("apps", "Deployment", 0);
    assert_eq!(cells.len(), columns("apps", "Deployment").len());
    assert_eq!(cells[0], Cell::Ratio(1, 3));
    assert_eq!(cells[1], Cell::Number(3));
    assert!(
        matches!(&cells[3], Cell::Status { word, tone: Tone::Progress, .. } if word == "InProgress"),
        "{:?}",
        cells[3]
    );

    let service: Object = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Service", "metadata": { "name": "web" },
        "spec": { "type": "NodePort", "clusterIP": "10.0.0.7",
                  "ports": [{ "port": 80, "protocol": "TCP", "nodePort": 30080 }, { "port": 53, "protocol": "UDP" }] }
    }))
    .unwrap();
    let cells = service.cells("", "Service", 0);
    assert_eq!(cells[2], Cell::Text("80:30080/TCP,53/UDP".into()));

    let suspended: Object = serde_json::from_value(json!({
        "kind": "Kustomization", "metadata": { "name": "apps", "generation": 1 },
        "spec": { "suspend": true },
        "status": { "observedGeneration": 1, "lastAppliedRevision": "main@sha1:abc",
                    "conditions": [{ "type": "Ready", "status": "True", "message": "Applied" }] }
    }))
    .unwrap();
    let group = "kustomize.toolkit.fluxcd.io";
    assert_eq!(suspended.tone(group, 0), Tone::Paused);
    let cells = suspended.cells(group, "Kustomization", 0);
    assert_eq!(cells[2], Cell::Text("main@sha1:abc".into()));
    assert_eq!(cells[3], Cell::Text("True".into()));
}

#[test]
fn window_covers_the_viewport_plus_overscan() {
    assert_eq!(visible_window(0.0, 640.0, 32.0, 10_000, 5), 0..26);
    assert_eq!(visible_window(3200.0, 640.0, 32.0, 10_000, 5), 95..126);
    assert_eq!(visible_window(1e9, 640.0, 32.0, 10_000, 5), 10_000..10_000);
    assert_eq!(visible_window(0.0, 640.0, 32.0, 3, 5), 0..3);
    assert_eq!(visible_window(0.0, 640.0, 32.0, 0, 5), 0..0);
}

#[test]
fn rows_derive_values_only_for_objects_that_changed() {
    let mut table = TableRows::new("", "Pod");
    let mut rows = pods();
    table.update(&rows, 0);
    assert_eq!(
        table.counts(),
        [1, 1, 0, 0, 2],
        "error, progress, paused, unknown, ok"
    );
    // The same objects (the same Arcs) derive nothing again; only new pointers do.
    let mut counted = RowsWith::<Pod, ()>::default();
    let mut derived = 0;
    counted.update(&rows, |_| derived += 1);
    counted.update(&rows, |_| derived += 1);
    assert_eq!(derived, rows.len());
    let mut again = rows.clone();
    again[1] = Arc::new((*again[1]).clone());
    counted.update(&again, |_| derived += 1);
    assert_eq!(derived, rows.len() + 1);
    // A new version of web-1 (crash-looping), an added and a removed pod.
    rows[2] = pod(
        "web-1",
        "app",
        "CrashLoopBackOff",
        3,
        "2026-11-25T09:00:00Z",
    );
    rows.remove(0);
    rows.push(pod("zz-1", "app", "Running", 0, "2026-11-25T09:00:00Z"));
    table.update(&rows, 0);
    assert_eq!(table.counts(), [2, 1, 0, 0, 1]);
    let names = |t: &mut TableRows<Pod>, text: &str| -> Vec<String> {
        let q = TableQuery {
            text: text.into(),
            ..TableQuery::default()
        };
        t.query(&q, 0)
            .iter()
            .map(|p| p.metadata.name.to_string())
            .collect()
    };
    assert_eq!(names(&mut table, "crashloop"), ["api-2", "web-1"]);
    assert_eq!(names(&mut table, "ZZ"), ["zz-1"]);
    // No match across two fields (name "zz-1", namespace "app").
    assert!(names(&mut table, "1app").is_empty());
    assert_eq!(table.rows().len(), 4);
}

#[test]
fn diffing_rows_visits_every_new_position_once() {
    let a = pods();
    let mut b = a.clone();
    b[1] = pod("api-2", "app", "Running", 0, "2026-11-25T11:00:00Z");
    b.remove(3);
    b.insert(0, pod("aaa", "app", "Running", 0, "2026-11-25T11:00:00Z"));
    let mut steps = Vec::new();
    diff_rows(&a, &b, |s| steps.push(s));
    assert_eq!(
        steps,
        [
            RowStep::Added(0),
            RowStep::Same(0, 1),
            RowStep::Changed(1, 2),
            RowStep::Same(2, 3),
            RowStep::Removed(3),
        ]
    );
}

#[test]
fn a_pod_has_one_status_word_as_a_slim_pod_and_as_a_full_object() {
    // An unschedulable Pending pod: kstatus would call it Failed; tables and pages say Pending.
    for value in [
        json!({ "kind": "Pod", "apiVersion": "v1", "metadata": { "name": "p", "creationTimestamp": "2026-01-01T00:00:00Z" },
                "status": { "phase": "Pending", "conditions": [{ "type": "PodScheduled", "status": "False", "reason": "Unschedulable" }] } }),
        json!({ "kind": "Pod", "apiVersion": "v1", "metadata": { "name": "p" },
                "status": { "phase": "Running", "containerStatuses": [{ "name": "a", "state": { "waiting": { "reason": "CrashLoopBackOff", "message": "back-off" } } }] } }),
    ] {
        let slim: Pod = serde_json::from_value(value.clone()).unwrap();
        let full: Object = serde_json::from_value(value).unwrap();
        let now = 1_900_000_000;
        let status =
            |cells: Vec<Cell>| cells.into_iter().find(|c| matches!(c, Cell::Status { .. }));
        assert_eq!(
            status(slim.cells("", "Pod", now)),
            status(full.cells("", "Pod", now))
        );
        assert_eq!(slim.tone("", now), full.tone("", now));
        assert_ne!(full.tone("", now), Tone::Unknown);
    }
}

#[test]
fn text_filter_has_one_meaning_for_labels_and_words() {
    let meta: ObjectMeta = serde_json::from_value(json!({
        "name": "podinfo", "namespace": "apps", "labels": { "app": "web", "tier": "Front" } }))
    .unwrap();
    let keeps =
        |text: &str, words: &[&str]| TextFilter::parse(text).matches(&meta, words.iter().copied());
    assert_eq!(TextFilter::parse("  "), TextFilter::Any);
    assert!(keeps("", &[]));
    // `key=value` is an exact label match, whatever the row's other words say.
    assert!(keeps("app=web", &[]));
    assert!(keeps(" app = web ", &[]));
    assert!(!keeps("app=we", &["app=we"]));
    assert!(!keeps("tier=front", &[]));
    // Anything else: a case-insensitive substring of name, namespace, labels or the row's words.
    assert!(keeps("PODINFO", &[]));
    assert!(keeps("front", &[]));
    assert!(keeps(
        "build failed",
        &["Kustomization", "kustomize BUILD FAILED"]
    ));
    assert!(!keeps("db", &["Kustomization"]));
    // Beyond ASCII, letters match as typed.
    assert!(keeps("Über", &["kustomize: Über-chart"]));
    assert!(!keeps("über", &["kustomize: Über-chart"]));
}

#[test]
fn a_table_over_a_store_shows_each_new_version_once_published() {
    use crate::{Change, Store, WatcherEvent};
    let mut store = Store::new();
    store.apply(WatcherEvent::Synced(
        pods().iter().map(|p| (**p).clone()).collect(),
    ));
    let mut rows: Vec<Arc<Pod>> = store.sorted_shared().into_iter().cloned().collect();
    let mut table = TableRows::new("", "Pod");
    table.update(&rows, 0);
    assert_eq!(table.counts(), [1, 1, 0, 0, 2]);
    // web-1 starts crash-looping: two events before the next frame, the second replacing a copy
    // no view holds yet.
    let crashing = |restarts: u32| {
        let mut p = (*pod(
            "web-1",
            "app",
            "CrashLoopBackOff",
            restarts,
            "2026-11-25T09:00:00Z",
        ))
        .clone();
        p.metadata.resource_version = restarts.to_string().into();
        WatcherEvent::Applied(p)
    };
    let mut changes: Vec<Change> = store.apply(crashing(3));
    changes.extend(store.apply(crashing(4)));
    // Until the frame publishes them, the table shows the objects it has.
    table.update(&rows, 0);
    assert_eq!(table.counts(), [1, 1, 0, 0, 2]);
    assert_eq!(rows[2].status.container_statuses[0].restart_count, 2);
    store.update_sorted(&mut rows, &changes);
    table.update(&rows, 0);
    assert_eq!(table.counts(), [2, 1, 0, 0, 1]);
    assert_eq!(
        table.rows()[2].status.container_statuses[0].restart_count,
        4
    );
}

#[test]
fn rows_with_derives_only_new_and_changed_objects() {
    let mut list = RowsWith::<Pod, String>::default();
    let mut rows = pods();
    let mut calls = 0;
    let mut status = |p: &Pod| {
        calls += 1;
        p.display_status().to_owned()
    };
    list.update(&rows, &mut status);
    rows[1] = pod("api-2", "app", "Running", 7, "2026-11-25T11:00:00Z");
    rows.push(pod(
        "zz-1",
        "app",
        "ErrImagePull",
        0,
        "2026-11-25T11:00:00Z",
    ));
    list.update(&rows, &mut status);
    list.update(&rows, &mut status);
    assert_eq!(
        calls,
        4 + 2,
        "four at first, then the changed and the added pod"
    );
    assert_eq!(
        list.derived(),
        [
            "Running",
            "Running",
            "Running",
            "ContainerCreating",
            "ErrImagePull"
        ]
    );
}

/// Objects in the states the status rules tell apart (healthy, converging, stalled, failing,
/// suspended, deleting, crash-looping, malformed), as `api_version`/`kind`.
fn states(api_version: &str, kind: &str) -> Vec<serde_json::Value> {
    let meta = json!({ "name": "x", "namespace": "ns", "generation": 2,
                       "creationTimestamp": "2026-11-25T10:00:00Z" });
    let condition = |kind: &str, status: &str| json!([{ "type": kind, "status": status, "reason": "Why", "message": "because" }]);
    let with = |patch: serde_json::Value| {
        let mut v = json!({ "apiVersion": api_version, "kind": kind, "metadata": meta.clone(),
            "spec": { "replicas": 3, "containers": [{ "name": "main" }] },
            "status": { "observedGeneration": 2, "readyReplicas": 3, "phase": "Running",
                        "conditions": condition("Ready", "True"),
                        "containerStatuses": [{ "name": "main", "ready": true, "state": { "running": {} } }] } });
        for (k, val) in patch.as_object().into_iter().flatten() {
            for (field, x) in val.as_object().into_iter().flatten() {
                v[k][field] = x.clone();
            }
        }
        v
    };
    vec![
        with(json!({})),
        json!({ "apiVersion": api_version, "kind": kind, "metadata": {} }),
        with(json!({ "status": { "phase": 7 } })),
        with(json!({ "metadata": { "deletionTimestamp": "2026-11-25T11:00:00Z" } })),
        with(json!({ "status": { "observedGeneration": "two" } })),
        with(json!({ "status": { "observedGeneration": 1 } })),
        with(json!({ "status": { "conditions": condition("Stalled", "True") } })),
        with(json!({ "status": { "conditions": condition("Reconciling", "True") } })),
        with(json!({ "status": { "conditions": condition("Ready", "False") } })),
        with(json!({ "spec": { "suspend": true } })),
        with(json!({ "status": { "phase": "Failed", "reason": "Evicted" } })),
        with(json!({ "status": { "phase": "Pending",
            "containerStatuses": [{ "name": "main", "state": { "waiting": { "reason": "CrashLoopBackOff" } } }] } })),
    ]
}

#[test]
fn every_kind_searches_the_word_of_its_status_cell() {
    let unknown = [
        ApiResource::fixed("source.toolkit.fluxcd.io", "v1", "SomethingNew", "x", true),
        ApiResource::fixed("example.com", "v1", "Widget", "widgets", true),
    ];
    let kinds = catalogue::catalogue()
        .iter()
        .map(|e| &e.api)
        .chain(&unknown);
    let now = 1_800_000_000;
    let mut words = std::collections::BTreeSet::new();
    for api in kinds {
        let (group, kind) = (api.group.as_ref(), api.kind.as_ref());
        let api_version = match group {
            "" => api.version.to_string(),
            g => format!("{g}/{}", api.version),
        };
        for value in states(&api_version, kind) {
            let object: Object = serde_json::from_value(value.clone()).unwrap();
            let word = object.status_word(group, kind, now);
            assert_eq!(
                word,
                status_word(&object.cells(group, kind, now)),
                "{kind} {value}"
            );
            words.insert(word.into_owned());
            if let Ok(pod) = serde_json::from_value::<Pod>(value) {
                let word = pod.status_word(group, kind, now);
                assert_eq!(word, status_word(&pod.cells(group, kind, now)), "Pod");
                words.insert(word.into_owned());
            }
        }
    }
    // The states reach the words of every rule (pods', kstatus', Flux's, none).
    for word in [
        "CrashLoopBackOff",
        "Evicted",
        "Terminating",
        "Failed",
        "InProgress",
        "Current",
    ] {
        assert!(words.contains(word), "{word} in {words:?}");
    }
    for word in [
        "failed",
        "stale",
        "suspended",
        "deleting",
        "unknown",
        "Unknown",
        "",
    ] {
        assert!(words.contains(word), "{word} in {words:?}");
    }
}

thread_local! {
    /// How many rows [`Counted`] formatted.
    static CELLS_DERIVED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A pod that counts how often its row is formatted; `FAST` when it tells its status word
/// itself (as pods do), else [`Tabular`]'s default finds it in the cells.
#[derive(Debug, Clone, serde::Deserialize)]
struct Counted<const FAST: bool>(Pod);

impl<const FAST: bool> Resource for Counted<FAST> {
    fn meta(&self) -> &ObjectMeta {
        self.0.meta()
    }
}

impl<const FAST: bool> Counted<FAST> {
    fn counted_cells(&self, group: &str, kind: &str, now: i64) -> Vec<Cell> {
        CELLS_DERIVED.with(|n| n.set(n.get() + 1));
        self.0.cells(group, kind, now)
    }
}

impl Tabular for Counted<true> {
    fn cells(&self, group: &str, kind: &str, now: i64) -> Vec<Cell> {
        self.counted_cells(group, kind, now)
    }

    fn tone(&self, group: &str, now: i64) -> Tone {
        self.0.tone(group, now)
    }

    fn status_word(&self, group: &str, kind: &str, now: i64) -> std::borrow::Cow<'_, str> {
        self.0.status_word(group, kind, now)
    }
}

impl Tabular for Counted<false> {
    fn cells(&self, group: &str, kind: &str, now: i64) -> Vec<Cell> {
        self.counted_cells(group, kind, now)
    }

    fn tone(&self, group: &str, now: i64) -> Tone {
        self.0.tone(group, now)
    }
}

fn counted<const FAST: bool>(pods: &[Arc<Pod>]) -> Vec<Arc<Counted<FAST>>> {
    pods.iter()
        .map(|p| Arc::new(Counted((**p).clone())))
        .collect()
}

/// The names of the rows `q` keeps.
fn counted_names<const FAST: bool>(t: &mut TableRows<Counted<FAST>>, q: &TableQuery) -> Vec<String>
where
    Counted<FAST>: Tabular,
{
    let kept = t.query(q, 0);
    kept.iter().map(|r| r.0.metadata.name.to_string()).collect()
}

#[test]
fn filtering_and_new_frames_format_no_rows_until_a_sort_asks() {
    let derived = || CELLS_DERIVED.with(std::cell::Cell::get);
    let mut table = TableRows::new("", "Pod");
    let mut rows = counted::<true>(&pods());
    table.update(&rows, 0);
    let mut q = TableQuery {
        text: "crash".into(),
        ..TableQuery::default()
    };
    assert_eq!(counted_names(&mut table, &q), ["api-2"]);
    q.text = "running".into();
    assert_eq!(counted_names(&mut table, &q), ["api-1", "web-1"]);
    // A new frame: web-2 started.
    rows[3] = counted(&[pod("web-2", "app", "Running", 0, "2026-11-25T12:00:00Z")])[0].clone();
    table.update(&rows, 0);
    assert_eq!(counted_names(&mut table, &q), ["api-1", "web-1", "web-2"]);
    assert_eq!(derived(), 0, "no row formatted for filters and frames");
    // A sort formats the rows it keeps, once each.
    q.sort = SortKey::Column(2);
    q.descending = true;
    assert_eq!(counted_names(&mut table, &q), ["web-1", "web-2", "api-1"]);
    assert_eq!(derived(), 3);
    q.descending = false;
    q.text.clear();
    assert_eq!(
        counted_names(&mut table, &q),
        ["api-1", "web-2", "web-1", "api-2"]
    );
    assert_eq!(derived(), 4, "only api-2 was new to the sort");

    // Without a word of its own, a kind's rows are formatted for their search text, once per
    // version, and the filter finds the same rows.
    let mut slow = TableRows::new("", "Pod");
    slow.update(&counted::<false>(&pods()), 0);
    assert_eq!(derived(), 4 + 4);
    let crash = TableQuery {
        text: "crash".into(),
        ..TableQuery::default()
    };
    assert_eq!(counted_names(&mut slow, &crash), ["api-2"]);
    assert_eq!(derived(), 8);
}
