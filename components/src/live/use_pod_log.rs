//! [`use_pod_log`]: a pod's log as it is written, in a bounded buffer, with the reading options
//! a viewer changes (container, timestamps, previous instance, pause).

use super::use_containers::use_containers;
use futures_util::future::{abortable, AbortHandle};
use leptos::prelude::*;
use lookout_client::api::logs::{stream_logs, LogOptions};
use lookout_client::view::log_text::display_text;
use lookout_client::Connection;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

/// Lines kept by default; older ones are dropped (and counted).
pub const DEFAULT_MAX_LINES: usize = 5_000;

/// One buffered log line: the bytes as received (downloads) and, made once on arrival, the text
/// as shown (escape sequences dropped, controls visible).
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    /// The line as the container wrote it.
    pub raw: String,
    /// The line as shown.
    pub shown: String,
}

impl LogLine {
    fn new(raw: String) -> Self {
        let shown = display_text(&raw);
        LogLine { raw, shown }
    }
}

/// Options of [`use_pod_log`].
#[derive(Debug, Clone, Copy)]
pub struct UsePodLogOptions {
    /// Lines kept; older ones are dropped and counted. Default: [`DEFAULT_MAX_LINES`].
    pub max_lines: usize,
    /// Lines of history asked for when (re)starting. Default: 500.
    pub tail_lines: u32,
    /// Whether the log is read now (e.g. while its tab is open); it stops when this turns false
    /// and starts again, from the tail, when it turns true. Default: always.
    pub active: Option<Signal<bool>>,
}

impl Default for UsePodLogOptions {
    fn default() -> Self {
        UsePodLogOptions {
            max_lines: DEFAULT_MAX_LINES,
            tail_lines: 500,
            active: None,
        }
    }
}

impl UsePodLogOptions {
    /// Keeps `max_lines` lines.
    pub fn max_lines(mut self, max_lines: usize) -> Self {
        self.max_lines = max_lines;
        self
    }

    /// Reads the log only while `active` is true.
    pub fn active(mut self, active: impl Into<Signal<bool>>) -> Self {
        self.active = Some(active.into());
        self
    }
}

/// What [`use_pod_log`] returns: the log, and the reading options (changing one restarts it).
#[derive(Clone, Copy)]
pub struct UsePodLogReturn {
    /// The pod's name (for download names).
    pub pod: StoredValue<String>,
    /// The pod's containers, in its order (empty until the pod is known).
    pub containers: Signal<Vec<String>>,
    /// The lines buffered, oldest first (published at most once per animation frame).
    pub lines: Signal<Vec<LogLine>>,
    /// Lines dropped from the front of the buffer.
    pub dropped: Signal<usize>,
    /// Why the log ended, once it did.
    pub ended: Signal<Option<String>>,
    /// The container read (`None`: the first).
    pub container: RwSignal<Option<String>>,
    /// Whether lines carry the kubelet's timestamps.
    pub timestamps: RwSignal<bool>,
    /// Whether the previous (crashed) instance's log is read instead.
    pub previous: RwSignal<bool>,
    /// Whether publishing is paused (lines are still buffered).
    pub paused: RwSignal<bool>,
}

/// The log of `namespace/pod`, through the connection in context; see [`UsePodLogOptions`].
pub fn use_pod_log(namespace: &str, pod: &str, options: UsePodLogOptions) -> UsePodLogReturn {
    let connection = expect_context::<Connection>();
    let containers = use_containers(namespace, pod);
    let (namespace, name) = (namespace.to_owned(), pod.to_owned());
    let container = RwSignal::new(None::<String>);
    let timestamps = RwSignal::new(false);
    let paused = RwSignal::new(false);
    let previous = RwSignal::new(false);
    let lines = RwSignal::new(Vec::<LogLine>::new());
    let dropped = RwSignal::new(0usize);
    let ended = RwSignal::new(None::<String>);
    let running: Rc<RefCell<Option<AbortHandle>>> = Rc::default();
    let stop = {
        let running = running.clone();
        move || {
            if let Some(h) = running.borrow_mut().take() {
                h.abort();
            }
        }
    };
    let stop_on_change = stop.clone();
    let pod_name = name.clone();
    // A memo, so that updates of the pod (readiness, restarts) do not restart the log: only a
    // different container does.
    let chosen = Memo::new(move |_| {
        container
            .get()
            .or_else(|| containers.with(|c| c.first().cloned()))
    });
    let active = options.active;
    Effect::new(move |_| {
        let chosen = chosen.get();
        stop_on_change();
        // Until the pod (and so its containers) is known there is nothing to ask for: a pod of
        // several containers would answer 400 without a container name.
        if chosen.is_none() || active.is_some_and(|a| !a.get()) {
            return;
        }
        // The previous (crashed) instance's log is complete: no follow.
        let previous = previous.get();
        let opts = LogOptions {
            container: chosen,
            follow: !previous,
            previous,
            tail_lines: Some(options.tail_lines),
            timestamps: timestamps.get(),
            ..LogOptions::default()
        };
        lines.set(Vec::new());
        dropped.set(0);
        ended.set(None);
        let buffer = Rc::new(RefCell::new(VecDeque::<LogLine>::new()));
        let flush_pending = Rc::new(Cell::new(false));
        let (conn, ns, name) = (connection.clone(), namespace.clone(), name.clone());
        let publish = {
            let buffer = buffer.clone();
            move || {
                if !paused.get_untracked() {
                    let _ = lines.try_set(buffer.borrow().iter().cloned().collect());
                }
            }
        };
        let on_line = move |line: String| {
            let mut b = buffer.borrow_mut();
            b.push_back(LogLine::new(line));
            if b.len() > options.max_lines {
                b.pop_front();
                let _ = dropped.try_update(|d| *d += 1);
            }
            drop(b);
            if !flush_pending.replace(true) {
                let (flush_pending, publish) = (flush_pending.clone(), publish.clone());
                request_animation_frame(move || {
                    flush_pending.set(false);
                    publish();
                });
            }
        };
        let (task, handle) = abortable(async move {
            let transport = super::transport();
            let result = stream_logs(transport.as_ref(), &conn, &ns, &name, &opts, on_line).await;
            let _ = ended.try_set(Some(match result {
                Ok(()) if previous => "End of the previous container's log.".to_owned(),
                Ok(()) => "The log ended (the container stopped).".to_owned(),
                Err(e) => format!("Cannot read the log: {e}"),
            }));
        });
        *running.borrow_mut() = Some(handle);
        leptos::task::spawn_local(async move {
            let _ = task.await;
        });
    });
    let cleanup = send_wrapper::SendWrapper::new(stop);
    on_cleanup(move || (cleanup.take())());
    UsePodLogReturn {
        pod: StoredValue::new(pod_name),
        containers,
        lines: lines.into(),
        dropped: dropped.into(),
        ended: ended.into(),
        container,
        timestamps,
        previous,
        paused,
    }
}
