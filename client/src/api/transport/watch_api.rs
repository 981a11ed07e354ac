//! The messages of KAS's WebSocket watch aggregator (`<proxy>/watch`, subprotocol
//! `gitlab-agent-watch-api`), in the camelCase KAS's protojson writes: requests
//! `{"type":"watch","watchId","watchParams":{…}}` / `{"type":"unwatch","watchId"}`, answers
//! `{"type":"watch_event","watchId","watchEvent":{"type","object"}}`,
//! `{"type":"error","watchId","error":{"message","object"?}}` and `{"type":"watch_end","watchId"}`.
//! Platform-independent, so the protocol is tested natively; `ws_mux` carries it in the browser.

use crate::api::query::decode;
use serde_json::{json, Value};
use std::collections::HashMap;

/// The aggregator's watch params for a watch URL under `base`, or `None` if `url` is not a watch.
pub fn watch_params(base: &str, url: &str) -> Option<Value> {
    let rest = url.strip_prefix(base)?;
    let (path, query) = rest.split_once('?')?;
    let query: HashMap<String, String> = query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect();
    if query.get("watch").map(String::as_str) != Some("true") {
        return None;
    }
    let segs: Vec<String> = path.trim_matches('/').split('/').map(decode).collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let (group, version, rest) = match segs.as_slice() {
        ["api", v, rest @ ..] => ("", *v, rest),
        ["apis", g, v, rest @ ..] => (*g, *v, rest),
        _ => return None,
    };
    let (namespace, resource) = match rest {
        ["namespaces", ns, resource] => (*ns, *resource),
        [resource] => ("", *resource),
        _ => return None,
    };
    let mut params =
        json!({ "group": group, "version": version, "resource": resource, "namespace": namespace });
    for name in [
        "labelSelector",
        "fieldSelector",
        "resourceVersion",
        "resourceVersionMatch",
    ] {
        if let Some(v) = query.get(name) {
            params[name] = json!(v);
        }
    }
    for name in ["allowWatchBookmarks", "sendInitialEvents"] {
        if let Some(v) = query.get(name) {
            params[name] = json!(v == "true");
        }
    }
    if let Some(t) = query
        .get("timeoutSeconds")
        .and_then(|t| t.parse::<u64>().ok())
    {
        params["timeoutSeconds"] = json!(t);
    }
    Some(params)
}

/// The request starting watch `id`.
pub fn watch_message(id: &str, params: &Value) -> String {
    json!({ "type": "watch", "watchId": id, "watchParams": params }).to_string()
}

/// The request ending watch `id`.
pub fn unwatch_message(id: &str) -> String {
    json!({ "type": "unwatch", "watchId": id }).to_string()
}

/// What a message from the aggregator means for one watch.
#[derive(Debug, PartialEq)]
pub enum Answer {
    /// One event, as the JSON line an HTTP watch would carry (the watch goes on).
    Line(Vec<u8>),
    /// The API refused or ended the watch with this `Status`: an `ERROR` event line (the watch
    /// is over).
    Refused(Vec<u8>),
    /// The aggregator failed the watch without a `Status` (the watch is over).
    Failed(String),
    /// The server ended the watch (its timeout), as the end of an HTTP watch response.
    End,
}

/// Decodes one message: the watch it is for and what it says (`None` for a message this client
/// does not know).
pub fn decode_answer(msg: &Value) -> Option<(&str, Answer)> {
    let id = msg["watchId"].as_str()?;
    let answer = match msg["type"].as_str()? {
        "watch_event" => {
            let mut line = msg.get("watchEvent")?.to_string().into_bytes();
            line.push(b'\n');
            Answer::Line(line)
        }
        "error" => match msg["error"].get("object") {
            Some(status) => Answer::Refused(
                format!("{}\n", json!({ "type": "ERROR", "object": status })).into_bytes(),
            ),
            None => Answer::Failed(
                msg["error"]["message"]
                    .as_str()
                    .unwrap_or("watch failed")
                    .to_owned(),
            ),
        },
        "watch_end" => Answer::End,
        _ => return None,
    };
    Some((id, answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watch_urls_map_to_aggregator_params() {
        let base = "/k8s-proxy";
        let p = watch_params(base, "/k8s-proxy/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations?labelSelector=a%3Db&watch=true&allowWatchBookmarks=true&resourceVersion=42&timeoutSeconds=200").unwrap();
        assert_eq!(
            p,
            json!({ "group": "kustomize.toolkit.fluxcd.io", "version": "v1", "resource": "kustomizations",
                    "namespace": "flux-system", "labelSelector": "a=b", "resourceVersion": "42",
                    "allowWatchBookmarks": true, "timeoutSeconds": 200 })
        );
        let all = watch_params(base, "/k8s-proxy/api/v1/pods?watch=true").unwrap();
        assert_eq!(
            (all["group"].as_str(), all["namespace"].as_str()),
            (Some(""), Some(""))
        );
        assert!(
            watch_params(base, "/k8s-proxy/api/v1/pods?limit=500").is_none(),
            "lists go over fetch"
        );
        assert!(watch_params(base, "/elsewhere/api/v1/pods?watch=true").is_none());
    }

    #[test]
    fn requests_and_answers_use_kas_camel_case_names() {
        let sent: Value =
            serde_json::from_str(&watch_message("w1", &json!({ "resource": "pods" }))).unwrap();
        assert_eq!(
            sent,
            json!({ "type": "watch", "watchId": "w1", "watchParams": { "resource": "pods" } })
        );
        let sent: Value = serde_json::from_str(&unwatch_message("w1")).unwrap();
        assert_eq!(sent, json!({ "type": "unwatch", "watchId": "w1" }));

        let event = json!({ "type": "watch_event", "watchId": "w1", "watchEvent": { "type": "ADDED", "object": { "kind": "Pod" } } });
        let Some(("w1", Answer::Line(line))) = decode_answer(&event) else {
            panic!("an event line for w1");
        };
        assert_eq!(line.last(), Some(&b'\n'));
        let line: Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(line, event["watchEvent"]);
        let refused = json!({ "type": "error", "watchId": "w2", "error": { "message": "gone", "object": { "code": 410 } } });
        let Some(("w2", Answer::Refused(line))) = decode_answer(&refused) else {
            panic!("a refusal for w2");
        };
        let line: Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(line, json!({ "type": "ERROR", "object": { "code": 410 } }));
        let failed = json!({ "type": "error", "watchId": "w3", "error": { "message": "dropped" } });
        assert_eq!(
            decode_answer(&failed),
            Some(("w3", Answer::Failed("dropped".into())))
        );
        assert_eq!(
            decode_answer(&json!({ "type": "watch_end", "watchId": "w4" })),
            Some(("w4", Answer::End))
        );
        // The snake_case names an older emulator sent are not KAS's: ignored.
        assert_eq!(
            decode_answer(&json!({ "type": "watch_end", "watch_id": "w4" })),
            None
        );
    }
}
