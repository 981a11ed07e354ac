//! Forwarding to a real cluster (`--kubeconfig`) or a real GitLab KAS (`--kas-url`), with the
//! credentials held here so the browser never sees them. Responses, watches and logs stream
//! through unbuffered.

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::Value;
use std::sync::Arc;

/// A cluster reached over the network.
pub struct Upstream {
    /// Base URL the API paths are appended to (`https://host:6443`, `https://kas/k8s-proxy`).
    base: String,
    /// `Authorization` value sent upstream, if any.
    authorization: Option<String>,
    client: Client<hyper_rustls::HttpsConnector<HttpConnector>, Body>,
}

impl std::fmt::Debug for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upstream")
            .field("base", &self.base)
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// TLS settings for an upstream.
#[derive(Default)]
pub struct Tls {
    /// PEM CA bundle to trust instead of the system roots.
    pub ca_pem: Option<Vec<u8>>,
    /// PEM client certificate chain and key.
    pub client_cert: Option<(Vec<u8>, Vec<u8>)>,
    /// Skip server certificate verification (`insecure-skip-tls-verify`).
    pub insecure: bool,
}

/// Accepts any server certificate (only for `insecure-skip-tls-verify: true`).
#[derive(Debug)]
struct NoVerify(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &rustls::pki_types::ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

fn tls_config(tls: Tls) -> Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?;
    let builder = if tls.insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerify(provider)))
    } else {
        let mut roots = rustls::RootCertStore::empty();
        match &tls.ca_pem {
            Some(pem) => {
                for cert in CertificateDer::pem_slice_iter(pem) {
                    roots
                        .add(cert.map_err(|e| format!("CA certificate: {e}"))?)
                        .map_err(|e| format!("CA certificate: {e}"))?;
                }
            }
            None => {
                for cert in rustls_native_certs_or_empty() {
                    let _ = roots.add(cert);
                }
            }
        }
        builder.with_root_certificates(roots)
    };
    match tls.client_cert {
        Some((cert, key)) => {
            let chain = CertificateDer::pem_slice_iter(&cert)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("client certificate: {e}"))?;
            let key =
                PrivateKeyDer::from_pem_slice(&key).map_err(|e| format!("client key: {e}"))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| format!("client certificate: {e}"))
        }
        None => Ok(builder.with_no_client_auth()),
    }
}

/// The system's trusted roots (whatever of the store could be read).
fn rustls_native_certs_or_empty() -> Vec<CertificateDer<'static>> {
    rustls_native_certs::load_native_certs().certs
}

impl Upstream {
    /// An upstream at `base` (http or https) with an optional `Authorization` header value.
    pub fn new(
        base: &str,
        authorization: Option<String>,
        tls: Tls,
    ) -> Result<Arc<Upstream>, String> {
        let config = tls_config(tls)?;
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(config)
            .https_or_http()
            .enable_http1()
            .build();
        let client = Client::builder(TokioExecutor::new()).build(https);
        Ok(Arc::new(Upstream {
            base: base.trim_end_matches('/').to_owned(),
            authorization,
            client,
        }))
    }

    /// Forwards one request (path and query as the API server sees them) and streams the answer
    /// back. Browser credentials are not forwarded; this server's are added.
    pub async fn forward(
        &self,
        method: &Method,
        path_and_query: &str,
        headers: &HeaderMap,
        body: axum::body::Bytes,
    ) -> Response {
        let mut req = hyper::Request::builder()
            .method(method.clone())
            .uri(format!("{}{path_and_query}", self.base));
        for name in [header::ACCEPT, header::CONTENT_TYPE] {
            if let Some(v) = headers.get(&name) {
                req = req.header(name, v.clone());
            }
        }
        if let Some(auth) = &self.authorization {
            req = req.header(header::AUTHORIZATION, auth);
        }
        let req = match req.body(Body::from(body)) {
            Ok(r) => r,
            Err(e) => {
                return (StatusCode::BAD_REQUEST, format!("cannot forward: {e}")).into_response()
            }
        };
        match self.client.request(req).await {
            Ok(resp) => {
                let (parts, incoming) = resp.into_parts();
                let mut out = Response::new(Body::new(incoming));
                *out.status_mut() = parts.status;
                for name in [
                    header::CONTENT_TYPE,
                    header::RETRY_AFTER,
                    header::HeaderName::from_static("gitlab-unauthorized"),
                ] {
                    if let Some(v) = parts.headers.get(&name) {
                        out.headers_mut().insert(name, v.clone());
                    }
                }
                out
            }
            Err(e) => {
                let status = serde_json::json!({ "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                    "message": format!("lookout-dev cannot reach {}: {e}", self.base), "reason": "ServiceUnavailable", "code": 503 });
                crate::api::json_response(503, &status)
            }
        }
    }
}

fn read(path: &str, what: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{what} {path}: {e}"))
}

fn b64(data: &str, what: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|e| format!("kubeconfig {what}: not base64: {e}"))
}

/// Runs a kubeconfig `exec` credential plugin and returns its `ExecCredential` status.
fn exec_credential(exec: &Value) -> Result<Value, String> {
    let command = exec["command"]
        .as_str()
        .ok_or("kubeconfig user.exec.command is missing")?;
    let args: Vec<&str> = exec["args"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut cmd = std::process::Command::new(command);
    cmd.args(&args);
    for env in exec["env"].as_array().into_iter().flatten() {
        if let (Some(k), Some(v)) = (env["name"].as_str(), env["value"].as_str()) {
            cmd.env(k, v);
        }
    }
    let out = cmd
        .output()
        .map_err(|e| format!("exec plugin {command}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "exec plugin {command} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let cred: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("exec plugin {command}: not an ExecCredential: {e}"))?;
    Ok(cred["status"].clone())
}

/// An upstream from a kubeconfig file: the named (or current) context's cluster and user, with
/// token, token file, client certificate, or exec plugin credentials.
pub fn from_kubeconfig(path: &str, context: Option<&str>) -> Result<Arc<Upstream>, String> {
    let text = read(path, "kubeconfig")?;
    let config: Value =
        serde_norway::from_slice(&text).map_err(|e| format!("kubeconfig {path}: {e}"))?;
    let find = |list: &str, name: &str, key: &str| -> Result<Value, String> {
        config[list]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["name"] == name)
            .map(|e| e[key].clone())
            .ok_or_else(|| format!("kubeconfig: no {key} named {name:?}"))
    };
    let context_name = context
        .or(config["current-context"].as_str())
        .ok_or("kubeconfig: no current-context; pass --context")?;
    let ctx = find("contexts", context_name, "context")?;
    let cluster = find("clusters", ctx["cluster"].as_str().unwrap_or(""), "cluster")?;
    let user = find("users", ctx["user"].as_str().unwrap_or(""), "user")?;
    let server = cluster["server"]
        .as_str()
        .ok_or("kubeconfig cluster.server is missing")?;
    let field = |obj: &Value, data: &str, file: &str| -> Result<Option<Vec<u8>>, String> {
        match (obj[data].as_str(), obj[file].as_str()) {
            (Some(d), _) => b64(d, data).map(Some),
            (None, Some(f)) => read(f, file).map(Some),
            (None, None) => Ok(None),
        }
    };
    let mut tls = Tls {
        ca_pem: field(
            &cluster,
            "certificate-authority-data",
            "certificate-authority",
        )?,
        client_cert: None,
        insecure: cluster["insecure-skip-tls-verify"].as_bool() == Some(true),
    };
    let mut token = user["token"].as_str().map(str::to_owned);
    if let Some(f) = user["tokenFile"].as_str() {
        token = Some(
            String::from_utf8_lossy(&read(f, "tokenFile")?)
                .trim()
                .to_owned(),
        );
    }
    if let (Some(cert), Some(key)) = (
        field(&user, "client-certificate-data", "client-certificate")?,
        field(&user, "client-key-data", "client-key")?,
    ) {
        tls.client_cert = Some((cert, key));
    }
    if user["exec"].is_object() {
        let status = exec_credential(&user["exec"])?;
        if let Some(t) = status["token"].as_str() {
            token = Some(t.to_owned());
        }
        if let (Some(c), Some(k)) = (
            status["clientCertificateData"].as_str(),
            status["clientKeyData"].as_str(),
        ) {
            tls.client_cert = Some((c.as_bytes().to_vec(), k.as_bytes().to_vec()));
        }
    }
    Upstream::new(server, token.map(|t| format!("Bearer {t}")), tls)
}

/// An upstream GitLab KAS: `Authorization: Bearer pat:<agent>:<token>` from a token file.
pub fn from_kas(url: &str, agent_id: u64, token_file: &str) -> Result<Arc<Upstream>, String> {
    let token = String::from_utf8_lossy(&read(token_file, "token file")?)
        .trim()
        .to_owned();
    if token.is_empty() {
        return Err(format!("token file {token_file} is empty"));
    }
    Upstream::new(
        url,
        Some(format!("Bearer pat:{agent_id}:{token}")),
        Tls::default(),
    )
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
    use http_body_util::BodyExt;
    let token = String::from_utf8_lossy(&read(token_file, "token file")?)
        .trim()
        .to_owned();
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls_config(Tls::default())?)
        .https_or_http()
        .enable_http1()
        .build();
    let client: Client<_, Body> = Client::builder(TokioExecutor::new()).build(https);
    let url = format!("{}/api/v4/metadata", gitlab_url.trim_end_matches('/'));
    let request = hyper::Request::get(&url)
        .header("PRIVATE-TOKEN", token)
        .body(Body::empty())
        .map_err(|e| format!("{url}: {e}"))?;
    let response = client
        .request(request)
        .await
        .map_err(|e| format!("cannot reach {url}: {e}"))?;
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
