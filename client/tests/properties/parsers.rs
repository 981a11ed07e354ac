//! Label and field selectors, app routes, query decoding and KAS's WebSocket watch messages.

use crate::json::{raw_text, tricky_string, value};
use lookout_client::api::access::{decode_review, AccessQuery};
use lookout_client::api::actions::Action;
use lookout_client::api::query::{decode, encode};
use lookout_client::api::selector::{FieldSelector, LabelSelector};
use lookout_client::api::transport::watch_api::{decode_answer, watch_params, Answer};
use lookout_client::view::route::{ObjectRoute, Route};
use lookout_client::{ApiStatus, Error};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// An operator of the API's label selector grammar.
#[derive(Debug, Clone, Copy)]
enum Op {
    Eq,
    Ne,
    In,
    NotIn,
    Exists,
    NotExists,
}

/// One label requirement, written as the grammar allows, with its meaning (`values` has one
/// value for `=` and `!=`, none for existence tests).
#[derive(Debug, Clone)]
struct Req {
    key: String,
    op: Op,
    values: Vec<String>,
}

impl Req {
    fn text(&self) -> String {
        let (k, vs) = (&self.key, &self.values);
        match self.op {
            Op::Eq => format!("{k}={}", vs[0]),
            Op::Ne => format!("{k} != {}", vs[0]),
            Op::In => format!("{k} in ({})", vs.join(",")),
            Op::NotIn => format!("{k} notin ( {} )", vs.join(", ")),
            Op::Exists => k.clone(),
            Op::NotExists => format!("!{k}"),
        }
    }

    fn holds(&self, labels: &BTreeMap<String, String>) -> bool {
        let have = labels.get(&self.key);
        let listed = have.is_some_and(|x| self.values.contains(x));
        match self.op {
            Op::Eq | Op::In => listed,
            Op::Ne | Op::NotIn => !listed,
            Op::Exists => have.is_some(),
            Op::NotExists => have.is_none(),
        }
    }
}

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["app", "tier", "example.com/team", "a-b_c.d"]).prop_map(str::to_owned)
}

fn label_value() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["web", "db", "v1.2", "x_y-z"]).prop_map(str::to_owned)
}

fn requirement() -> impl Strategy<Value = Req> {
    let ops = [Op::Eq, Op::Ne, Op::In, Op::NotIn, Op::Exists, Op::NotExists];
    (
        key(),
        prop::sample::select(ops.to_vec()),
        prop::collection::vec(label_value(), 1..4),
    )
        .prop_map(|(key, op, mut values)| {
            match op {
                Op::Eq | Op::Ne => values.truncate(1),
                Op::Exists | Op::NotExists => values.clear(),
                Op::In | Op::NotIn => {}
            }
            Req { key, op, values }
        })
}

/// A part of a URL path: mostly ordinary names, sometimes anything but empty (no object has an
/// empty name, kind or version).
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![3 => "[a-z0-9.-]{1,12}", 1 => tricky_string(), 1 => any::<String>()]
        .prop_filter("not empty", |s| !s.is_empty())
}

proptest! {
    #[test]
    fn label_selectors_match_as_the_api_defines(
        reqs in prop::collection::vec(requirement(), 0..5),
        labels in prop::collection::btree_map(key(), label_value(), 0..4),
    ) {
        let text: Vec<String> = reqs.iter().map(Req::text).collect();
        let selector = LabelSelector::parse(&text.join(","));
        prop_assert!(selector.is_ok(), "{:?}: {:?}", text, selector);
        let obj = json!({ "metadata": { "labels": labels } });
        let want = reqs.iter().all(|r| r.holds(&labels));
        prop_assert_eq!(selector.unwrap_or_default().matches(&obj), want, "{:?}", text);
    }

    #[test]
    fn any_selector_text_parses_or_names_the_bad_part(s in tricky_string(), obj in value()) {
        match LabelSelector::parse(&s) {
            Ok(sel) => { let _ = sel.matches(&obj); }
            Err(e) => prop_assert!(e.starts_with("unable to parse requirement: "), "{}", e),
        }
        match FieldSelector::parse(&s) {
            Ok(sel) => { let _ = sel.matches(&obj); }
            Err(e) => prop_assert!(
                e.starts_with("invalid selector: ") || e.starts_with("invalid field selector: "),
                "{}", e
            ),
        }
    }

    #[test]
    fn query_components_decode_what_encode_wrote(s in any::<String>(), junk in tricky_string()) {
        prop_assert_eq!(decode(&encode(&s)), s);
        let _ = decode(&junk);
    }

    #[test]
    fn any_path_is_a_route_and_pages_round_trip(
        path in prop_oneof![
            any::<String>(),
            prop::collection::vec(segment(), 0..8).prop_map(|s| format!("/{}", s.join("/"))),
        ],
        legacy in proptest::option::of(tricky_string()),
        object in (segment(), segment(), segment(), segment(), segment()),
    ) {
        let route = Route::parse(&path, legacy.as_deref());
        let _ = route.path();
        let (group, version, kind, namespace, name) = object;
        let detail = ObjectRoute { group, version, kind, namespace, name };
        let normal = |mut o: ObjectRoute| {
            // `core` and `_` stand for the core group and no namespace.
            if o.group == "core" { o.group.clear(); }
            if o.namespace == "_" { o.namespace.clear(); }
            o
        };
        prop_assert_eq!(Route::parse(&detail.path(), None), Route::Detail(normal(detail)));
    }

    #[test]
    fn any_watch_url_maps_to_params_or_none(
        segs in prop::collection::vec(segment(), 0..7),
        params in prop::collection::vec((tricky_string(), tricky_string()), 0..6),
        api in prop::sample::select(vec!["api", "apis", "x"]),
    ) {
        let query: Vec<String> = params.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
        let url = format!("/k8s-proxy/{api}/{}?{}&watch=true", segs.join("/"), query.join("&"));
        if let Some(p) = watch_params("/k8s-proxy", &url) {
            prop_assert!(p["resource"].is_string() && p["version"].is_string(), "{}", p);
        }
        let _ = watch_params("/k8s-proxy", &format!("/k8s-proxy/{}", segs.join("/")));
    }

    #[test]
    fn any_aggregator_message_is_an_answer_or_ignored(
        msg in prop_oneof![
            value(),
            (prop::sample::select(vec!["watch_event", "error", "watch_end", "watch"]),
             value(), value(), value())
                .prop_map(|(t, id, event, error)| json!({ "type": t, "watchId": id,
                    "watchEvent": event, "error": error })),
            (value(), value()).prop_map(|(message, object)| json!({ "type": "error",
                "watchId": "w", "error": { "message": message, "object": object } })),
        ],
    ) {
        let Some((id, answer)) = decode_answer(&msg) else { return Ok(()) };
        prop_assert_eq!(Some(id), msg["watchId"].as_str());
        match answer {
            // Every line the HTTP path would then decode is one JSON line.
            Answer::Line(line) | Answer::Refused(line) => {
                prop_assert_eq!(line.iter().filter(|b| **b == b'\n').count(), 1);
                prop_assert!(serde_json::from_slice::<Value>(&line).is_ok());
            }
            Answer::Failed(message) => prop_assert!(!message.is_empty() || msg["error"]["message"] == ""),
            Answer::End => {}
        }
    }

    /// Error answers (any status code, headers and body) become an error that can be shown.
    #[test]
    fn any_error_answer_is_an_error_to_show(
        code in any::<u16>(),
        retry_after in prop_oneof![tricky_string(), any::<u64>().prop_map(|n| n.to_string())],
        body in prop_oneof![
            raw_text(),
            value().prop_map(|v| v.to_string().into_bytes()),
            (value(), value(), value()).prop_map(|(code, message, details)| json!({ "kind": "Status",
                "code": code, "message": message, "details": details }).to_string().into_bytes()),
        ],
    ) {
        let headers = [("Retry-After".to_owned(), retry_after.clone()),
                       ("Gitlab-Unauthorized".to_owned(), "true".to_owned())];
        let e = Error::from_response(code, &headers, &body);
        prop_assert!(!e.to_string().is_empty());
        let _ = (e.kind(), e.is_expired(), e.is_client_error());
        if let Ok(n) = retry_after.trim().parse::<u64>() {
            prop_assert_eq!(e.retry_after(), Some(n));
        }
        let _ = ApiStatus::from_body(&body);
        let query = AccessQuery::for_action(&lookout_client::model::kinds::POD, "app", &Action::Restart);
        if let Err(e) = decode_review(&query, &body) {
            prop_assert!(e.to_string().starts_with("unexpected response: access review: "), "{}", e);
        }
    }
}
