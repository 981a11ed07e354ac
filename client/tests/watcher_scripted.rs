//! The watcher against a scripted server: every request is checked against the script, every
//! answer (status, headers, body chunks, drops, silence) comes from it, and time is virtual.
#![cfg(not(target_arch = "wasm32"))]

use futures_util::future::{select, Either, LocalBoxFuture};
use futures_util::FutureExt;
use lookout_client::api::transport::{Response, Transport};
use lookout_client::watch::watch_gate::Permit;
use lookout_client::TypedResource;
use lookout_client::{
    Auth, Connection, Error, Pod, Request, Selector, WatchGate, WatchState, Watcher, WatcherConfig,
    WatcherEvent,
};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

/// One piece of a scripted response body.
#[derive(Clone)]
enum Chunk {
    Data(String),
    /// The connection breaks.
    Drop,
    /// Nothing more ever arrives (a silently dead connection).
    Silence,
}

struct Answer {
    /// Query parameters the request must carry (`key=value` as sent, encoded).
    expect: Vec<&'static str>,
    /// Query parameters the request must not carry.
    forbid: Vec<&'static str>,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<Chunk>,
}

fn answer(expect: &[&'static str], status: u16, body: Vec<Chunk>) -> Answer {
    Answer {
        expect: expect.to_vec(),
        forbid: vec![],
        status,
        headers: vec![],
        body,
    }
}

#[derive(Default)]
struct Script {
    answers: VecDeque<Answer>,
    /// Virtual clock, epoch milliseconds.
    now: f64,
    sleeps: Vec<Duration>,
    requests: Vec<String>,
    done: bool,
}

#[derive(Clone, Default)]
struct ScriptedTransport(Rc<RefCell<Script>>);

impl Transport for ScriptedTransport {
    fn send(&self, request: Request) -> LocalBoxFuture<'static, Result<Response, Error>> {
        let mut script = self.0.borrow_mut();
        script.requests.push(request.url.clone());
        let Some(a) = script.answers.pop_front() else {
            script.done = true;
            return futures_util::future::pending().boxed_local();
        };
        for e in &a.expect {
            assert!(request.url.contains(e), "request {} lacks {e}", request.url);
        }
        for f in &a.forbid {
            assert!(!request.url.contains(f), "request {} has {f}", request.url);
        }
        let body = futures_util::stream::unfold(a.body.into_iter(), |mut chunks| async move {
            match chunks.next()? {
                Chunk::Data(s) => Some((Ok(s.into_bytes()), chunks)),
                Chunk::Drop => Some((Err(Error::Network("connection reset".into())), chunks)),
                Chunk::Silence => futures_util::future::pending().await,
            }
        });
        let response = Response {
            status: a.status,
            headers: a.headers,
            body: Box::pin(body),
        };
        async move { Ok(response) }.boxed_local()
    }

    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()> {
        let script = self.0.clone();
        async move {
            // Let ready body chunks win any race against this timer, then advance virtual time.
            tokio::task::yield_now().await;
            let mut s = script.borrow_mut();
            s.sleeps.push(duration);
            s.now += duration.as_secs_f64() * 1000.0;
        }
        .boxed_local()
    }

    fn now_millis(&self) -> f64 {
        self.0.borrow().now
    }
}

fn pod(name: &str, rv: &str) -> String {
    format!(
        r#"{{"metadata":{{"name":"{name}","namespace":"app","resourceVersion":"{rv}"}},"status":{{"phase":"Running"}}}}"#
    )
}

fn event(kind: &str, name: &str, rv: &str) -> Chunk {
    Chunk::Data(format!(
        "{{\"type\":\"{kind}\",\"object\":{}}}\n",
        pod(name, rv)
    ))
}

fn bookmark(rv: &str, end: bool) -> Chunk {
    let ann = if end {
        r#","annotations":{"k8s.io/initial-events-end":"true"}"#
    } else {
        ""
    };
    Chunk::Data(
        format!(
            r#"{{"type":"BOOKMARK","object":{{"kind":"Pod","apiVersion":"v1","metadata":{{"resourceVersion":"{rv}"{ann}}}}}}}"#
        ) + "\n",
    )
}

fn list(rv: &str, cont: Option<&str>, names: &[(&str, &str)]) -> Vec<Chunk> {
    let items: Vec<String> = names.iter().map(|(n, r)| pod(n, r)).collect();
    let cont = cont
        .map(|c| format!(r#","continue":"{c}""#))
        .unwrap_or_default();
    vec![Chunk::Data(format!(
        r#"{{"kind":"PodList","metadata":{{"resourceVersion":"{rv}"{cont}}},"items":[{}]}}"#,
        items.join(",")
    ))]
}

fn status(code: u16, reason: &str) -> Vec<Chunk> {
    vec![Chunk::Data(format!(
        r#"{{"kind":"Status","code":{code},"reason":"{reason}","message":"scripted {reason}"}}"#
    ))]
}

const STREAM: &str = "sendInitialEvents=true";

/// Runs a watcher until the script is used up; returns a line per event and the transport.
fn run(answers: Vec<Answer>, streaming: bool) -> (Vec<String>, Rc<RefCell<Script>>) {
    run_gated(answers, streaming, None)
}

/// [`run`] with a paginated list whose pages are reported as they arrive.
fn run_progressive(answers: Vec<Answer>) -> Vec<String> {
    run_with(answers, false, true, None).0
}

/// [`run`] with the watcher behind `gate`, whose place `held` stays taken for a while (100
/// scheduler turns) and is then given back.
fn run_gated(
    answers: Vec<Answer>,
    streaming: bool,
    gate: Option<(WatchGate, Permit)>,
) -> (Vec<String>, Rc<RefCell<Script>>) {
    run_with(answers, streaming, false, gate)
}

fn run_with(
    answers: Vec<Answer>,
    streaming: bool,
    progressive: bool,
    gate: Option<(WatchGate, Permit)>,
) -> (Vec<String>, Rc<RefCell<Script>>) {
    let transport = ScriptedTransport::default();
    transport.0.borrow_mut().answers = answers.into();
    transport.0.borrow_mut().now = 1_000_000.0;
    let config = WatcherConfig {
        page_size: 2,
        streaming_list: streaming,
        progressive,
        ..WatcherConfig::default()
    };
    let conn = Connection::new("https://kas.example.com/k8s-proxy/", Auth::None);
    let watcher = Watcher::<Pod>::new(
        conn,
        Rc::new(transport.clone()),
        Pod::API,
        Selector::namespace("app"),
    )
    .with_config(config);
    let (watcher, held) = match gate {
        Some((gate, held)) => (watcher.with_gate(gate), Some(held)),
        None => (watcher, None),
    };
    let log = Rc::new(RefCell::new(Vec::new()));
    let sink = log.clone();
    let names = |pods: &[Pod]| {
        pods.iter()
            .map(|p| format!("{}@{}", p.metadata.name, p.metadata.resource_version))
            .collect::<Vec<_>>()
            .join(",")
    };
    let running = watcher.run(move |ev| {
        sink.borrow_mut().push(match ev {
            WatcherEvent::Synced(items) => format!("synced [{}]", names(&items)),
            WatcherEvent::Page {
                items,
                remaining,
                first,
            } => format!("page [{}] {remaining:?} more, first {first}", names(&items)),
            WatcherEvent::Applied(p) => format!(
                "applied {}@{}",
                p.metadata.name, p.metadata.resource_version
            ),
            WatcherEvent::Deleted(p) => format!("deleted {}", p.metadata.name),
            WatcherEvent::State(WatchState::Listing) => "listing".into(),
            WatcherEvent::State(WatchState::Waiting) => "waiting".into(),
            WatcherEvent::State(WatchState::Live) => "live".into(),
            WatcherEvent::State(WatchState::Retrying {
                error,
                delay,
                attempt,
                ..
            }) => {
                format!("retry #{attempt} in {}ms: {error}", delay.as_millis())
            }
        })
    });
    let script = transport.0.clone();
    let finished = async move {
        if let Some(held) = held {
            for _ in 0..100 {
                tokio::task::yield_now().await;
            }
            script
                .borrow_mut()
                .requests
                .push("(place given back)".into());
            drop(held);
        }
        while !script.borrow().done {
            tokio::task::yield_now().await;
        }
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        match select(running.boxed_local(), finished.boxed_local()).await {
            Either::Left(_) => panic!("the watcher returned"),
            Either::Right(_) => {}
        }
    });
    let events = log.borrow().clone();
    (events, transport.0)
}

#[test]
fn streaming_list_gives_one_snapshot_then_follows_and_resumes() {
    let (events, script) = run(
        vec![
            answer(
                &[
                    STREAM,
                    "resourceVersionMatch=NotOlderThan",
                    "allowWatchBookmarks=true",
                ],
                200,
                vec![
                    event("ADDED", "a", "5"),
                    event("ADDED", "b", "6"),
                    bookmark("7", true),
                    event("MODIFIED", "a", "8"),
                    bookmark("9", false),
                ],
            ),
            answer(
                &["resourceVersion=9", "timeoutSeconds=200"],
                200,
                vec![event("DELETED", "b", "10")],
            ),
        ],
        true,
    );
    assert_eq!(
        events,
        [
            "listing",
            "synced [a@5,b@6]",
            "live",
            "applied a@8",
            "deleted b"
        ]
    );
    assert!(!script.borrow().requests[1].contains(STREAM));
    assert_eq!(
        script.borrow().requests.len(),
        3,
        "resumes again from rv 10"
    );
    assert!(script.borrow().requests[2].contains("resourceVersion=10"));
}

#[test]
fn rejected_streaming_list_falls_back_to_paginated_list_for_good() {
    let (events, script) = run(
        vec![
            answer(&[STREAM], 422, status(422, "Invalid")),
            answer(
                &["limit=2"],
                200,
                list("20", Some("tok1"), &[("a", "1"), ("b", "2")]),
            ),
            answer(
                &["limit=2", "continue=tok1"],
                200,
                list("20", None, &[("c", "3")]),
            ),
            answer(
                &["resourceVersion=20"],
                200,
                vec![event("ADDED", "d", "21")],
            ),
            Answer {
                forbid: vec![STREAM],
                ..answer(&["resourceVersion=21"], 410, status(410, "Expired"))
            },
            Answer {
                forbid: vec![STREAM],
                ..answer(&["limit=2"], 200, list("30", None, &[("d", "21")]))
            },
        ],
        true,
    );
    assert_eq!(
        events,
        [
            "listing",
            "synced [a@1,b@2,c@3]",
            "live",
            "applied d@21",
            "synced [d@21]"
        ]
    );
    assert!(
        script.borrow().sleeps.is_empty(),
        "a fallback or a relist needs no back-off"
    );
}

#[test]
fn streaming_list_without_end_marker_times_out_and_falls_back() {
    let (events, _) = run(
        vec![
            answer(
                &[STREAM],
                200,
                vec![event("ADDED", "a", "5"), Chunk::Silence],
            ),
            answer(&["limit=2"], 200, list("9", None, &[("a", "5")])),
        ],
        true,
    );
    assert_eq!(events, ["listing", "synced [a@5]", "live"]);
}

/// A list's first page (a@1, b@2, continue token `t1`) whose token has expired when the second
/// page is asked for, then `rest`: how every restarted-list test begins.
fn after_an_expired_first_page(rest: impl IntoIterator<Item = Answer>) -> Vec<Answer> {
    let mut answers = vec![
        answer(
            &["limit=2"],
            200,
            list("20", Some("t1"), &[("a", "1"), ("b", "2")]),
        ),
        answer(&["continue=t1"], 410, status(410, "Expired")),
    ];
    answers.extend(rest);
    answers
}

#[test]
fn expired_continue_token_restarts_the_list() {
    let (events, _) = run(
        after_an_expired_first_page([
            answer(
                &["limit=2"],
                200,
                list("25", None, &[("a", "1"), ("c", "3")]),
            ),
            answer(&["resourceVersion=25"], 200, vec![bookmark("26", false)]),
        ]),
        false,
    );
    assert_eq!(events, ["listing", "synced [a@1,c@3]", "live"]);
}

#[test]
fn a_progressive_list_reports_each_page_and_ends_with_the_last_one() {
    let events = run_progressive(after_an_expired_first_page([
        // The snapshot expired: the list starts over, its first page marked as such.
        answer(
            &["limit=2"],
            200,
            list("25", Some("t2"), &[("a", "1"), ("c", "3")]),
        ),
        answer(&["continue=t2"], 200, list("25", None, &[("d", "4")])),
        answer(&["resourceVersion=25"], 200, vec![bookmark("26", false)]),
    ]));
    assert_eq!(
        events,
        [
            "listing",
            "page [a@1,b@2] None more, first true",
            "page [a@1,c@3] None more, first true",
            "synced [d@4]",
            "live"
        ]
    );
}

#[test]
fn a_progressive_list_restarted_in_one_page_still_starts_a_new_list() {
    let events = run_progressive(after_an_expired_first_page([
        // Meanwhile a and b were deleted: the new list fits in one page.
        answer(&["limit=2"], 200, list("25", None, &[("c", "3")])),
        answer(&["resourceVersion=25"], 200, vec![bookmark("26", false)]),
    ]));
    // The empty first page makes the store forget the failed attempt's a and b.
    assert_eq!(
        events,
        [
            "listing",
            "page [a@1,b@2] None more, first true",
            "page [] None more, first true",
            "synced [c@3]",
            "live"
        ]
    );
}

#[test]
fn error_event_410_inside_a_200_stream_relists() {
    let expired = Chunk::Data(r#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (482)","reason":"Expired","code":410}}"#.to_owned() + "\n");
    let (events, _) = run(
        vec![
            answer(&["limit=2"], 200, list("1", None, &[("a", "1")])),
            answer(&["resourceVersion=1"], 200, vec![expired]),
            answer(&["limit=2"], 200, list("482", None, &[("b", "400")])),
        ],
        false,
    );
    assert_eq!(
        events,
        ["listing", "synced [a@1]", "live", "synced [b@400]"]
    );
}

#[test]
fn dropped_connection_resumes_from_the_last_bookmark_without_relisting() {
    let (events, script) = run(
        vec![
            answer(&["limit=2"], 200, list("10", None, &[("a", "1")])),
            answer(
                &["resourceVersion=10"],
                200,
                vec![
                    event("MODIFIED", "a", "11"),
                    bookmark("15", false),
                    Chunk::Drop,
                ],
            ),
            answer(
                &["resourceVersion=15"],
                200,
                vec![event("MODIFIED", "a", "16")],
            ),
        ],
        false,
    );
    assert_eq!(
        events[..4],
        ["listing", "synced [a@1]", "live", "applied a@11"]
    );
    assert!(events[4].starts_with("retry #1 in "), "{}", events[4]);
    assert!(
        events[4].ends_with("cannot reach the API: connection reset"),
        "{}",
        events[4]
    );
    assert_eq!(events[5..], ["live", "applied a@16"]);
    assert_eq!(
        script
            .borrow()
            .requests
            .iter()
            .filter(|r| r.contains("limit="))
            .count(),
        1
    );
}

#[test]
fn rate_limit_waits_for_retry_after() {
    let mut limited = answer(&["resourceVersion=10"], 429, status(429, "TooManyRequests"));
    limited.headers = vec![("retry-after".into(), "7".into())];
    let (events, script) = run(
        vec![
            answer(&["limit=2"], 200, list("10", None, &[])),
            limited,
            answer(&["resourceVersion=10"], 200, vec![bookmark("12", false)]),
        ],
        false,
    );
    assert!(
        events[3].starts_with("retry #1 in 7000ms: HTTP 429: rate limited"),
        "{}",
        events[3]
    );
    assert!(script.borrow().sleeps.contains(&Duration::from_secs(7)));
    assert_eq!(events.last().map(String::as_str), Some("live"));
}

#[test]
fn server_error_storm_backs_off_exponentially_with_a_cap_then_recovers() {
    let mut answers = vec![answer(&["limit=2"], 200, list("10", None, &[]))];
    for _ in 0..8 {
        answers.push(answer(
            &["resourceVersion=10"],
            503,
            vec![Chunk::Data("upstream connect error".into())],
        ));
    }
    answers.push(answer(
        &["resourceVersion=10"],
        200,
        vec![event("ADDED", "x", "11")],
    ));
    let (events, script) = run(answers, false);
    let sleeps: Vec<u128> = script
        .borrow()
        .sleeps
        .iter()
        .map(Duration::as_millis)
        .collect();
    assert_eq!(sleeps.len(), 8, "{sleeps:?}");
    for (i, pair) in sleeps.windows(2).enumerate() {
        assert!(
            pair[1] >= pair[0] || pair[1] >= 30_000 * 3 / 4,
            "not growing at {i}: {sleeps:?}"
        );
    }
    // 800 ms, ×2, capped at 30 s; each ±25 %.
    assert!((600..=1000).contains(&sleeps[0]), "{sleeps:?}");
    assert!(sleeps.iter().all(|s| *s <= 37_500), "{sleeps:?}");
    assert!(
        events.iter().any(|e| e.starts_with("retry #8 ")
            && e.contains("HTTP 503")
            && e.contains("upstream connect error")),
        "{events:?}"
    );
    assert_eq!(events[events.len() - 2..], ["live", "applied x@11"]);
}

#[test]
fn silent_connection_hits_the_idle_deadline_and_reconnects() {
    let (events, script) = run(
        vec![
            answer(&["limit=2"], 200, list("10", None, &[])),
            answer(&["resourceVersion=10"], 200, vec![Chunk::Silence]),
            answer(&["resourceVersion=10"], 200, vec![bookmark("11", false)]),
        ],
        false,
    );
    assert!(
        script.borrow().sleeps.contains(&Duration::from_secs(230)),
        "deadline = timeout 200 s + grace 30 s"
    );
    assert!(
        events[3].contains("the connection went silent: no data for 230 s"),
        "{events:?}"
    );
}

#[test]
fn malformed_lines_are_reported_and_the_watch_resumes_before_them() {
    let (events, script) = run(
        vec![
            answer(&["limit=2"], 200, list("10", None, &[])),
            answer(
                &["resourceVersion=10"],
                200,
                vec![event("ADDED", "a", "11"), Chunk::Data("{not json\n".into())],
            ),
            answer(&["resourceVersion=11"], 200, vec![]),
        ],
        false,
    );
    assert!(
        events[4].contains("unexpected response: watch event:"),
        "{events:?}"
    );
    assert_eq!(script.borrow().requests.len(), 4);
}

#[test]
fn behind_a_full_gate_the_list_runs_at_once_and_the_watch_waits_its_turn() {
    let gate = WatchGate::new(1);
    let held = gate.try_enter().unwrap();
    let (events, script) = run_gated(
        vec![
            answer(&["limit=2"], 200, list("5", None, &[("a", "4")])),
            answer(
                &["watch=true", "resourceVersion=5"],
                200,
                vec![event("ADDED", "b", "6")],
            ),
        ],
        false,
        Some((gate.clone(), held)),
    );
    assert_eq!(
        events,
        [
            "listing",
            "synced [a@4]",
            "live",
            "waiting",
            "live",
            "applied b@6"
        ]
    );
    let requests = &script.borrow().requests;
    assert!(requests[0].contains("limit=2"), "the list did not wait");
    assert_eq!(
        requests[1], "(place given back)",
        "no watch before a place was free"
    );
    assert!(requests[2].contains("watch=true"));
    assert_eq!(gate.running(), 0, "the stopped watcher gave its place back");
}

#[test]
fn a_progressive_list_failing_half_way_shows_its_estimate_then_starts_over() {
    // The first page says how many objects are still to come (remainingItemCount).
    let first = format!(
        r#"{{"kind":"PodList","metadata":{{"resourceVersion":"20","continue":"t1","remainingItemCount":3}},"items":[{},{}]}}"#,
        pod("a", "1"),
        pod("b", "2")
    );
    let events = run_progressive(vec![
        answer(&["limit=2"], 200, vec![Chunk::Data(first)]),
        // The next page fails (not 410): the watcher retries the whole list.
        answer(&["continue=t1"], 500, status(500, "InternalError")),
        answer(
            &["limit=2"],
            200,
            list("30", None, &[("a", "1"), ("c", "3")]),
        ),
        answer(&["resourceVersion=30"], 200, vec![bookmark("31", false)]),
    ]);
    // The retried list opens with a first page (empty: it fits in one), so the store forgets the
    // failed attempt's `b`, and its snapshot is `a` and `c`.
    let retry = &events[2];
    assert!(
        retry.starts_with("retry #1 in ")
            && retry.ends_with("HTTP 500: request failed: scripted InternalError"),
        "{retry}"
    );
    assert_eq!(
        [&events[..2], &events[3..]].concat(),
        [
            "listing",
            "page [a@1,b@2] Some(3) more, first true",
            "page [] None more, first true",
            "synced [a@1,c@3]",
            "live"
        ]
    );
}
