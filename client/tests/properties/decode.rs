//! The watch-line splitter, watch events, list bodies, the slim models and the pruned `Object`.

use crate::json::{raw_text, replaced, value};
use crate::status::samples;
use lookout_client::api::lines::LineSplitter;
use lookout_client::model::Object;
use lookout_client::view::table::{columns, Tabular};
use lookout_client::watch::watch_event::{decode_event, decode_list, ObjectList, WatchEvent};
use lookout_client::{Namespace, Pod, Resource, Store};
use proptest::prelude::*;
use serde_json::{json, Value};

const WATCH: &[u8] = include_bytes!("../fixtures/watch-pods.jsonl");

/// The recorded watch's lines: events of a real kube-apiserver.
fn recorded_lines() -> Vec<&'static [u8]> {
    WATCH
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect()
}

/// The recorded events and the sample objects of every kind, as event JSON.
fn events() -> Vec<Value> {
    let mut out: Vec<Value> = recorded_lines()
        .into_iter()
        .filter_map(|l| serde_json::from_slice(l).ok())
        .collect();
    out.extend(
        samples()
            .into_iter()
            .map(|o| json!({ "type": "MODIFIED", "object": o })),
    );
    out
}

/// What the splitter should hand out: `\n`-separated lines without a `\r` end, blank ones skipped.
fn model_lines(body: &[u8]) -> (Vec<Vec<u8>>, Vec<u8>) {
    let mut parts: Vec<&[u8]> = body.split(|b| *b == b'\n').collect();
    let pending = parts.pop().unwrap_or_default().to_vec();
    let lines = parts
        .into_iter()
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .map(<[u8]>::to_vec)
        .collect();
    (lines, pending)
}

/// Splits `body` at `cuts` and collects every line.
fn split(body: &[u8], cuts: &[prop::sample::Index]) -> (Vec<Vec<u8>>, Vec<u8>) {
    let mut s = LineSplitter::new();
    let mut lines = Vec::new();
    for chunk in chunks(body, cuts) {
        s.push(chunk);
        while let Some(line) = s.next_line().expect("no line reaches the limit") {
            lines.push(line.to_vec());
        }
    }
    (lines, s.pending().to_vec())
}

/// A decode error names what failed: the envelope, the event type's object, or the type.
fn assert_specific(e: &lookout_client::Error) {
    let text = e.to_string();
    let known = [
        "unexpected response: watch event: ",
        "unexpected response: ADDED object: ",
        "unexpected response: MODIFIED object: ",
        "unexpected response: DELETED object: ",
        "unexpected response: BOOKMARK object: ",
        "unexpected response: ERROR status: ",
        "unexpected response: unknown watch event type ",
    ];
    assert!(known.iter().any(|k| text.starts_with(k)), "{text}");
}

/// Decodes a line as every model, checking errors are specific and models are usable.
fn decode_all(line: &[u8]) {
    match decode_event::<Pod>(line) {
        Ok(WatchEvent::Added(p) | WatchEvent::Modified(p) | WatchEvent::Deleted(p)) => {
            let _ = (p.restarts(), p.ready(), p.group(), p.display_status());
            let _ = p.cells("", "Pod", 0);
        }
        Ok(_) => {}
        Err(e) => assert_specific(&e),
    }
    match decode_event::<Namespace>(line) {
        Ok(_) => {}
        Err(e) => assert_specific(&e),
    }
    match decode_event::<Object>(line) {
        Ok(WatchEvent::Added(o) | WatchEvent::Modified(o) | WatchEvent::Deleted(o)) => {
            use_object(o)
        }
        Ok(_) => {}
        Err(e) => assert_specific(&e),
    }
}

/// Everything a view reads of an `Object`.
fn use_object(mut o: Object) {
    let _ = (o.kind(), o.label("app"), o.annotation("a"));
    for (group, kind) in crate::status::KINDS {
        let cells = o.cells(group, kind, 1_800_000_000);
        // Pod tables show the Pod model; an `Object` pod gets the generic cells.
        if kind != "Pod" {
            assert_eq!(cells.len(), columns(group, kind).len(), "{group}/{kind}");
        }
        for c in &cells {
            let _ = c.text();
        }
        let _ = o.tone(group, 1_800_000_000);
    }
    o.set_type("v1", "Pod");
    assert!(!o.kind().is_empty() || !o.value.is_object());
}

proptest! {
    #[test]
    fn every_chunking_gives_the_lines_of_the_whole_body(
        body in prop::collection::vec(
            prop_oneof![4 => any::<u8>(), 1 => Just(b'\n'), 1 => Just(b'\r'), 1 => Just(b' ')],
            0..400,
        ),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
    ) {
        prop_assert_eq!(split(&body, &cuts), model_lines(&body));
    }

    #[test]
    fn any_line_decodes_or_names_its_error(line in raw_text()) {
        decode_all(&line);
    }

    #[test]
    fn any_object_decodes_or_names_its_error(
        kind in prop::sample::select(vec!["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR", "X"]),
        object in prop_oneof![raw_text(), value().prop_map(|v| v.to_string().into_bytes())],
    ) {
        let mut line = format!("{{\"type\":\"{kind}\",\"object\":").into_bytes();
        line.extend(object);
        line.push(b'}');
        decode_all(&line);
    }

    /// Each field of real events, replaced by a value of any type: decoded or a specific error.
    #[test]
    fn wrong_types_in_any_field_are_specific_errors(
        event in prop::sample::select(events()),
        at in any::<prop::sample::Index>(),
        with in value(),
    ) {
        decode_all(replaced(&event, at, with).to_string().as_bytes());
    }

    #[test]
    fn list_bodies_decode_or_name_their_error(
        body in prop_oneof![
            raw_text(),
            (any::<prop::sample::Index>(), value()).prop_map(|(at, with)| {
                let list = json!({ "metadata": { "resourceVersion": "7", "continue": "x" },
                                   "items": samples() });
                replaced(&list, at, with).to_string().into_bytes()
            }),
        ],
    ) {
        for result in [
            decode_list::<Pod>(&body).map(|l| l.items.len()),
            decode_list::<Object>(&body).map(|l: ObjectList<Object>| l.items.len()),
        ] {
            if let Err(e) = result {
                prop_assert!(e.to_string().starts_with("unexpected response: list: "), "{}", e);
            }
        }
    }

    /// A bad line in a stream yields its own error; every other line decodes as it would alone,
    /// and a store applying the good lines ends as if the bad one had never been sent.
    #[test]
    fn a_bad_line_costs_only_itself(
        good in prop::collection::vec(prop::sample::select(recorded_lines()), 1..12),
        bad in raw_text().prop_filter("not a line break", |b| !b.contains(&b'\n')),
        at in any::<prop::sample::Index>(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        let at = at.index(good.len() + 1);
        let mut body = Vec::new();
        for (i, line) in good.iter().enumerate() {
            if i == at {
                body.extend(&bad);
                body.push(b'\n');
            }
            body.extend(*line);
            body.push(b'\n');
        }
        if at == good.len() {
            body.extend(&bad);
            body.push(b'\n');
        }
        let (lines, pending) = split(&body, &cuts);
        prop_assert!(pending.is_empty());
        let bad_decodes = decode_event::<Pod>(&bad).is_ok() || bad.iter().all(u8::is_ascii_whitespace);
        let errors: Vec<_> = lines.iter().filter_map(|l| decode_event::<Pod>(l).err()).collect();
        prop_assert_eq!(errors.len(), usize::from(!bad_decodes));
        errors.iter().for_each(assert_specific);
        if bad_decodes {
            return Ok(());
        }
        // A store fed the stream in chunks goes on after the error (the rest waits in the
        // splitter) and ends as if the bad line had never been sent.
        let mut store = Store::<Pod>::new();
        let mut splitter = LineSplitter::new();
        let mut failed = 0;
        for chunk in chunks(&body, &cuts) {
            let mut result = store.apply_watch_chunk(&mut splitter, chunk);
            while let Err(e) = result {
                assert_specific(&e);
                failed += 1;
                result = store.apply_watch_chunk(&mut splitter, b"");
            }
        }
        prop_assert_eq!(failed, 1);
        let mut expected = Store::<Pod>::new();
        for line in &good {
            expected.apply_watch_body(line).expect("recorded lines apply");
        }
        prop_assert_eq!(store.sorted(), expected.sorted());
    }
}

/// `body` cut at `cuts`.
fn chunks<'a>(body: &'a [u8], cuts: &[prop::sample::Index]) -> Vec<&'a [u8]> {
    let mut at: Vec<usize> = cuts.iter().map(|c| c.index(body.len() + 1)).collect();
    at.sort_unstable();
    let mut out = Vec::new();
    let mut from = 0;
    for to in at.into_iter().chain([body.len()]) {
        out.push(&body[from..to]);
        from = to;
    }
    out
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    for kind in ["ADDED", "BOOKMARK", "ERROR"] {
        let line = format!("{{\"type\":\"{kind}\",\"object\":{{\"status\":{deep}}}}}");
        decode_all(line.as_bytes());
    }
    let line = format!("{{\"type\":\"ADDED\",\"object\":{{\"status\":{deep}}}}}");
    let e = decode_event::<Object>(line.as_bytes()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("unexpected response: ADDED object: recursion limit exceeded"),
        "{e}"
    );
}

#[test]
fn restart_counts_beyond_u32_sum_without_overflow() {
    let line = br#"{"type":"ADDED","object":{"status":{"containerStatuses":[
        {"name":"a","restartCount":4294967295},{"name":"b","restartCount":4294967295}]}}}"#;
    let line: Vec<u8> = line.iter().copied().filter(|b| *b != b'\n').collect();
    let Ok(WatchEvent::Added(pod)) = decode_event::<Pod>(&line) else {
        panic!("decodes");
    };
    assert_eq!(pod.restarts(), u32::MAX);
}
