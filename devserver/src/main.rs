//! `lookout-dev` command line: parses options, seeds the simulated cluster and serves.

use lookout_devserver::cluster::Cluster;
use lookout_devserver::{router, seed, AppState};
use std::path::PathBuf;
use std::time::Duration;

struct Options {
    host: String,
    port: u16,
    dist: PathBuf,
    history: usize,
    bookmark_interval: Duration,
    watch_list: bool,
}

const USAGE: &str = "usage: lookout-dev status [FILE|-] [--now RFC3339]\n       lookout-dev [--host 127.0.0.1] [--port 8080] [--dist dist] [--history 10000] [--bookmark-seconds 60] [--no-watch-list]";

fn parse_args() -> Result<Options, String> {
    let mut opts = Options {
        host: "127.0.0.1".into(),
        port: 8080,
        dist: PathBuf::from("dist"),
        history: 10_000,
        bookmark_interval: Duration::from_secs(60),
        watch_list: true,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--help" | "-h" => return Err(USAGE.into()),
            "--no-watch-list" => {
                opts.watch_list = false;
                continue;
            }
            _ => {}
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let bad = |e: &dyn std::fmt::Display| format!("invalid value {value:?} for {flag}: {e}");
        match flag.as_str() {
            "--host" => opts.host = value,
            "--port" => opts.port = value.parse().map_err(|e| bad(&e))?,
            "--dist" => opts.dist = PathBuf::from(value),
            "--history" => opts.history = value.parse().map_err(|e| bad(&e))?,
            "--bookmark-seconds" => {
                opts.bookmark_interval = Duration::from_secs(value.parse().map_err(|e| bad(&e))?)
            }
            _ => return Err(format!("unknown option {flag}\n{USAGE}")),
        }
    }
    Ok(opts)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("status") {
        std::process::exit(lookout_devserver::status_cli::main(&args[1..]));
    }
    let opts = match parse_args() {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("{msg}");
            std::process::exit(2);
        }
    };
    let cluster = Cluster::new(opts.history);
    seed::seed(&cluster);
    let state = AppState {
        cluster,
        bookmark_interval: opts.bookmark_interval,
        watch_list: opts.watch_list,
        log_interval: Duration::from_millis(500),
    };
    let addr = format!("{}:{}", opts.host, opts.port);
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("lookout-dev: cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "lookout-dev: serving {} with the simulated cluster at http://{addr}/",
        opts.dist.display()
    );
    // Open watches never finish on their own, so Ctrl-C exits at once instead of draining them.
    tokio::select! {
        served = axum::serve(listener, router(state, opts.dist)) => {
            if let Err(e) = served {
                eprintln!("lookout-dev: server error: {e}");
                std::process::exit(1);
            }
        }
        _ = tokio::signal::ctrl_c() => {}
    }
}
