//! Action buttons in plain DOM (the markup of the Leptos `ActionButton`): the button is disabled
//! while its request is pending; a refusal shows the server's specific message next to it; a
//! destructive action asks "Confirm / Cancel" first.

use lookout_client::api::actions::{action_request, perform, Action};
use lookout_client::model::time::format_rfc3339;
use lookout_client::{ApiResource, Connection};
use lookout_widget::dom::{element, text};
use lookout_widget::live::request_transport;
use wasm_bindgen::prelude::*;
use web_sys::Element;

/// A new action button labelled `label` in `parent`.
pub fn button(parent: &Element, label: &str) -> Result<Element, JsValue> {
    text(
        parent,
        "button",
        &[
            ("type", "button"),
            ("class", "lo-button"),
            ("data-action", label),
            ("aria-busy", "false"),
        ],
        label,
    )
}

/// A pod row's Delete button, in its actions cell.
pub fn delete_button(cell: &Element) -> Result<Element, JsValue> {
    button(cell, "Delete")
}

/// Enables or disables the Delete button of an actions cell (a terminating pod cannot be deleted
/// again).
pub fn set_deletable(cell: &Element, enabled: bool) -> Result<(), JsValue> {
    if let Some(b) = cell.query_selector("button[data-action=Delete]")? {
        b.toggle_attribute_with_force("disabled", !enabled)?;
    }
    Ok(())
}

/// Handles a click inside a row's actions cell: Delete asks first, Confirm deletes the row's
/// object (`api`, `namespace/name`), Cancel asks no more.
pub fn on_row_click(
    target: &Element,
    connection: &Connection,
    api: &ApiResource,
    namespace: &str,
    name: &str,
) -> Result<(), JsValue> {
    let Some(clicked) = target.closest("button")? else {
        return Ok(());
    };
    let Some(cell) = clicked.closest("td.lo-actions")? else {
        return Ok(());
    };
    if clicked.get_attribute("data-action").as_deref() == Some("Delete") {
        clicked.set_attribute("hidden", "")?;
        let ask = element(
            &cell,
            "span",
            &[
                ("class", "lo-confirm"),
                ("role", "group"),
                ("aria-label", "Confirm Delete"),
            ],
        )?;
        text(
            &ask,
            "button",
            &[
                ("type", "button"),
                ("class", "lo-button lo-button--danger"),
                ("data-confirm", ""),
            ],
            "Confirm delete",
        )?;
        text(
            &ask,
            "button",
            &[
                ("type", "button"),
                ("class", "lo-button"),
                ("data-cancel", ""),
            ],
            "Cancel",
        )?;
        return Ok(());
    }
    let confirmed = clicked.has_attribute("data-confirm");
    if !confirmed && !clicked.has_attribute("data-cancel") {
        return Ok(());
    }
    if let Some(ask) = cell.query_selector(".lo-confirm")? {
        ask.remove();
    }
    if let Some(delete) = cell.query_selector("button[data-action=Delete]")? {
        delete.remove_attribute("hidden")?;
        if confirmed {
            run(&delete, connection, api, namespace, name, Action::Delete);
        }
    }
    Ok(())
}

/// Performs `action` on `namespace/name` of `api` for `button`: disabled and busy while pending,
/// the server's message after it when refused.
pub fn run(
    button: &Element,
    connection: &Connection,
    api: &ApiResource,
    namespace: &str,
    name: &str,
    action: Action,
) {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let request = action_request(
        connection,
        api,
        namespace,
        name,
        &action,
        &format_rfc3339(now),
    );
    let button = button.clone();
    let _ = button.set_attribute("disabled", "");
    let _ = button.set_attribute("aria-busy", "true");
    wasm_bindgen_futures::spawn_local(async move {
        let result = perform(request_transport().as_ref(), request).await;
        let _ = button.remove_attribute("disabled");
        let _ = button.set_attribute("aria-busy", "false");
        if let Some(old) = button
            .next_element_sibling()
            .filter(|e| e.class_list().contains("lo-error"))
        {
            old.remove();
        }
        if let Err(e) = result {
            let doc = lookout_widget::document();
            let shown = doc.and_then(|d| {
                let alert = d.create_element("span")?;
                alert.set_attribute("class", "lo-error")?;
                alert.set_attribute("role", "alert")?;
                alert.set_text_content(Some(&e.to_string()));
                button.after_with_node_1(&alert)
            });
            lookout_widget::dom::report(shown);
        }
    });
}
