//! A ticking "now", so ages and relative times stay current without any refetch.

use leptos::prelude::*;
use std::time::Duration;

/// Seconds since the Unix epoch (the browser's clock).
pub(crate) fn epoch_seconds() -> i64 {
    #[cfg(target_arch = "wasm32")]
    return (js_sys::Date::now() / 1000.0) as i64;
    #[cfg(not(target_arch = "wasm32"))]
    return std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
}

/// Seconds since the Unix epoch, updated every second while the calling component lives.
pub fn use_now() -> ReadSignal<i64> {
    let (now, set_now) = signal(epoch_seconds());
    if let Ok(handle) =
        set_interval_with_handle(move || set_now.set(epoch_seconds()), Duration::from_secs(1))
    {
        on_cleanup(move || handle.clear());
    }
    now
}
