//! A Flux object's sync status in plain DOM (the markup of the Leptos `FluxSyncStatus`): badge,
//! applied revision (a commit link once the source's URL is known) and, with details, the message and
//! when it last reconciled; plus the `lookout-status` report to the host page, the Git URL of the
//! object's source, and the error panels (watch and settings problems).

use crate::dom::{element, text};
use crate::{document, emit};
use lookout_client::api::transport::Transport;
use lookout_client::model::flux::{commit_url, last_reconcile, revisions, ObjectRef};
use lookout_client::model::kinds;
use lookout_client::model::time::{format_age, format_rfc3339, parse_rfc3339};
use lookout_client::status::flux::sync_status;
use lookout_client::{Connection, Method};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement};

/// The rendered sync status.
pub struct SyncView {
    sync: Element,
    badge: Element,
    revision: Element,
    /// The message and "reconciled … ago" (full view only).
    details: Option<(Element, Element)>,
    /// What was last reported, so each change is reported once.
    reported: String,
}

/// `main@sha1:0123456789ab…` as `main@sha1:01234567`.
pub fn short_revision(revision: &str) -> String {
    match revision.rsplit_once(':') {
        Some((branch, sha)) => format!("{branch}:{}", sha.get(..8).unwrap_or(sha)),
        None => revision.to_owned(),
    }
}

/// "3m ago" for `at` (epoch seconds) at `now`, with the exact time as `datetime` and title; `—`
/// when unknown. The `data-at` attribute lets [`tick`] keep it current.
pub fn set_time(el: &Element, at: Option<i64>, now: i64, suffix: &str) -> Result<(), JsValue> {
    match at {
        Some(at) => {
            let exact = format_rfc3339(at);
            el.set_attribute("datetime", &exact)?;
            el.set_attribute("title", &exact)?;
            el.set_attribute("data-at", &at.to_string())?;
            el.set_attribute("data-suffix", suffix)?;
            el.set_text_content(Some(&format!("{}{suffix}", format_age(now - at))));
        }
        None => {
            for a in ["datetime", "title", "data-at"] {
                el.remove_attribute(a)?;
            }
            el.set_text_content(Some("—"));
        }
    }
    Ok(())
}

/// The page's clock in seconds since the Unix epoch (the `now` of [`set_time`] and [`tick`]).
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Brings every time [`set_time`] rendered under `root` up to `now`.
pub fn tick(root: &Element, now: i64) -> Result<(), JsValue> {
    let times = root.query_selector_all("time[data-at]")?;
    for i in 0..times.length() {
        let Some(el) = times.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let at = el
            .get_attribute("data-at")
            .and_then(|a| a.parse::<i64>().ok());
        if let Some(at) = at {
            let suffix = el.get_attribute("data-suffix").unwrap_or_default();
            el.set_text_content(Some(&format!("{}{suffix}", format_age(now - at))));
        }
    }
    Ok(())
}

impl SyncView {
    /// Renders an empty status (badge and revision) into `parent`.
    pub fn new(parent: &Element) -> Result<SyncView, JsValue> {
        let sync = element(
            parent,
            "div",
            &[
                ("class", "lo-sync"),
                ("role", "group"),
                ("aria-label", "Flux sync status"),
            ],
        )?;
        let badge = element(
            &sync,
            "span",
            &[("class", "lo-status"), ("aria-live", "polite")],
        )?;
        let revision = document()?.create_element("span")?;
        Ok(SyncView {
            sync,
            badge,
            revision,
            details: None,
            reported: String::new(),
        })
    }

    /// Renders an empty status with the message and the last reconcile into `parent` (for
    /// [`SyncView::show_details`]).
    pub fn with_details(parent: &Element) -> Result<SyncView, JsValue> {
        let mut view = SyncView::new(parent)?;
        let message = element(
            &view.sync,
            "span",
            &[("class", "lo-message lo-sync__message")],
        )?;
        let when = document()?.create_element("span")?;
        when.set_attribute("class", "lo-sync__when")?;
        view.details = Some((message, when));
        Ok(view)
    }

    /// Shows `value`'s status (`Null` while loading or when missing); `source_url` makes the
    /// revision a commit link.
    pub fn show(&mut self, value: &Value, source_url: Option<&str>) -> Result<(), JsValue> {
        let (status, message) = sync_status(value);
        self.sync.set_attribute("data-state", status.as_str())?;
        self.badge
            .set_attribute("data-tone", status.tone().as_str())?;
        self.badge.set_attribute("title", &message)?;
        self.badge.set_text_content(Some(status.badge()));
        let applied = revisions(value).applied;
        let link = applied
            .as_deref()
            .zip(source_url)
            .and_then(|(rev, url)| commit_url(url, rev));
        let tag = if link.is_some() { "A" } else { "SPAN" };
        if self.revision.tag_name() != tag {
            self.revision.remove();
            self.revision = document()?.create_element(tag)?;
        }
        match &applied {
            Some(rev) => {
                self.revision
                    .set_attribute("class", "lo-mono lo-sync__rev")?;
                if let Some(href) = link {
                    self.revision.set_attribute("href", &href)?;
                    self.revision.set_attribute("target", "_blank")?;
                    self.revision.set_attribute("rel", "noopener noreferrer")?;
                }
                self.revision.set_text_content(Some(&short_revision(rev)));
                self.badge.after_with_node_1(&self.revision)?;
            }
            None => self.revision.remove(),
        }
        Ok(())
    }

    /// Shows `value`'s message and, dated at `now`, its last reconcile (a view made
    /// [`SyncView::with_details`]; the compact one has neither).
    pub fn show_details(&mut self, value: &Value, now: i64) -> Result<(), JsValue> {
        if let Some((message_el, when)) = &self.details {
            message_el.set_text_content(Some(&sync_status(value).1));
            match last_reconcile(value) {
                Some(at) => {
                    when.set_text_content(Some("reconciled "));
                    let time = element(when, "time", &[("class", "lo-time")])?;
                    set_time(&time, parse_rfc3339(at), now, " ago")?;
                    self.sync.append_child(when)?;
                }
                None => when.remove(),
            }
        }
        Ok(())
    }

    /// Reports a changed status to the host page: its `data-state` attribute and a
    /// `lookout-status` event (`detail: {state, badge, revision, message}`).
    pub fn report(&mut self, host: &HtmlElement, value: &Value) {
        let (status, message) = sync_status(value);
        let revision = revisions(value).applied.unwrap_or_default();
        let key = format!("{}|{revision}|{message}", status.as_str());
        if self.reported != key {
            self.reported = key;
            host.set_attribute("data-state", status.as_str()).ok();
            emit(
                host,
                "lookout-status",
                &[
                    ("state", status.as_str()),
                    ("badge", status.badge()),
                    ("revision", &revision),
                    ("message", &message),
                ],
            );
        }
    }
}

/// Shows (and reports as a `lookout-error` of kind `Settings`) what is wrong with the widget's
/// settings in `parent`, in place of what they would have shown.
pub fn show_settings_problem(
    parent: &Element,
    host: &HtmlElement,
    problem: &str,
) -> Result<(), JsValue> {
    emit(
        host,
        "lookout-error",
        &[("kind", "Settings"), ("message", problem)],
    );
    text(
        parent,
        "p",
        &[("class", "lo-error"), ("role", "alert")],
        problem,
    )?;
    Ok(())
}

/// The Git URL of a Flux object's GitRepository `source` (it makes the revision a commit link),
/// read with one GET; `None` when it cannot be read.
pub async fn source_url(
    transport: &dyn Transport,
    connection: &Connection,
    source: &ObjectRef,
) -> Option<String> {
    let path = kinds::GIT_REPOSITORY.object_path(Some(&source.namespace), &source.name);
    let response = transport
        .send(connection.request(Method::Get, &path))
        .await
        .ok()?;
    let body = response.success_bytes().await.ok()?;
    let repo: Value = serde_json::from_slice(&body).ok()?;
    repo.pointer("/spec/url")?.as_str().map(str::to_owned)
}

/// Shows (and reports as `lookout-error`) an error the user can act on in `panel`, with a
/// "Retry now" button calling `retry`; clears the panel otherwise.
pub fn show_problem(
    panel: &Element,
    host: &HtmlElement,
    state: &lookout_client::WatchState,
    retry: &js_sys::Function,
) -> Result<(), JsValue> {
    panel.set_text_content(None);
    for attribute in ["class", "role", "data-error"] {
        panel.remove_attribute(attribute)?;
    }
    let lookout_client::WatchState::Retrying { error, .. } = state else {
        return Ok(());
    };
    let Some((title, advice)) = lookout_client::api::error::advice(error) else {
        return Ok(());
    };
    let detail = error.to_string();
    emit(
        host,
        "lookout-error",
        &[("kind", title), ("message", &detail)],
    );
    panel.set_attribute("class", "lo-panel lo-panel--error")?;
    panel.set_attribute("role", "alert")?;
    panel.set_attribute("data-error", &format!("{:?}", error.kind()))?;
    text(panel, "h3", &[], title)?;
    text(panel, "p", &[], advice)?;
    text(panel, "p", &[("class", "lo-message")], &detail)?;
    let button = text(
        panel,
        "button",
        &[("type", "button"), ("class", "lo-button")],
        "Retry now",
    )?;
    button.add_event_listener_with_callback("click", retry)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::short_revision;

    #[test]
    fn revisions_are_shortened_to_eight_hex_digits_of_their_sha() {
        assert_eq!(
            short_revision("main@sha1:4f2a9c1e0b3d5f6a7b8c9d0e1f2a3b4c5d6e7f80"),
            "main@sha1:4f2a9c1e"
        );
        assert_eq!(short_revision("6.5.0"), "6.5.0");
        assert_eq!(short_revision("v1:abc"), "v1:abc");
    }
}
