//! Pod logs as a stream of lines (`pods/log`, plain text, `follow` keeps it open).

use crate::api::connection::{Connection, Method};
use crate::api::error::Error;
use crate::api::lines::LineSplitter;
use crate::api::query::{encode, Query};
use crate::api::transport::Transport;
use futures_util::StreamExt;

/// Longest log line kept whole; longer lines are an error rather than unbounded memory.
const MAX_LOG_LINE: usize = 1024 * 1024;

/// Which log to read and how.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogOptions {
    /// Container name (required when the pod has several).
    pub container: Option<String>,
    /// Keep the stream open for new lines.
    pub follow: bool,
    /// Start with the last N lines.
    pub tail_lines: Option<u32>,
    /// Only lines from the last N seconds.
    pub since_seconds: Option<u64>,
    /// Prefix each line with its RFC 3339 timestamp.
    pub timestamps: bool,
    /// The previous (crashed) container instance.
    pub previous: bool,
}

/// The `pods/log` path for these options.
pub fn log_path(namespace: &str, pod: &str, opts: &LogOptions) -> String {
    let mut q = Query::default();
    if let Some(c) = &opts.container {
        q.push("container", c);
    }
    let flags = [
        ("follow", opts.follow),
        ("timestamps", opts.timestamps),
        ("previous", opts.previous),
    ];
    for (key, on) in flags {
        if on {
            q.push(key, "true");
        }
    }
    if let Some(n) = opts.tail_lines {
        q.push("tailLines", &n.to_string());
    }
    if let Some(s) = opts.since_seconds {
        q.push("sinceSeconds", &s.to_string());
    }
    format!(
        "/api/v1/namespaces/{}/pods/{}/log{}",
        encode(namespace),
        encode(pod),
        q.as_str()
    )
}

/// Streams a pod's log, calling `on_line` for every line (invalid UTF-8 replaced, blank lines kept,
/// a last line without newline included). Returns when the stream ends; errors are specific
/// (400 bad container, 404 no pod, 500 kubelet unreachable, …).
pub async fn stream_logs(
    transport: &dyn Transport,
    conn: &Connection,
    namespace: &str,
    pod: &str,
    opts: &LogOptions,
    mut on_line: impl FnMut(String),
) -> Result<(), Error> {
    let response = transport
        .send(conn.request(Method::Get, &log_path(namespace, pod, opts)))
        .await?;
    if !response.is_success() {
        return response.success_bytes().await.map(drop);
    }
    let mut body = response.body;
    let mut lines = LineSplitter::with_max_line(MAX_LOG_LINE).keeping_blank_lines();
    while let Some(chunk) = body.next().await {
        lines.push(&chunk?);
        while let Some(line) = lines.next_line()? {
            on_line(String::from_utf8_lossy(line).into_owned());
        }
    }
    if !lines.pending().is_empty() {
        on_line(String::from_utf8_lossy(lines.pending()).into_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_paths_carry_every_option() {
        let opts = LogOptions {
            container: Some("web".into()),
            follow: true,
            tail_lines: Some(100),
            since_seconds: Some(60),
            timestamps: true,
            previous: true,
        };
        assert_eq!(
            log_path("app", "web-1", &opts),
            "/api/v1/namespaces/app/pods/web-1/log?container=web&follow=true&timestamps=true&previous=true&tailLines=100&sinceSeconds=60"
        );
        assert_eq!(
            log_path("app", "web-1", &LogOptions::default()),
            "/api/v1/namespaces/app/pods/web-1/log"
        );
    }
}
