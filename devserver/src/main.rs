//! `lookout-dev` command line: parses options, seeds the simulated clusters and serves.

use lookout_devserver::cluster::Cluster;
use lookout_devserver::kas::{AuthMode, KasConfig};
use lookout_devserver::upstream::{self, Upstream};
use lookout_devserver::{router, seed, AppState};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

struct Options {
    host: String,
    port: u16,
    dist: PathBuf,
    history: usize,
    bookmark_interval: Duration,
    watch_list: bool,
    kas: KasConfig,
    seed: u64,
    scale: usize,
    /// `--kubeconfig` given (with its path, if one follows).
    kubeconfig: Option<Option<PathBuf>>,
    contexts: Vec<String>,
    kas_url: Option<String>,
    agent_id: u64,
    token_file: Option<String>,
    latency: Duration,
    preflight_latency: Duration,
    gitlab_port: Option<u16>,
    gitlab_url: Option<String>,
}

const USAGE: &str = "usage: lookout-dev status [FILE|-] [--now RFC3339]
       lookout-dev [--host 127.0.0.1] [--port 8080] [--dist dist] [--history 10000]
                   [--bookmark-seconds 60] [--no-watch-list] [--seed 1] [--scale N] [--latency-ms N] [--preflight-latency-ms N]
                   [--gitlab-port N] [--open | --strict] [--gitlab-origin URL] [--pat TOKEN] [--session COOKIE:CSRF]
                   [--kubeconfig [PATH] [--context NAME]... [--contexts A,B] | (--kas-url URL | --gitlab-url URL) --agent-id N --token-file FILE]

Agent 1 is the demo cluster, agent 2 a small staging cluster, agent 4 the demo cluster as a user
who may only read the flux-system namespace (simulated RBAC). With --kubeconfig (no PATH: KUBECONFIG
or ~/.kube/config) the agents are real clusters instead: the current context, or each --context in
order as agents 1..N; with --kas-url, agent 1 is that KAS's agent. Credentials stay in this server. Same-origin callers (the app this
server serves) need no credentials unless --strict; --open admits every caller. Cross-origin
callers must come from --gitlab-origin and use the GitLab session (cookie _gitlab_kas,
GitLab-Agent-Id, X-CSRF-Token) or a PAT (Authorization: Bearer pat:<agent>:<token>). Real clusters
on a --host other than loopback need --strict and your own --pat or --session.
--gitlab-port N serves the embed demo page (/embed-demo.html) as GitLab would, on its own origin
(default: --port + 1; 0 turns it off); the KAS emulation accepts that origin unless --gitlab-origin
names another.
--latency-ms N holds every answer under /k8s-proxy/ for N ms before its headers (a slow network);
--preflight-latency-ms N holds CORS preflights there N ms more (Chromium's network emulation, as
DevTools or a benchmark sets it, delays every request but the preflights).";

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut opts = Options {
        host: "127.0.0.1".into(),
        port: 8080,
        dist: PathBuf::from("dist"),
        history: 10_000,
        bookmark_interval: Duration::from_secs(60),
        watch_list: true,
        kas: KasConfig::default(),
        seed: 1,
        scale: 0,
        kubeconfig: None,
        contexts: Vec::new(),
        kas_url: None,
        agent_id: 1,
        token_file: None,
        latency: Duration::ZERO,
        preflight_latency: Duration::ZERO,
        gitlab_port: None,
        gitlab_url: None,
    };
    let mut args = args.iter().cloned().peekable();
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--help" | "-h" => return Err(USAGE.into()),
            // The path is optional: without it, KUBECONFIG or ~/.kube/config.
            "--kubeconfig" => {
                opts.kubeconfig = Some(args.next_if(|a| !a.starts_with("--")).map(PathBuf::from))
            }
            "--no-watch-list" => opts.watch_list = false,
            "--open" => opts.kas.mode = AuthMode::Open,
            "--strict" => opts.kas.mode = AuthMode::Strict,
            _ => {
                let value = args
                    .next()
                    .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
                let bad =
                    |e: &dyn std::fmt::Display| format!("invalid value {value:?} for {flag}: {e}");
                match flag.as_str() {
                    "--host" => opts.host = value,
                    "--port" => opts.port = value.parse().map_err(|e| bad(&e))?,
                    "--dist" => opts.dist = PathBuf::from(value),
                    "--history" => opts.history = value.parse().map_err(|e| bad(&e))?,
                    "--bookmark-seconds" => {
                        opts.bookmark_interval =
                            Duration::from_secs(value.parse().map_err(|e| bad(&e))?)
                    }
                    "--context" => opts.contexts.push(value),
                    "--contexts" => opts.contexts.extend(
                        value
                            .split(',')
                            .filter(|c| !c.is_empty())
                            .map(str::to_owned),
                    ),
                    "--kas-url" => opts.kas_url = Some(value),
                    "--gitlab-url" => opts.gitlab_url = Some(value),
                    "--agent-id" => opts.agent_id = value.parse().map_err(|e| bad(&e))?,
                    "--token-file" => opts.token_file = Some(value),
                    "--scale" => opts.scale = value.parse().map_err(|e| bad(&e))?,
                    "--latency-ms" => {
                        opts.latency = Duration::from_millis(value.parse().map_err(|e| bad(&e))?)
                    }
                    "--preflight-latency-ms" => {
                        opts.preflight_latency =
                            Duration::from_millis(value.parse().map_err(|e| bad(&e))?)
                    }
                    "--gitlab-port" => opts.gitlab_port = Some(value.parse().map_err(|e| bad(&e))?),
                    "--seed" => opts.seed = value.parse().map_err(|e| bad(&e))?,
                    "--gitlab-origin" => {
                        opts.kas.gitlab_origin = Some(value.trim_end_matches('/').to_owned())
                    }
                    "--pat" => opts.kas.tokens = vec![value],
                    "--session" => {
                        let (cookie, csrf) = value
                            .split_once(':')
                            .ok_or_else(|| bad(&"expected COOKIE:CSRF"))?;
                        opts.kas.sessions = vec![(cookie.to_owned(), csrf.to_owned())];
                    }
                    _ => return Err(format!("unknown option {flag}\n{USAGE}")),
                }
            }
        }
    }
    Ok(opts)
}

/// The real clusters to serve as agents 1..N (`--kubeconfig`, `--kas-url`), none for the
/// simulated ones.
async fn upstreams(opts: &Options) -> Result<BTreeMap<u64, Arc<Upstream>>, String> {
    let list = match (&opts.kubeconfig, &opts.kas_url, &opts.token_file) {
        (Some(path), _, _) => upstream::from_kubeconfig(path.as_deref(), &opts.contexts).await?,
        (None, Some(url), Some(file)) => vec![upstream::from_kas(url, opts.agent_id, file)?],
        (None, Some(_), None) => return Err("--kas-url needs --token-file (and --agent-id)".into()),
        (None, None, _) if !opts.contexts.is_empty() => {
            return Err("--context needs --kubeconfig".into())
        }
        (None, None, _) => Vec::new(),
    };
    Ok((1..).zip(list).collect())
}

/// Whether a real cluster (`--kubeconfig`, `--kas-url`, `--gitlab-url`) is served on a `--host`
/// other machines may reach (anything but a loopback address or `localhost`).
fn exposed(opts: &Options) -> bool {
    let real_cluster =
        opts.kubeconfig.is_some() || opts.kas_url.is_some() || opts.gitlab_url.is_some();
    let host = opts.host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    real_cluster && !loopback
}

/// Refuses to lend a real cluster's credentials to the network: exposed, every caller must be
/// checked (`--strict`) against credentials of the user's own (the built-in ones are public).
fn check_exposure(opts: &Options) -> Result<(), String> {
    let defaults = KasConfig::default();
    let own_credentials =
        opts.kas.tokens != defaults.tokens || opts.kas.sessions != defaults.sessions;
    if !exposed(opts) || (opts.kas.mode == AuthMode::Strict && own_credentials) {
        return Ok(());
    }
    let why = match opts.kas.mode {
        AuthMode::Open => "--open admits every caller",
        AuthMode::Proxy => "same-origin callers are trusted without credentials",
        AuthMode::Strict => "the built-in --pat and --session are public",
    };
    Err(format!(
        "refusing to proxy a real cluster on --host {} without credentials: {why}, so anyone \
         who reaches this address would use the cluster as you. Listen on 127.0.0.1 (the \
         default), or add --strict with your own --pat TOKEN or --session COOKIE:CSRF",
        opts.host
    ))
}

/// GitLab's stand-in for the embed demo: its port (0: none) and origin, another port of the
/// same host (same site).
fn gitlab_stand_in(opts: &Options) -> (u16, String) {
    let port = opts.gitlab_port.unwrap_or(opts.port.wrapping_add(1));
    (port, format!("http://{}:{port}", opts.host))
}

/// The KAS emulation's settings: the `--host` name trusted, the GitLab stand-in's origin
/// accepted unless another is named, and, when the agents are real clusters, no agent refused
/// (agent 3's refusal belongs to the simulation: every context given is the user's to see).
fn kas_config(opts: &Options, real_clusters: bool) -> KasConfig {
    let mut kas = opts.kas.clone();
    kas.host = Some(opts.host.clone());
    let (gitlab_port, gitlab_origin) = gitlab_stand_in(opts);
    if gitlab_port != 0 && kas.gitlab_origin.is_none() {
        kas.gitlab_origin = Some(gitlab_origin);
    }
    if real_clusters {
        kas.no_access_agents.clear();
    }
    // Exposed, the built-in (public) credentials the user did not replace are not accepted.
    if exposed(opts) {
        let defaults = KasConfig::default();
        if kas.tokens == defaults.tokens {
            kas.tokens.clear();
        }
        if kas.sessions == defaults.sessions {
            kas.sessions.clear();
        }
    }
    kas
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("status") {
        std::process::exit(lookout_devserver::status_cli::main(&args[1..]));
    }
    let mut opts = match parse_args(&args).and_then(|o| check_exposure(&o).map(|()| o)) {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("{msg}");
            std::process::exit(2);
        }
    };
    // GitLab's metadata API names its KAS (`--gitlab-url` instead of `--kas-url`).
    if let (None, Some(gitlab), Some(file)) = (&opts.kas_url, &opts.gitlab_url, &opts.token_file) {
        match lookout_devserver::upstream::kas_url_from_gitlab(gitlab, file).await {
            Ok(url) => {
                println!("lookout-dev: {gitlab} says its KAS proxies the Kubernetes API at {url}");
                opts.kas_url = Some(url);
            }
            Err(e) => {
                eprintln!("lookout-dev: {e}");
                std::process::exit(2);
            }
        }
    }
    let upstreams = match upstreams(&opts).await {
        Ok(up) => up,
        Err(e) => {
            eprintln!("lookout-dev: {e}");
            std::process::exit(2);
        }
    };
    // Real clusters replace the simulated ones: no simulated object mixes into a real view.
    let (agents, identities, demo) = if upstreams.is_empty() {
        let (demo, staging) = (Cluster::new(opts.history), Cluster::new(opts.history));
        seed::seed(&demo);
        seed::seed_staging(&staging);
        seed::seed_scale(&demo, opts.scale);
        let story = lookout_devserver::demo::Demo::new(demo.clone(), opts.seed);
        story.start();
        // Agent 4 shows the demo cluster to a user who may only read `flux-system`.
        let reader = lookout_devserver::apiserver::rbac::Identity::reader_of(
            "gitlab:user:demo",
            "flux-system",
        );
        (
            BTreeMap::from([(1, demo.clone()), (2, staging), (4, demo)]),
            BTreeMap::from([(4, reader)]),
            Some(story),
        )
    } else {
        (BTreeMap::new(), BTreeMap::new(), None)
    };
    let (gitlab_port, gitlab_origin) = gitlab_stand_in(&opts);
    opts.kas = kas_config(&opts, !upstreams.is_empty());
    let session = opts.kas.sessions.first().cloned().unwrap_or_default();
    let state = AppState {
        upstreams: Arc::new(upstreams),
        agents: Arc::new(agents),
        identities: Arc::new(identities),
        kas: Arc::new(opts.kas.clone()),
        bookmark_interval: opts.bookmark_interval,
        log_interval: Duration::from_millis(500),
        watch_list: opts.watch_list,
        ws_tokens: Default::default(),
        watch_aggregator: Arc::new(true.into()),
        faults: Arc::default(),
        demo,
        latency: opts.latency,
        preflight_latency: opts.preflight_latency,
    };
    let addr = format!("{}:{}", opts.host, opts.port);
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("lookout-dev: cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    if state.upstreams.is_empty() {
        println!(
            "lookout-dev: serving {} with the simulated clusters (agents 1, 2 and 4) at http://{addr}/",
            opts.dist.display()
        );
    } else {
        println!(
            "lookout-dev: serving {} at http://{addr}/",
            opts.dist.display()
        );
        for (id, up) in state.upstreams.iter() {
            println!("lookout-dev: agent {id} is {} (?agent={id})", up.name());
        }
    }
    if gitlab_port != 0 {
        let host = lookout_devserver::gitlab_host::GitLabHost {
            dist: opts.dist.clone(),
            kas_url: format!("http://{addr}/k8s-proxy"),
            session,
        };
        let gitlab_addr = format!("{}:{gitlab_port}", opts.host);
        match tokio::net::TcpListener::bind(&gitlab_addr).await {
            Ok(l) => {
                println!(
                    "lookout-dev: embed demo (GitLab stand-in) at {gitlab_origin}/embed-demo.html"
                );
                tokio::spawn(async move {
                    let _ = axum::serve(l, lookout_devserver::gitlab_host::router(host)).await;
                });
            }
            Err(e) => eprintln!("lookout-dev: no embed demo: cannot listen on {gitlab_addr}: {e}"),
        }
    }
    // Open watches never finish on their own, so Ctrl-C exits at once instead of draining them.
    tokio::select! {
        served = axum::serve(listener, lookout_devserver::gitlab_host::redirect_to(gitlab_origin).merge(router(state, opts.dist))) => {
            if let Err(e) = served {
                eprintln!("lookout-dev: server error: {e}");
                std::process::exit(1);
            }
        }
        _ = tokio::signal::ctrl_c() => {}
    }
}

#[cfg(test)]
mod tests {
    use super::{check_exposure, kas_config, parse_args};

    fn options(args: &[&str]) -> super::Options {
        parse_args(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn every_real_context_is_an_agent_the_user_may_use() {
        let opts = options(&["--kubeconfig", "kubeconfig", "--contexts", "a,b,c"]);
        assert!(kas_config(&opts, true).no_access_agents.is_empty());
        // The simulated clusters keep their agent without access.
        assert_eq!(kas_config(&options(&[]), false).no_access_agents, [3]);
    }

    #[test]
    fn the_host_and_the_gitlab_stand_in_are_trusted() {
        let kas = kas_config(
            &options(&["--host", "lookout.lan", "--port", "9000"]),
            false,
        );
        assert_eq!(kas.host.as_deref(), Some("lookout.lan"));
        assert_eq!(
            kas.gitlab_origin.as_deref(),
            Some("http://lookout.lan:9001")
        );
        let off = kas_config(&options(&["--gitlab-port", "0"]), false);
        assert_eq!(off.gitlab_origin, None);
    }

    #[test]
    fn a_real_cluster_is_never_an_open_proxy_to_the_network() {
        let check = |args: &[&str]| check_exposure(&options(args));
        // Loopback (the default), or the simulated clusters: served as asked.
        assert!(check(&["--kubeconfig", "k", "--open"]).is_ok());
        for host in ["localhost", "127.0.0.2", "::1", "[::1]"] {
            assert!(
                check(&["--host", host, "--kubeconfig", "k"]).is_ok(),
                "{host}"
            );
        }
        assert!(check(&["--host", "0.0.0.0", "--open"]).is_ok());
        // Elsewhere a real cluster needs every caller checked against the user's credentials.
        for own in [&["--pat", "p"][..], &["--session", "c:t"]] {
            let args = [
                &["--host", "0.0.0.0", "--kubeconfig", "k", "--strict"][..],
                own,
            ]
            .concat();
            assert!(check(&args).is_ok(), "{args:?}");
            // The built-in credentials left are public: not accepted.
            let kas = kas_config(&options(&args), true);
            assert_eq!(kas.tokens.len() + kas.sessions.len(), 1, "{args:?}");
        }
        let public = check(&["--host", "0.0.0.0", "--kubeconfig", "k", "--strict"]).unwrap_err();
        assert!(
            public.contains("the built-in --pat and --session are public"),
            "{public}"
        );
        // On loopback the built-in ones stay (scripts and tests use them).
        let local = kas_config(&options(&["--kubeconfig", "k", "--strict"]), true);
        assert_eq!((local.tokens.len(), local.sessions.len()), (1, 1));
        let real = [
            &["--kubeconfig", "k"][..],
            &["--kubeconfig"],
            &[
                "--kas-url",
                "https://kas.example/k8s-proxy",
                "--token-file",
                "t",
            ],
            &[
                "--gitlab-url",
                "https://gitlab.example",
                "--token-file",
                "t",
            ],
        ];
        for host in ["0.0.0.0", "::", "192.168.1.20", "lookout.lan"] {
            for cluster in real {
                for trust in [&[][..], &["--open"], &["--pat", "p"], &["--session", "c:t"]] {
                    let args = [&["--host", host][..], cluster, trust].concat();
                    let err = check(&args).unwrap_err();
                    assert!(
                        err.starts_with(&format!(
                            "refusing to proxy a real cluster on --host {host} without credentials"
                        )),
                        "{args:?}: {err}"
                    );
                    assert!(err.contains("--strict"), "{err}");
                }
            }
        }
        let err = check(&["--host", "0.0.0.0", "--kubeconfig", "--open"]).unwrap_err();
        assert!(err.contains("--open admits every caller"), "{err}");
    }
}
