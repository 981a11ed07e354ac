//! Forwarding to real clusters (`--kubeconfig`) or a real GitLab KAS (`--kas-url`) through the
//! `kube` client: kubeconfig loading (`KUBECONFIG`, `~/.kube/config`, paths relative to the file),
//! exec plugins and token files refreshed as kubectl does, client certificates, CAs, proxies. The
//! credentials stay in this server; responses, watches and logs stream through unbuffered.

use crate::http::status::ApiError;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderName, Method, Request, StatusCode};
use axum::response::Response;
use http_body_util::BodyExt;
use kube::config::{KubeConfigOptions, Kubeconfig};
use serde_json::Value;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A cluster reached over the network.
pub struct Upstream {
    /// Shown in the agent picker: the kubeconfig context, or the KAS URL.
    name: String,
    /// Where requests go, for error messages (never carries credentials).
    base: String,
    /// What the client is built from, again when its credentials are refused.
    config: kube::Config,
    client: Mutex<Client>,
    /// Held while a new client is built, so concurrent refusals build one.
    renewing: tokio::sync::Mutex<()>,
}

/// A `kube` client and when it was built.
#[derive(Clone)]
struct Client {
    kube: kube::Client,
    built: Instant,
}

/// The shortest time between two client rebuilds after a `401`: wrong credentials do not run an
/// exec plugin on every request.
const RENEW_AFTER: Duration = Duration::from_secs(1);

impl std::fmt::Debug for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upstream")
            .field("name", &self.name)
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

/// Response headers passed on to the browser; everything else (`Set-Cookie`, `WWW-Authenticate`,
/// …) stays here.
const PASSED_HEADERS: [HeaderName; 3] = [
    header::CONTENT_TYPE,
    header::RETRY_AFTER,
    HeaderName::from_static("gitlab-unauthorized"),
];

impl Upstream {
    /// An upstream from a `kube` client configuration, shown as `name`.
    pub fn from_config(name: &str, mut config: kube::Config) -> Result<Arc<Upstream>, String> {
        // The browser retries by itself (and must see a 429's Retry-After), so no retries here.
        config.default_retry = false;
        let base = without_userinfo(&config.cluster_url.to_string());
        let kube =
            build(&config).map_err(|e| format!("cannot set up the client for {name}: {e}"))?;
        Ok(Arc::new(Upstream {
            name: name.to_owned(),
            base: base.trim_end_matches('/').to_owned(),
            config,
            client: Mutex::new(Client {
                kube,
                built: Instant::now(),
            }),
            renewing: tokio::sync::Mutex::new(()),
        }))
    }

    /// An upstream at `url` (http or https, system CAs) sending `Authorization: Bearer <token>`.
    pub fn new(url: &str, bearer: Option<String>) -> Result<Arc<Upstream>, String> {
        let uri = url
            .parse()
            .map_err(|e| format!("invalid upstream URL {url:?}: {e}"))?;
        let mut config = kube::Config::new(uri);
        config.auth_info.token = bearer.map(Into::into);
        Upstream::from_config(&without_userinfo(url), config)
    }

    /// The name the agent picker shows.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn client(&self) -> Option<Client> {
        self.client.lock().ok().map(|c| c.clone())
    }

    /// A new client with fresh credentials (exec plugin run again, token and certificate files
    /// read again), unless `used` is younger than `RENEW_AFTER` or the credentials are static.
    /// `kube` renews exec tokens before they expire; this is for a server refusing credentials
    /// earlier (a rotated token file, a revoked token), as client-go's exec authenticator does on
    /// a 401.
    async fn renew(&self, used: &Client) -> Option<Client> {
        let auth = &self.config.auth_info;
        if (auth.exec.is_none() && auth.token_file.is_none()) || used.built.elapsed() < RENEW_AFTER
        {
            return None;
        }
        let _one_at_a_time = self.renewing.lock().await;
        if let Some(current) = self.client().filter(|c| c.built > used.built) {
            return Some(current); // another request renewed it already
        }
        let config = self.config.clone();
        let kube = tokio::task::spawn_blocking(move || build(&config))
            .await
            .ok()?
            .map_err(|e| {
                eprintln!(
                    "lookout-dev: cannot renew the credentials of {}: {e}",
                    self.name
                )
            })
            .ok()?;
        let fresh = Client {
            kube,
            built: Instant::now(),
        };
        if let Ok(mut current) = self.client.lock() {
            *current = fresh.clone();
        }
        Some(fresh)
    }

    /// Sends one request (path and query as the API server sees them, headers already chosen)
    /// and returns the answer, its body still streaming.
    /// A `401` is tried once more with renewed credentials.
    async fn send(&self, request: Request<Bytes>) -> Result<Response, String> {
        let client = self
            .client()
            .ok_or_else(|| format!("the client for {} is unusable", self.name))?;
        let again = copy(&request);
        let mut response = self.send_with(&client.kube, request).await?;
        if response.status() == StatusCode::UNAUTHORIZED {
            if let (Some(fresh), Some(again)) = (self.renew(&client).await, again) {
                response = self.send_with(&fresh.kube, again).await?;
            }
        }
        let (parts, incoming) = response.into_parts();
        let mut out = Response::new(Body::new(incoming));
        *out.status_mut() = parts.status;
        for name in PASSED_HEADERS {
            if let Some(v) = parts.headers.get(&name) {
                out.headers_mut().insert(name, v.clone());
            }
        }
        Ok(out)
    }

    /// Sends one request through `client`; the answer's body still streams.
    async fn send_with(
        &self,
        client: &kube::Client,
        request: Request<Bytes>,
    ) -> Result<axum::http::Response<kube::client::Body>, String> {
        let (parts, body) = request.into_parts();
        let request = Request::from_parts(parts, kube::client::Body::from(body));
        client.send(request).await.map_err(|e| match e {
            // The detail may quote the exec plugin's output: it stays in this server's terminal.
            kube::Error::Auth(detail) => {
                eprintln!(
                    "lookout-dev: credentials for {}: {}",
                    self.name,
                    auth_failure(&detail)
                );
                format!("lookout-dev cannot get credentials for {} (its exec plugin or token file failed; see lookout-dev's output)", self.name)
            }
            e => format!("lookout-dev cannot reach {}: {e}", self.base),
        })
    }

    /// Forwards one request (path and query as the API server sees them) and streams the answer
    /// back. Browser credentials are not forwarded; this server's are added. An unreachable
    /// upstream is a `503 ServiceUnavailable` `Status`.
    pub async fn forward(
        &self,
        method: &Method,
        path_and_query: &str,
        headers: &HeaderMap,
        body: Bytes,
    ) -> Response {
        let mut request = Request::builder()
            .method(method.clone())
            .uri(path_and_query);
        for name in [header::ACCEPT, header::CONTENT_TYPE] {
            if let Some(v) = headers.get(&name) {
                request = request.header(name, v.clone());
            }
        }
        let sent = match request.body(body) {
            Ok(request) => self.send(request).await,
            Err(e) => Err(format!("cannot forward {path_and_query:?}: {e}")),
        };
        sent.unwrap_or_else(|message| {
            crate::http::json_response(503, &ApiError::from_code(503, message).to_status())
        })
    }
}

/// A URL without its `user:password@` part, to be shown (in logs, in `Status` messages). A
/// password with an unescaped `/` (`https://u:pa/ss@host`, `https://u:12/34@host`) leaves a
/// `user:…` authority and an `@` further on: then everything up to the last `@` goes (a path
/// with an `@` after a host and port is shown short, a price paid for never showing a password).
fn without_userinfo(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
    let query = rest
        .find(['?', '#'])
        .unwrap_or(rest.len())
        .max(authority.len());
    let broken = !authority.starts_with('[')
        && authority.contains(':')
        && rest[authority.len()..query].contains('@');
    let end = if broken { query } else { authority.len() };
    let rest = match rest[..end].rfind('@') {
        Some(at) => &rest[at + 1..],
        None => rest,
    };
    match scheme {
        "" => rest.to_owned(),
        scheme => format!("{scheme}://{rest}"),
    }
}

/// What went wrong getting credentials, without the detail `kube` gives: that may quote an exec
/// plugin's output (a token) or its arguments.
fn auth_failure(error: &kube::client::AuthError) -> String {
    use kube::client::AuthError as E;
    match error {
        E::AuthExecRun { out, .. } => format!("the exec plugin failed ({})", out.status),
        E::AuthExecStart(e) => format!("the exec plugin could not be started ({})", e.kind()),
        E::AuthExecParse(_) => "the exec plugin's output is not an ExecCredential".into(),
        E::ExecPluginFailed => "the exec plugin's ExecCredential has no status".into(),
        E::ReadTokenFile(e, path) => {
            format!(
                "cannot read the token file {} ({})",
                path.display(),
                e.kind()
            )
        }
        _ => "the credentials could not be loaded".into(),
    }
}

/// A client from `config`. A token file is read here, its token trimmed as client-go does (`kube`
/// would send a file's final newline and fail); it is read again when the server refuses it.
fn build(config: &kube::Config) -> Result<kube::Client, String> {
    let mut config = config.clone();
    if let (None, Some(path)) = (&config.auth_info.token, config.auth_info.token_file.take()) {
        config.auth_info.token = Some(read_token(&path)?.into());
    }
    // Building runs an exec plugin: its failure is told without its output.
    kube::Client::try_from(config).map_err(|e| match e {
        kube::Error::Auth(auth) => auth_failure(&auth),
        e => e.to_string(),
    })
}

/// A second copy of a request (its body is in memory).
fn copy(request: &Request<Bytes>) -> Option<Request<Bytes>> {
    let mut builder = Request::builder()
        .method(request.method().clone())
        .uri(request.uri().clone());
    for (name, value) in request.headers() {
        builder = builder.header(name, value);
    }
    builder.body(request.body().clone()).ok()
}

/// One upstream per kubeconfig context: `contexts` (agents 1..N in that order), or the current
/// context when none is named. `path` is the kubeconfig file; without it `KUBECONFIG` (files
/// merged as kubectl does) or `~/.kube/config`. Relative paths in a file resolve against its
/// directory.
pub async fn from_kubeconfig(
    path: Option<&Path>,
    contexts: &[String],
) -> Result<Vec<Arc<Upstream>>, String> {
    let (kubeconfig, source) = match path {
        Some(p) => (Kubeconfig::read_from(p), p.display().to_string()),
        None => (
            Kubeconfig::read(),
            std::env::var("KUBECONFIG").unwrap_or_else(|_| "~/.kube/config".into()),
        ),
    };
    let kubeconfig = kubeconfig.map_err(|e| format!("kubeconfig {source}: {}", unquoted(&e)))?;
    let names = match contexts {
        [] => vec![kubeconfig
            .current_context
            .clone()
            .ok_or_else(|| format!("kubeconfig {source}: no current-context; pass --context"))?],
        named => named.to_vec(),
    };
    let secrets = secrets_of(&kubeconfig);
    let failed = |name: &str, e: &dyn std::fmt::Display| {
        let message = redacted(&e.to_string(), &secrets);
        format!("kubeconfig {source}, context {name:?}: {message}")
    };
    let mut upstreams = Vec::with_capacity(names.len());
    for name in names {
        if !kubeconfig.contexts.iter().any(|c| c.name == name) {
            return Err(format!("kubeconfig {source}: no context named {name:?}"));
        }
        let options = KubeConfigOptions {
            context: Some(name.clone()),
            ..KubeConfigOptions::default()
        };
        let config = kube::Config::from_custom_kubeconfig(kubeconfig.clone(), &options)
            .await
            .map_err(|e| failed(&name, &e))?;
        upstreams.push(Upstream::from_config(&name, config).map_err(|e| failed(&name, &e))?);
    }
    Ok(upstreams)
}

/// The credentials a kubeconfig holds: every string of its users but their names and file
/// paths, and the passwords in its clusters' URLs (an error message must not quote any of them).
fn secrets_of(kubeconfig: &Kubeconfig) -> Vec<String> {
    fn strings(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(s) => out.push(s.clone()),
            Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
            // Paths of files (which hold the secrets) are worth showing in an error.
            Value::Object(map) => map
                .iter()
                .filter(|(k, _)| {
                    !matches!(
                        k.as_str(),
                        "client-certificate" | "client-key" | "tokenFile"
                    )
                })
                .for_each(|(_, v)| strings(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for user in &kubeconfig.auth_infos {
        // Serializing exposes the secret strings (kube writes kubeconfigs with it).
        strings(
            &serde_json::to_value(&user.auth_info).unwrap_or_default(),
            &mut out,
        );
    }
    for cluster in kubeconfig
        .clusters
        .iter()
        .filter_map(|c| c.cluster.as_ref())
    {
        let server = cluster.server.as_deref().unwrap_or_default();
        let shown = without_userinfo(server);
        // `scheme://userinfo@rest` is shown as `scheme://rest`: what went is the userinfo.
        let kept = shown.split_once("://").map_or(shown.as_str(), |(_, r)| r);
        let rest = server.split_once("://").map_or(server, |(_, r)| r);
        if let Some(userinfo) = rest.strip_suffix(kept).and_then(|u| u.strip_suffix('@')) {
            out.push(userinfo.to_owned());
            out.extend(userinfo.split(':').map(str::to_owned));
        }
    }
    // Too short to be a credential (and replacing them would garble the message).
    out.retain(|s| s.len() >= 4);
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out
}

/// `message` with each of `secrets` replaced by `…`.
fn redacted(message: &str, secrets: &[String]) -> String {
    secrets.iter().fold(message.to_owned(), |m, secret| {
        m.replace(secret.as_str(), "…")
    })
}

/// A kubeconfig error without the file's text: its first line, with quoted values elided. The
/// parser's messages quote the input (`invalid type: string "<token>"`, a snippet of the line),
/// and a kubeconfig holds tokens and keys.
fn unquoted(error: &impl std::fmt::Display) -> String {
    let text = error.to_string();
    let first = text.lines().next().unwrap_or_default();
    let parts: Vec<&str> = first
        .split('"')
        .enumerate()
        .map(|(i, part)| if i % 2 == 0 { part } else { "…" })
        .collect();
    parts.join("\"")
}

fn read_token(path: &str) -> Result<String, String> {
    let token = std::fs::read_to_string(path)
        .map_err(|e| format!("token file {path}: {e}"))?
        .trim()
        .to_owned();
    if token.is_empty() {
        return Err(format!("token file {path} is empty"));
    }
    Ok(token)
}

/// An upstream GitLab KAS: `Authorization: Bearer pat:<agent>:<token>` from a token file.
pub fn from_kas(url: &str, agent_id: u64, token_file: &str) -> Result<Arc<Upstream>, String> {
    let token = read_token(token_file)?;
    Upstream::new(url, Some(format!("pat:{agent_id}:{token}")))
}

/// The KAS Kubernetes API proxy URL in GitLab's `/api/v4/metadata` answer:
/// `kas.externalK8sProxyUrl`, else `kas.externalUrl` (`wss://kas.example.com` →
/// `https://kas.example.com/k8s-proxy`).
pub fn k8s_proxy_url(metadata: &Value) -> Result<String, String> {
    let kas = metadata
        .get("kas")
        .ok_or("GitLab's metadata has no \"kas\" section (GitLab older than 15.0?)")?;
    if kas.get("enabled").and_then(Value::as_bool) == Some(false) {
        return Err("the GitLab agent server (KAS) is not enabled on this GitLab instance".into());
    }
    if let Some(url) = kas.get("externalK8sProxyUrl").and_then(Value::as_str) {
        return Ok(url.trim_end_matches('/').to_owned());
    }
    let external = kas
        .get("externalUrl")
        .and_then(Value::as_str)
        .ok_or("GitLab's metadata names no KAS URL (kas.externalK8sProxyUrl or kas.externalUrl)")?;
    let http = if let Some(rest) = external.strip_prefix("wss://") {
        format!("https://{rest}")
    } else if let Some(rest) = external.strip_prefix("ws://") {
        format!("http://{rest}")
    } else if external.starts_with("https://") || external.starts_with("http://") {
        external.to_owned()
    } else {
        // `grpcs://` is the agents' endpoint, not the browser's: the proxy URL must be given.
        return Err(format!(
            "KAS's external URL {external:?} is not a web URL; pass --kas-url with its k8s-proxy URL"
        ));
    };
    Ok(format!("{}/k8s-proxy", http.trim_end_matches('/')))
}

/// Asks GitLab (`--gitlab-url`) where its KAS proxies the Kubernetes API, with the token of
/// `token_file` (`PRIVATE-TOKEN`; scope `read_api` or `k8s_proxy`).
pub async fn kas_url_from_gitlab(gitlab_url: &str, token_file: &str) -> Result<String, String> {
    let token = read_token(token_file)?;
    let gitlab = Upstream::new(gitlab_url, None)?;
    let url = format!("{}/api/v4/metadata", gitlab.base);
    let request = Request::get("/api/v4/metadata")
        .header("PRIVATE-TOKEN", token)
        .body(Bytes::new())
        .map_err(|e| format!("{url}: {e}"))?;
    let response = gitlab.send(request).await?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("{url}: {e}"))?
        .to_bytes();
    if !status.is_success() {
        return Err(format!(
            "{url} answered {status}: {}",
            String::from_utf8_lossy(&body)
                .chars()
                .take(200)
                .collect::<String>()
        ));
    }
    let metadata: Value =
        serde_json::from_slice(&body).map_err(|e| format!("{url} is not JSON: {e}"))?;
    k8s_proxy_url(&metadata)
}

#[cfg(test)]
mod tests {
    use super::{auth_failure, build, without_userinfo};
    use kube::client::AuthError;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn urls_shown_carry_no_password() {
        for (url, shown) in [
            (
                "https://admin:s3cret@api.example:6443/",
                "https://api.example:6443/",
            ),
            (
                "http://user@10.0.0.1:8080/k8s-proxy",
                "http://10.0.0.1:8080/k8s-proxy",
            ),
            ("https://api.example/path@x", "https://api.example/path@x"),
            (
                "https://admin:pa/ss@api.example:6443/",
                "https://api.example:6443/",
            ),
            ("https://u:12/34@api.example/", "https://api.example/"),
            ("https://[::1]:6443/a@b", "https://[::1]:6443/a@b"),
        ] {
            assert_eq!(without_userinfo(url), shown);
        }
    }

    #[test]
    fn an_exec_plugins_output_stays_out_of_the_log() {
        let failed = AuthError::AuthExecRun {
            cmd: "\"get-token\" \"--secret=hunter2\"".into(),
            out: Box::new(std::process::Output {
                status: std::process::ExitStatus::from_raw(1 << 8),
                stdout: b"{\"status\":{\"token\":\"hunter2\"}}".to_vec(),
                stderr: b"hunter2".to_vec(),
            }),
        };
        let logged = auth_failure(&failed);
        // As building a client runs the plugin and fails.
        let mut config = kube::Config::new("https://api.example".parse().unwrap());
        config.auth_info.exec = Some(kube::config::ExecConfig {
            api_version: Some("client.authentication.k8s.io/v1".into()),
            command: Some("sh".into()),
            args: Some(vec!["-c".into(), "echo hunter2; exit 3".into()]),
            ..Default::default()
        });
        assert_eq!(
            build(&config).err().as_deref(),
            Some("the exec plugin failed (exit status: 3)")
        );
        assert_eq!(logged, "the exec plugin failed (exit status: 1)");
        assert!(
            failed.to_string().contains("hunter2"),
            "kube's own message has it"
        );
    }
}
