//! Each kind's table: the columns `kubectl get` shows after name and namespace, the cells of one
//! object in those columns, the object's overall tone and its status word. The [catalogue](crate::view::catalogue)
//! names each kind's [`KindTable`]; kinds it does not know get [`FLUX`] (any kind of a Flux
//! group) or [`GENERIC`].

use super::{Cell, Column, KindTable, Tabular};
use crate::api::resource::Resource;
use crate::model::flux::{revisions, suspended};
use crate::model::time::parse_rfc3339;
use crate::model::{Object, Pod};
use crate::status::flux::flux_status;
use crate::status::kstatus;
use crate::status::Tone;
use serde_json::Value;
use std::borrow::Cow;

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

/// Pods: the typed [`Pod`]'s cells and tone, for a pod held as an [`Object`] too.
pub const POD: KindTable = KindTable {
    columns: &[
        text("Ready"),
        text("Status"),
        number("Restarts"),
        text("Age"),
        text("Node"),
    ],
    cells: |o, now| match slim_pod(&o.value) {
        Ok(pod) => pod.cells("", "Pod", now),
        // A pod the slim model cannot read keeps the table's shape: Unknown under Status.
        Err(e) => {
            let mut cells = vec![Cell::Text(String::new()); 5];
            cells[1] = Cell::Status {
                word: "Unknown".into(),
                tone: Tone::Unknown,
                message: e.to_string(),
            };
            cells
        }
    },
    tone: |o, now| slim_pod(&o.value).map_or(Tone::Unknown, |p| p.tone("", now)),
    status_word: |o, _now| match slim_pod(&o.value) {
        Ok(p) => Cow::Owned(p.display_status().to_owned()),
        Err(_) => Cow::Borrowed("Unknown"),
    },
};

/// Deployments: READY, UP-TO-DATE, AVAILABLE, then kstatus.
pub const DEPLOYMENT: KindTable = KindTable {
    columns: &[
        text("Ready"),
        number("Up-to-date"),
        number("Available"),
        text("Status"),
        text("Age"),
    ],
    cells: |o, now| {
        let v = &o.value;
        vec![
            Cell::Ratio(int(v, "/status/readyReplicas"), int(v, "/spec/replicas")),
            Cell::Number(int(v, "/status/updatedReplicas")),
            Cell::Number(int(v, "/status/availableReplicas")),
            kstatus_cell(o, now),
            created(o),
        ]
    },
    tone: kstatus_tone,
    status_word: kstatus_word,
};

/// StatefulSets: READY, then kstatus.
pub const STATEFUL_SET: KindTable = KindTable {
    columns: &[text("Ready"), text("Status"), text("Age")],
    cells: |o, now| {
        let v = &o.value;
        vec![
            Cell::Ratio(int(v, "/status/readyReplicas"), int(v, "/spec/replicas")),
            kstatus_cell(o, now),
            created(o),
        ]
    },
    tone: kstatus_tone,
    status_word: kstatus_word,
};

/// DaemonSets: DESIRED, CURRENT, READY, UP-TO-DATE, AVAILABLE, then kstatus.
pub const DAEMON_SET: KindTable = KindTable {
    columns: &[
        number("Desired"),
        number("Current"),
        number("Ready"),
        number("Up-to-date"),
        number("Available"),
        text("Status"),
        text("Age"),
    ],
    cells: |o, now| {
        let counts = [
            "/status/desiredNumberScheduled",
            "/status/currentNumberScheduled",
            "/status/numberReady",
            "/status/updatedNumberScheduled",
            "/status/numberAvailable",
        ];
        counts_then_status(o, now, &counts)
    },
    tone: kstatus_tone,
    status_word: kstatus_word,
};

/// ReplicaSets: DESIRED, CURRENT, READY, then kstatus.
pub const REPLICA_SET: KindTable = KindTable {
    columns: &[
        number("Desired"),
        number("Current"),
        number("Ready"),
        text("Status"),
        text("Age"),
    ],
    cells: |o, now| {
        let counts = [
            "/spec/replicas",
            "/status/replicas",
            "/status/readyReplicas",
        ];
        counts_then_status(o, now, &counts)
    },
    tone: kstatus_tone,
    status_word: kstatus_word,
};

/// Jobs: COMPLETIONS (succeeded of `spec.completions`, 1 when unset), then kstatus.
pub const JOB: KindTable = KindTable {
    columns: &[text("Completions"), text("Status"), text("Age")],
    cells: |o, now| {
        let v = &o.value;
        let completions = v
            .pointer("/spec/completions")
            .and_then(Value::as_i64)
            .unwrap_or(1);
        vec![
            Cell::Ratio(int(v, "/status/succeeded"), completions),
            kstatus_cell(o, now),
            created(o),
        ]
    },
    tone: kstatus_tone,
    status_word: kstatus_word,
};

/// CronJobs: SCHEDULE, SUSPEND, ACTIVE, LAST SCHEDULE; a suspended one is paused.
pub const CRON_JOB: KindTable = KindTable {
    columns: &[
        text("Schedule"),
        text("Suspend"),
        number("Active"),
        text("Last schedule"),
        text("Age"),
    ],
    cells: |o, _now| {
        let v = &o.value;
        vec![
            Cell::Text(string(v, "/spec/schedule")),
            true_false(suspended(v)),
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
            created(o),
        ]
    },
    tone: |o, now| {
        if suspended(&o.value) {
            Tone::Paused
        } else {
            kstatus_tone(o, now)
        }
    },
    status_word: no_status_cell,
};

/// Services: TYPE, CLUSTER-IP, PORT(S).
pub const SERVICE: KindTable = KindTable {
    columns: &[text("Type"), text("Cluster-IP"), text("Ports"), text("Age")],
    cells: |o, _now| {
        let v = &o.value;
        vec![
            Cell::Text(string(v, "/spec/type")),
            Cell::Text(string(v, "/spec/clusterIP")),
            Cell::Text(service_ports(v)),
            created(o),
        ]
    },
    tone: kstatus_tone,
    status_word: no_status_cell,
};

/// Flux objects (every kind of a Flux group): Lookout's Flux state, message, applied revision,
/// suspended.
pub const FLUX: KindTable = KindTable {
    columns: &[
        text("Ready"),
        text("Message"),
        text("Revision"),
        text("Suspended"),
        text("Age"),
    ],
    cells: |o, now| {
        let v = &o.value;
        let s = flux_status(v, now);
        vec![
            Cell::Status {
                word: s.state.as_str().to_owned(),
                tone: s.state.tone(),
                message: s.message.clone(),
            },
            Cell::Text(s.message),
            Cell::Text(revisions(v).applied.unwrap_or_default()),
            true_false(suspended(v)),
            created(o),
        ]
    },
    tone: |o, now| flux_status(&o.value, now).state.tone(),
    status_word: |o, now| Cow::Borrowed(flux_status(&o.value, now).state.as_str()),
};

/// Any other kind: kstatus and age.
pub const GENERIC: KindTable = KindTable {
    columns: &[text("Status"), text("Age")],
    cells: |o, now| vec![kstatus_cell(o, now), created(o)],
    tone: kstatus_tone,
    status_word: kstatus_word,
};

/// The AGE cell of any object.
pub(super) fn created<T: Resource>(obj: &T) -> Cell {
    Cell::Age(
        obj.meta()
            .creation_timestamp
            .as_deref()
            .and_then(parse_rfc3339),
    )
}

/// The numbers at `pointers` (0 when missing), then kstatus and age.
fn counts_then_status(o: &Object, now: i64, pointers: &[&str]) -> Vec<Cell> {
    let counts = pointers.iter().map(|p| Cell::Number(int(&o.value, p)));
    counts.chain([kstatus_cell(o, now), created(o)]).collect()
}

fn true_false(yes: bool) -> Cell {
    Cell::Text(if yes { "True" } else { "False" }.into())
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

/// The kstatus STATUS cell (`Unknown` with the reason when the rules cannot read the object).
fn kstatus_cell(o: &Object, now: i64) -> Cell {
    match kstatus::compute(&o.value, now) {
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

/// The word of [`kstatus_cell`].
fn kstatus_word(o: &Object, now: i64) -> Cow<'static, str> {
    Cow::Borrowed(kstatus::compute(&o.value, now).map_or("Unknown", |c| c.status.as_str()))
}

/// The status word of a table without a status cell (services, cron jobs).
fn no_status_cell(_: &Object, _: i64) -> Cow<'static, str> {
    Cow::Borrowed("")
}

fn kstatus_tone(o: &Object, now: i64) -> Tone {
    kstatus::compute(&o.value, now).map_or(Tone::Unknown, |c| c.status.tone())
}
