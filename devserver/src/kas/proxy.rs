//! `/k8s-proxy/{*path}`: KAS admits the request, then hands it to the agent's real cluster
//! ([`crate::upstream`]) or to its simulated API server ([`crate::apiserver`]).

use super::{admit, kas_error, Kas};
use crate::apiserver;
use crate::http::parse_query;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;

/// The query string a real cluster gets: the browser's, less KAS's own parameters (the agent id
/// and the CSRF token are for KAS, not for the API server), otherwise byte for byte.
fn upstream_query(raw: Option<&str>) -> String {
    use lookout_client::api::query::decode;
    raw.unwrap_or("")
        .split('&')
        .filter(|p| {
            let key = decode(p.split_once('=').map_or(*p, |(k, _)| k));
            !p.is_empty() && key != "gitlab-agent-id" && key != "gitlab-csrf-token"
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Handles every request under `/k8s-proxy/`.
pub async fn proxy(
    State(kas): State<Kas>,
    method: Method,
    uri: Uri,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().strip_prefix("/k8s-proxy").unwrap_or(uri.path());
    let query = parse_query(raw.as_deref());
    let admitted = match admit(&kas.config, &method, &headers, &query) {
        Ok(a) => a,
        Err(answer) => return *answer,
    };
    let upstream = kas.upstreams.get(&admitted.agent);
    let mut response = match (upstream, kas.agents.get(&admitted.agent)) {
        (Some(up), _) => {
            let path_and_query = match upstream_query(raw.as_deref()) {
                q if q.is_empty() => path.to_owned(),
                q => format!("{path}?{q}"),
            };
            up.forward(&method, &path_and_query, &headers, body).await
        }
        (None, Some(cluster)) => {
            let request = apiserver::Request {
                method: &method,
                path,
                query: &query,
                headers: &headers,
                body: &body,
            };
            let identity = kas.identities.get(&admitted.agent);
            apiserver::serve(&kas.api, cluster, identity, &request)
        }
        // GitLab does not know the agent (or the user may not use it): KAS says 401.
        (None, None) => kas_error(401, "Unauthorized", true),
    };
    response.headers_mut().extend(admitted.cors);
    response
}
