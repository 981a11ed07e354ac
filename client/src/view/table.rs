//! Resource tables without the UI: the columns `kubectl get` shows for each kind, the cells of one
//! object, and the text filter, status filter, sort and visible window a table view applies.
//! Everything here is plain data, so it is tested natively and shared by every table.

pub mod columns;
mod rows;

pub use rows::{diff_rows, RowStep, RowsWith, TableRows};

use crate::api::resource::{ObjectMeta, Resource};
use crate::model::{Object, Pod};
use crate::status::Tone;
use crate::view::catalogue;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::ops::Range;

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

/// How a table shows one kind: its columns after name and namespace, the cells of an object in
/// them, the object's overall tone (what the status filter compares) and its status word (what
/// the text filter searches, without formatting the row). Each
/// [catalogue](crate::view::catalogue) entry names one ([`columns`](self::columns) holds them).
#[derive(Debug, Clone, Copy)]
pub struct KindTable {
    /// The columns, in order.
    pub columns: &'static [Column],
    /// The cells of an object at `now` (epoch seconds), one per column.
    pub cells: fn(&Object, i64) -> Vec<Cell>,
    /// The object's overall tone at `now`.
    pub tone: fn(&Object, i64) -> Tone,
    /// The word of its status cell at `now` (`""` without one), without formatting the row.
    pub status_word: fn(&Object, i64) -> Cow<'static, str>,
}

/// The columns a table of `kind` (in API group `group`) shows after name and namespace.
pub fn columns(group: &str, kind: &str) -> &'static [Column] {
    catalogue::table(group, kind).columns
}

/// An object a resource table can show.
pub trait Tabular: Resource {
    /// The cells of [`columns`]`(group, kind)`, in order.
    fn cells(&self, group: &str, kind: &str, now: i64) -> Vec<Cell>;
    /// The object's overall status tone (what the status filter compares).
    fn tone(&self, group: &str, now: i64) -> Tone;
    /// The word of the row's status cell (`""` when it has none), which the text filter
    /// searches. By default found in [`cells`](Tabular::cells); kinds that know it without
    /// formatting a row say it directly (it must be the same word).
    fn status_word(&self, group: &str, kind: &str, now: i64) -> Cow<'_, str> {
        Cow::Owned(status_word(&self.cells(group, kind, now)).to_owned())
    }
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
            columns::created(self),
            Cell::Text(
                self.spec
                    .node_name
                    .as_deref()
                    .unwrap_or_default()
                    .to_owned(),
            ),
        ]
    }

    fn tone(&self, _group: &str, _now: i64) -> Tone {
        Tone::of_pod_word(self.display_status())
    }

    fn status_word(&self, _group: &str, _kind: &str, _now: i64) -> Cow<'_, str> {
        Cow::Borrowed(self.display_status())
    }
}

impl Tabular for Object {
    fn cells(&self, group: &str, kind: &str, now: i64) -> Vec<Cell> {
        (catalogue::table(group, kind).cells)(self, now)
    }

    fn tone(&self, group: &str, now: i64) -> Tone {
        (catalogue::table(group, self.kind()).tone)(self, now)
    }

    fn status_word(&self, group: &str, kind: &str, now: i64) -> Cow<'_, str> {
        (catalogue::table(group, kind).status_word)(self, now)
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
///
/// Case is folded for ASCII letters only: names, namespaces and labels are ASCII by the API's
/// own validation, and Unicode's case tables would cost the widgets 7 KB brotli. Other letters
/// match as typed.
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
            TextFilter::Contains(text.to_ascii_lowercase())
        }
    }

    /// Whether an object with `meta` and the row's other `words` passes.
    pub fn matches<'a>(&self, meta: &ObjectMeta, words: impl IntoIterator<Item = &'a str>) -> bool {
        match self {
            TextFilter::Any => true,
            TextFilter::Label { key, value } => meta.labels.get(key) == Some(value),
            TextFilter::Contains(needle) => {
                let contains = |s: &str| s.to_ascii_lowercase().contains(needle.as_str());
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

/// Objects of API group `group` by health at `now`: ready, progressing (suspended and unknown
/// included) and failed — the buckets of an environment's workload summary.
pub fn health_counts<'a, T: Tabular + 'a>(
    objects: impl IntoIterator<Item = &'a T>,
    group: &str,
    now: i64,
) -> [usize; 3] {
    let mut c = [0; 3];
    for o in objects {
        match o.tone(group, now) {
            Tone::Ok => c[0] += 1,
            Tone::Error => c[2] += 1,
            _ => c[1] += 1,
        }
    }
    c
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
