//! Resource tables without the UI: the columns `kubectl get` shows for each kind, the cells of one
//! object, and the text filter, status filter, sort and visible window a table view applies.
//! Everything here is plain data, so it is tested natively and shared by every table.

use crate::api::resource::{ObjectMeta, Resource};
use crate::model::flux::suspended;
use crate::model::kinds;
use crate::model::time::parse_rfc3339;
use crate::model::{Object, Pod};
use crate::status::flux::flux_status;
use crate::status::kstatus;
use crate::status::Tone;
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// One cell's value; views format it, sorting compares it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Plain text (untrusted; rendered as text).
    Text(String),
    /// A count.
    Number(i64),
    /// `ready/total`, as `kubectl` shows replicas and containers.
    Ratio(i64, i64),
    /// A point in time (epoch seconds), shown as an age ("3m").
    Age(Option<i64>),
    /// A status word with its tone and explanation.
    Status {
        /// The word.
        word: String,
        /// Its colour.
        tone: Tone,
        /// Why (untrusted text).
        message: String,
    },
}

impl Cell {
    fn compare(&self, other: &Cell) -> Ordering {
        match (self, other) {
            (Cell::Number(a), Cell::Number(b)) => a.cmp(b),
            (Cell::Ratio(a, x), Cell::Ratio(b, y)) => (a * y).cmp(&(b * x)).then(x.cmp(y)),
            // Ascending age: newest first, as `kubectl --sort-by=.metadata.creationTimestamp` reversed.
            (Cell::Age(a), Cell::Age(b)) => b.cmp(a),
            (
                Cell::Status {
                    tone: a, word: x, ..
                },
                Cell::Status {
                    tone: b, word: y, ..
                },
            ) => a.cmp(b).then_with(|| x.cmp(y)),
            (a, b) => a.text().cmp(&b.text()),
        }
    }

    /// The cell as plain text (ages as the creation time, for search and sorting fallbacks).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Ratio(a, b) => format!("{a}/{b}"),
            Cell::Age(t) => t.map(|t| t.to_string()).unwrap_or_default(),
            Cell::Status { word, .. } => word.clone(),
        }
    }
}

/// A kind-specific column (name and namespace come before every kind's columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Header text.
    pub title: &'static str,
    /// Right-aligned numbers.
    pub numeric: bool,
}

const fn text(title: &'static str) -> Column {
    Column {
        title,
        numeric: false,
    }
}
const fn number(title: &'static str) -> Column {
    Column {
        title,
        numeric: true,
    }
}

const POD_COLUMNS: &[Column] = &[
    text("Ready"),
    text("Status"),
    number("Restarts"),
    text("Age"),
    text("Node"),
];
const DEPLOYMENT_COLUMNS: &[Column] = &[
    text("Ready"),
    number("Up-to-date"),
    number("Available"),
    text("Status"),
    text("Age"),
];
const DAEMON_SET_COLUMNS: &[Column] = &[
    number("Desired"),
    number("Current"),
    number("Ready"),
    number("Up-to-date"),
    number("Available"),
    text("Status"),
    text("Age"),
];
const REPLICA_SET_COLUMNS: &[Column] = &[
    number("Desired"),
    number("Current"),
    number("Ready"),
    text("Status"),
    text("Age"),
];
const READY_COLUMNS: &[Column] = &[text("Ready"), text("Status"), text("Age")];
const JOB_COLUMNS: &[Column] = &[text("Completions"), text("Status"), text("Age")];
const CRON_JOB_COLUMNS: &[Column] = &[
    text("Schedule"),
    text("Suspend"),
    number("Active"),
    text("Last schedule"),
    text("Age"),
];
const SERVICE_COLUMNS: &[Column] = &[text("Type"), text("Cluster-IP"), text("Ports"), text("Age")];
const FLUX_COLUMNS: &[Column] = &[
    text("Ready"),
    text("Message"),
    text("Revision"),
    text("Suspended"),
    text("Age"),
];
const GENERIC_COLUMNS: &[Column] = &[text("Status"), text("Age")];

/// The columns a table of `kind` (in API group `group`) shows after name and namespace.
pub fn columns(group: &str, kind: &str) -> &'static [Column] {
    match (group, kind) {
        ("", "Pod") => POD_COLUMNS,
        ("apps", "Deployment") => DEPLOYMENT_COLUMNS,
        ("apps", "DaemonSet") => DAEMON_SET_COLUMNS,
        ("apps", "ReplicaSet") => REPLICA_SET_COLUMNS,
        ("apps", "StatefulSet") => READY_COLUMNS,
        ("batch", "Job") => JOB_COLUMNS,
        ("batch", "CronJob") => CRON_JOB_COLUMNS,
        ("", "Service") => SERVICE_COLUMNS,
        (g, _) if kinds::is_flux_group(g) => FLUX_COLUMNS,
        _ => GENERIC_COLUMNS,
    }
}

/// An object a resource table can show.
pub trait Tabular: Resource {
    /// The cells of [`columns`]`(group, kind)`, in order.
    fn cells(&self, group: &str, kind: &str, now: i64) -> Vec<Cell>;
    /// The object's overall status tone (what the status filter compares).
    fn tone(&self, group: &str, now: i64) -> Tone;
}

fn created<T: Resource>(obj: &T) -> Cell {
    Cell::Age(
        obj.meta()
            .creation_timestamp
            .as_deref()
            .and_then(parse_rfc3339),
    )
}

impl Tabular for Pod {
    fn cells(&self, _group: &str, _kind: &str, _now: i64) -> Vec<Cell> {
        let (ready, total) = self.ready();
        let (word, tone, message) = crate::status::pod::pod_status(self);
        vec![
            Cell::Ratio(ready as i64, total as i64),
            Cell::Status {
                word,
                tone,
                message,
            },
            Cell::Number(i64::from(self.restarts())),
            created(self),
            Cell::Text(self.spec.node_name.clone().unwrap_or_default()),
        ]
    }

    fn tone(&self, _group: &str, _now: i64) -> Tone {
        Tone::of_pod_word(self.display_status())
    }
}

fn int(v: &Value, pointer: &str) -> i64 {
    v.pointer(pointer).and_then(Value::as_i64).unwrap_or(0)
}
fn string(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// `kubectl`'s PORT(S) column: `80/TCP,443:30443/TCP`.
fn service_ports(v: &Value) -> String {
    let Some(ports) = v.pointer("/spec/ports").and_then(Value::as_array) else {
        return "<none>".into();
    };
    ports
        .iter()
        .map(|p| {
            let port = int(p, "/port");
            let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
            match p.get("nodePort").and_then(Value::as_i64) {
                Some(node) => format!("{port}:{node}/{proto}"),
                None => format!("{port}/{proto}"),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The slim Pod of a pod held as an [`Object`], so both give one status word. Decoded from text
/// as the watch decodes pods (one decoder in the bundle instead of a second one for `&Value`).
fn slim_pod(v: &Value) -> Result<Pod, serde_json::Error> {
    serde_json::from_slice(&serde_json::to_vec(v)?)
}

impl Object {
    fn kstatus_cell(&self, now: i64) -> Cell {
        match kstatus::compute(&self.value, now) {
            Ok(c) => Cell::Status {
                word: c.status.as_str().to_owned(),
                tone: c.status.tone(),
                message: c.message,
            },
            Err(e) => Cell::Status {
                word: "Unknown".into(),
                tone: Tone::Unknown,
                message: e,
            },
        }
    }
}

impl Tabular for Object {
    fn cells(&self, group: &str, kind: &str, now: i64) -> Vec<Cell> {
        let v = &self.value;
        let replicas = int(v, "/spec/replicas");
        let status = || self.kstatus_cell(now);
        match (group, kind) {
            ("apps", "Deployment") => vec![
                Cell::Ratio(int(v, "/status/readyReplicas"), replicas),
                Cell::Number(int(v, "/status/updatedReplicas")),
                Cell::Number(int(v, "/status/availableReplicas")),
                status(),
                created(self),
            ],
            ("apps", "DaemonSet") => vec![
                Cell::Number(int(v, "/status/desiredNumberScheduled")),
                Cell::Number(int(v, "/status/currentNumberScheduled")),
                Cell::Number(int(v, "/status/numberReady")),
                Cell::Number(int(v, "/status/updatedNumberScheduled")),
                Cell::Number(int(v, "/status/numberAvailable")),
                status(),
                created(self),
            ],
            ("apps", "ReplicaSet") => vec![
                Cell::Number(replicas),
                Cell::Number(int(v, "/status/replicas")),
                Cell::Number(int(v, "/status/readyReplicas")),
                status(),
                created(self),
            ],
            ("apps", "StatefulSet") => vec![
                Cell::Ratio(int(v, "/status/readyReplicas"), replicas),
                status(),
                created(self),
            ],
            ("batch", "Job") => vec![
                Cell::Ratio(
                    int(v, "/status/succeeded"),
                    v.pointer("/spec/completions")
                        .and_then(Value::as_i64)
                        .unwrap_or(1),
                ),
                status(),
                created(self),
            ],
            ("batch", "CronJob") => vec![
                Cell::Text(string(v, "/spec/schedule")),
                Cell::Text(if suspended(v) {
                    "True".into()
                } else {
                    "False".into()
                }),
                Cell::Number(
                    v.pointer("/status/active")
                        .and_then(Value::as_array)
                        .map_or(0, |a| a.len() as i64),
                ),
                Cell::Age(
                    v.pointer("/status/lastScheduleTime")
                        .and_then(Value::as_str)
                        .and_then(parse_rfc3339),
                ),
                created(self),
            ],
            ("", "Service") => vec![
                Cell::Text(string(v, "/spec/type")),
                Cell::Text(string(v, "/spec/clusterIP")),
                Cell::Text(service_ports(v)),
                created(self),
            ],
            (g, _) if kinds::is_flux_group(g) => {
                let s = flux_status(v, now);
                let revision = crate::model::flux::revisions(v);
                vec![
                    Cell::Status {
                        word: s.state.as_str().to_owned(),
                        tone: s.state.tone(),
                        message: s.message.clone(),
                    },
                    Cell::Text(s.message),
                    Cell::Text(revision.applied.unwrap_or_default()),
                    Cell::Text(if suspended(v) {
                        "True".into()
                    } else {
                        "False".into()
                    }),
                    created(self),
                ]
            }
            ("", "Pod") => match slim_pod(v) {
                Ok(pod) => pod.cells(group, kind, now),
                Err(e) => vec![Cell::Status {
                    word: "Unknown".into(),
                    tone: Tone::Unknown,
                    message: e.to_string(),
                }],
            },
            _ => vec![status(), created(self)],
        }
    }

    fn tone(&self, group: &str, now: i64) -> Tone {
        if kinds::is_flux_group(group) {
            flux_status(&self.value, now).state.tone()
        } else if group.is_empty() && self.kind() == "Pod" {
            slim_pod(&self.value).map_or(Tone::Unknown, |p| p.tone(group, now))
        } else if group == "batch"
            && suspended(&self.value)
            && self.value.pointer("/spec/schedule").is_some()
        {
            Tone::Paused
        } else {
            match self.kstatus_cell(now) {
                Cell::Status { tone, .. } => tone,
                _ => Tone::Unknown,
            }
        }
    }
}

/// What a table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Namespace, then name: the store's order, and `kubectl`'s.
    #[default]
    Name,
    /// The kind column at this index.
    Column(usize),
}

/// A table's filter and sort, as held in the URL (`q`, `status`, `sort`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableQuery {
    /// The text filter, read by [`TextFilter::parse`].
    pub text: String,
    /// Only objects of these tones (empty: all).
    pub tones: Vec<Tone>,
    /// Sort column.
    pub sort: SortKey,
    /// Sort descending.
    pub descending: bool,
}

impl TableQuery {
    /// Whether the query keeps store order and every object (no work to do).
    pub fn is_identity(&self) -> bool {
        self.text.trim().is_empty()
            && self.tones.is_empty()
            && self.sort == SortKey::Name
            && !self.descending
    }

    /// The `sort` URL value: `name`, `-name`, `3` (column index), `-3`.
    pub fn sort_param(&self) -> String {
        let key = match self.sort {
            SortKey::Name => "name".to_owned(),
            SortKey::Column(i) => i.to_string(),
        };
        if self.descending {
            format!("-{key}")
        } else {
            key
        }
    }

    /// Reads [`TableQuery::sort_param`]; unknown values sort by name.
    pub fn set_sort_param(&mut self, param: &str) {
        let (descending, key) = match param.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, param),
        };
        self.descending = descending;
        self.sort = key.parse().map_or(SortKey::Name, SortKey::Column);
    }

    /// The `status` URL value: tones joined by commas.
    pub fn tones_param(&self) -> String {
        self.tones
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads [`TableQuery::tones_param`], ignoring unknown words.
    pub fn set_tones_param(&mut self, param: &str) {
        self.tones = param.split(',').filter_map(Tone::parse).collect();
    }

    /// Whether the status filter keeps objects of `tone`.
    pub fn keeps_tone(&self, tone: Tone) -> bool {
        self.tones.is_empty() || self.tones.contains(&tone)
    }

    /// Clicking a column header: sort by it, or flip the direction if it already sorts.
    pub fn toggle_sort(&mut self, key: SortKey) {
        if self.sort == key {
            self.descending = !self.descending;
        } else {
            self.sort = key;
            self.descending = false;
        }
    }
}

/// A table's text filter (`?q=`), with one meaning on every page: `key=value` matches a label
/// exactly (case-sensitive, as a label selector would); any other text is a case-insensitive
/// substring of the name, namespace, a label key or value, or one of the row's own words (its
/// status word, and on the Flux page its kind, message, revision and source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextFilter {
    /// No filter (empty or blank text).
    Any,
    /// `key=value`: the label `key` has exactly `value`.
    Label {
        /// The label key.
        key: String,
        /// The value it must have.
        value: String,
    },
    /// A lower-cased substring.
    Contains(String),
}

impl TextFilter {
    /// Reads the filter text (trimmed; around `=` too).
    pub fn parse(text: &str) -> TextFilter {
        let text = text.trim();
        if text.is_empty() {
            TextFilter::Any
        } else if let Some((key, value)) = text.split_once('=') {
            TextFilter::Label {
                key: key.trim().to_owned(),
                value: value.trim().to_owned(),
            }
        } else {
            TextFilter::Contains(text.to_lowercase())
        }
    }

    /// Whether an object with `meta` and the row's other `words` passes.
    pub fn matches<'a>(&self, meta: &ObjectMeta, words: impl IntoIterator<Item = &'a str>) -> bool {
        match self {
            TextFilter::Any => true,
            TextFilter::Label { key, value } => meta.labels.get(key) == Some(value),
            TextFilter::Contains(needle) => {
                let contains = |s: &str| s.to_lowercase().contains(needle.as_str());
                contains(&meta.name)
                    || contains(&meta.namespace)
                    || meta.labels.iter().any(|(k, v)| contains(k) || contains(v))
                    || words.into_iter().any(contains)
            }
        }
    }
}

fn status_word(cells: &[Cell]) -> &str {
    cells
        .iter()
        .find_map(|c| match c {
            Cell::Status { word, .. } => Some(word.as_str()),
            _ => None,
        })
        .unwrap_or("")
}

/// Tones of a table's objects, each remembered until its resourceVersion changes: the status
/// rules (kstatus, Flux) run once per change of an object, not once per object per frame.
#[derive(Debug, Default)]
pub struct ToneCache(HashMap<String, (String, Tone)>);

impl ToneCache {
    /// The tone of `obj` (computed only when its uid is new or its resourceVersion changed;
    /// objects without a uid are not cached).
    pub fn tone<T: Tabular>(&mut self, obj: &T, group: &str, now: i64) -> Tone {
        let meta = obj.meta();
        if meta.uid.is_empty() {
            return obj.tone(group, now);
        }
        match self.0.get(meta.uid.as_str()) {
            Some((rv, tone)) if *rv == meta.resource_version => *tone,
            _ => {
                let tone = obj.tone(group, now);
                self.0
                    .insert(meta.uid.clone(), (meta.resource_version.clone(), tone));
                tone
            }
        }
    }

    /// Forgets objects no longer in `rows`, once it holds more than twice as many as there are.
    pub fn prune<T: Resource>(&mut self, rows: &[Arc<T>]) {
        if self.0.len() > 2 * rows.len() + 64 {
            let live: std::collections::HashSet<&str> =
                rows.iter().map(|o| o.meta().uid.as_str()).collect();
            self.0.retain(|uid, _| live.contains(uid.as_str()));
        }
    }

    /// Objects per tone among `rows`, in [`Tone::ALL`] order.
    pub fn count<T: Tabular>(&mut self, rows: &[Arc<T>], group: &str, now: i64) -> [usize; 5] {
        self.prune(rows);
        count_tones(rows.iter().map(|o| self.tone(&**o, group, now)))
    }
}

/// How many of `tones` there are of each, in [`Tone::ALL`] order.
pub fn count_tones(tones: impl Iterator<Item = Tone>) -> [usize; 5] {
    let mut counts = [0usize; 5];
    for tone in tones {
        if let Some(i) = Tone::ALL.iter().position(|t| *t == tone) {
            counts[i] += 1;
        }
    }
    counts
}

/// The rows `query` keeps, in its order. `rows` is in store (namespace/name) order; with the
/// identity query it is returned as is (no per-row work), so a 10,000-row table costs nothing here
/// until the user filters or sorts.
pub fn apply_query<T: Tabular>(
    rows: &[Arc<T>],
    query: &TableQuery,
    tones: &mut ToneCache,
    group: &str,
    kind: &str,
    now: i64,
) -> Vec<Arc<T>> {
    if query.is_identity() {
        return rows.to_vec();
    }
    let filter = TextFilter::parse(&query.text);
    let needs_cells = filter != TextFilter::Any || matches!(query.sort, SortKey::Column(_));
    let mut kept: Vec<(Arc<T>, Vec<Cell>)> = rows
        .iter()
        .filter(|o| query.tones.is_empty() || query.keeps_tone(tones.tone(o.as_ref(), group, now)))
        .map(|o| {
            let cells = if needs_cells {
                o.cells(group, kind, now)
            } else {
                Vec::new()
            };
            (o.clone(), cells)
        })
        .filter(|(o, cells)| filter.matches(o.meta(), [status_word(cells)]))
        .collect();
    // `rows` is already in name order; sorting by a column is stable, so ties keep it.
    match query.sort {
        SortKey::Name => {}
        SortKey::Column(i) => kept.sort_by(|a, b| match (a.1.get(i), b.1.get(i)) {
            (Some(x), Some(y)) => x.compare(y),
            _ => Ordering::Equal,
        }),
    }
    if query.descending {
        kept.reverse();
    }
    kept.into_iter().map(|(o, _)| o).collect()
}

/// The rows to render for a scroll position: those in the viewport plus `overscan` on each side.
pub fn visible_window(
    scroll_top: f64,
    viewport_height: f64,
    row_height: f64,
    total: usize,
    overscan: usize,
) -> Range<usize> {
    if total == 0 || row_height <= 0.0 {
        return 0..0;
    }
    let first = (scroll_top.max(0.0) / row_height).floor() as usize;
    let shown = (viewport_height.max(row_height) / row_height).ceil() as usize + 1;
    let start = first.saturating_sub(overscan).min(total);
    let end = (first + shown + overscan).min(total);
    start..end
}

#[cfg(test)]
mod tests;
