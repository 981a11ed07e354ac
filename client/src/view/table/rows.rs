//! A table's rows with what it derives from each object — its tone, its lower-cased search text,
//! its cells — kept beside the row while the object stays the same. Objects are shared (`Arc`),
//! and one a view holds never changes (the store writes a new version in place only into a copy
//! nobody else holds), so a new version is a new pointer here: bringing 100,000 rows up to date
//! after a few watch events compares pointers and derives only the changed rows, and a keystroke
//! in the filter or a click on a column header compares remembered values instead of running the
//! status rules and formatting every row again.

use super::{count_tones, Cell, SortKey, TableQuery, Tabular, TextFilter};
use crate::api::resource::Resource;
use crate::status::Tone;
use std::cmp::Ordering;
use std::sync::Arc;

/// Between the fields of a search text: no typed filter holds it, so no match spans two fields.
const SEPARATOR: char = '\0';

/// One step of [`diff_rows`]: positions in the old and the new list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStep {
    /// The same object (the same `Arc`) at `old` and `new`.
    Same(usize, usize),
    /// The object at `old` has a new version at `new`.
    Changed(usize, usize),
    /// The object at `new` is new.
    Added(usize),
    /// The object at `old` is gone.
    Removed(usize),
}

/// Walks two lists of objects in namespace/name order (a live collection's rows before and after
/// a frame) in one pass, calling `step` for each position in increasing order of both: O(rows)
/// pointer comparisons, names compared only where the pointers differ. Lists in another order
/// still get every new position exactly once, only with fewer `Same` steps.
pub fn diff_rows<T: Resource>(old: &[Arc<T>], new: &[Arc<T>], mut step: impl FnMut(RowStep)) {
    let (mut i, mut j) = (0, 0);
    loop {
        match (old.get(i), new.get(j)) {
            (None, None) => return,
            (Some(a), Some(b)) if Arc::ptr_eq(a, b) => {
                step(RowStep::Same(i, j));
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) => {
                let (a, b) = (a.meta(), b.meta());
                match (a.namespace.as_str(), a.name.as_str()).cmp(&(&b.namespace, &b.name)) {
                    Ordering::Equal => {
                        step(RowStep::Changed(i, j));
                        i += 1;
                        j += 1;
                    }
                    Ordering::Less => {
                        step(RowStep::Removed(i));
                        i += 1;
                    }
                    Ordering::Greater => {
                        step(RowStep::Added(j));
                        j += 1;
                    }
                }
            }
            (Some(_), None) => {
                step(RowStep::Removed(i));
                i += 1;
            }
            (None, Some(_)) => {
                step(RowStep::Added(j));
                j += 1;
            }
        }
    }
}

/// Values derived from each object of a list in namespace/name order (a live collection's rows),
/// kept beside it while the object stays the same `Arc`: bringing the list up to date after a
/// frame of watch events compares pointers and derives only the new and changed objects.
#[derive(Debug)]
pub struct RowsWith<T, F> {
    rows: Vec<Arc<T>>,
    derived: Vec<F>,
}

impl<T, F> Default for RowsWith<T, F> {
    fn default() -> Self {
        RowsWith {
            rows: Vec::new(),
            derived: Vec::new(),
        }
    }
}

impl<T: Resource, F> RowsWith<T, F> {
    /// Takes `rows` as the current list; `derive` runs for new and changed objects only.
    pub fn update(&mut self, rows: &[Arc<T>], mut derive: impl FnMut(&T) -> F) {
        if rows.len() == self.rows.len() {
            // The common frame: a few objects changed in place, none came or went.
            let mut in_place = true;
            for (k, new) in rows.iter().enumerate() {
                let old = &self.rows[k];
                if Arc::ptr_eq(old, new) {
                    continue;
                }
                let (a, b) = (old.meta(), new.meta());
                if a.name != b.name || a.namespace != b.namespace {
                    in_place = false;
                    break;
                }
                self.derived[k] = derive(new);
                self.rows[k] = new.clone();
            }
            if in_place {
                return;
            }
        }
        let mut old = std::mem::take(&mut self.derived).into_iter();
        let mut derived = Vec::with_capacity(rows.len());
        diff_rows(&self.rows, rows, |step| match step {
            RowStep::Same(_, j) => {
                let kept = old.next();
                derived.push(kept.unwrap_or_else(|| derive(&rows[j])));
            }
            RowStep::Changed(_, j) => {
                old.next();
                derived.push(derive(&rows[j]));
            }
            RowStep::Added(j) => derived.push(derive(&rows[j])),
            RowStep::Removed(_) => {
                old.next();
            }
        });
        self.derived = derived;
        self.rows = rows.to_vec();
    }

    /// The current rows, in namespace/name order.
    pub fn rows(&self) -> &[Arc<T>] {
        &self.rows
    }

    /// What was derived from each row, in the same order.
    pub fn derived(&self) -> &[F] {
        &self.derived
    }
}

/// What a table derives from one object.
#[derive(Debug)]
struct Derived {
    tone: Tone,
    /// Name, namespace, label keys and values and the status word, lower-cased, separated.
    search: Box<str>,
    /// The cells, once a column sort asked for them.
    cells: Option<Arc<[Cell]>>,
}

/// Tone and search text of `obj` in a table of `kind` (API group `group`) at `now`; its cells
/// wait for a column sort.
fn derive<T: Tabular>(obj: &T, group: &str, kind: &str, now: i64) -> Derived {
    let meta = obj.meta();
    let mut search = String::with_capacity(meta.name.len() + meta.namespace.len() + 32);
    let mut push = |s: &str| {
        search.push_str(s);
        search.push(SEPARATOR);
    };
    push(&meta.name);
    push(&meta.namespace);
    for (k, v) in meta.labels.iter() {
        push(k);
        push(v);
    }
    push(&obj.status_word(group, kind, now));
    search.make_ascii_lowercase();
    Derived {
        tone: obj.tone(group, now),
        search: search.into_boxed_str(),
        cells: None,
    }
}

/// The rows of one table (a kind in an API group) with each row's tone, search text and cells.
#[derive(Debug)]
pub struct TableRows<T> {
    group: String,
    kind: String,
    list: RowsWith<T, Derived>,
}

impl<T: Tabular> TableRows<T> {
    /// No rows yet, for a table of `kind` in API group `group`.
    pub fn new(group: &str, kind: &str) -> Self {
        TableRows {
            group: group.to_owned(),
            kind: kind.to_owned(),
            list: RowsWith::default(),
        }
    }

    /// Takes `rows` (the table's objects, in namespace/name order) as the current rows; derives
    /// values for new and changed objects only (at `now`, epoch seconds).
    pub fn update(&mut self, rows: &[Arc<T>], now: i64) {
        let (group, kind) = (&self.group, &self.kind);
        self.list.update(rows, |o| derive(o, group, kind, now));
    }

    /// The current rows, in namespace/name order.
    pub fn rows(&self) -> &[Arc<T>] {
        self.list.rows()
    }

    /// Rows per tone, in [`Tone::ALL`] order.
    pub fn counts(&self) -> [usize; 5] {
        count_tones(self.list.derived.iter().map(|d| d.tone))
    }

    /// The rows `query` keeps, in its order (ties in namespace/name order). The identity query
    /// returns the rows as they are; a filter compares remembered search texts; a column sort
    /// derives the cells of rows that have none yet (at `now`), once per object.
    pub fn query(&mut self, query: &TableQuery, now: i64) -> Vec<Arc<T>> {
        let RowsWith { rows, derived } = &mut self.list;
        if query.is_identity() {
            return rows.clone();
        }
        let filter = TextFilter::parse(&query.text);
        let mut kept: Vec<usize> = (0..rows.len())
            .filter(|&i| {
                let d = &derived[i];
                query.keeps_tone(d.tone)
                    && match &filter {
                        TextFilter::Any => true,
                        TextFilter::Contains(needle) => d.search.contains(needle.as_str()),
                        label => label.matches(rows[i].meta(), []),
                    }
            })
            .collect();
        if let SortKey::Column(c) = query.sort {
            for &i in &kept {
                if derived[i].cells.is_none() {
                    derived[i].cells = Some(rows[i].cells(&self.group, &self.kind, now).into());
                }
            }
            let cell = |i: usize| derived[i].cells.as_deref().and_then(|cells| cells.get(c));
            kept.sort_by(|&a, &b| match (cell(a), cell(b)) {
                (Some(x), Some(y)) => x.compare(y),
                _ => Ordering::Equal,
            });
        }
        if query.descending {
            kept.reverse();
        }
        kept.into_iter().map(|i| rows[i].clone()).collect()
    }
}
