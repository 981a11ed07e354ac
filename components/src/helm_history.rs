//! A HelmRelease's release history, newest first.

use crate::status_badge::StatusBadge;
use crate::table_head::TableHead;
use leptos::prelude::*;
use lookout_client::model::flux::HelmRevision;
use lookout_client::model::time::{format_age, parse_rfc3339};
use lookout_client::status::Tone;

/// The history table: revision, chart, app version, status, when deployed.
#[component]
pub fn HelmHistory(
    /// The releases (from `flux::helm_history`), newest first.
    #[prop(into)]
    history: Signal<Vec<HelmRevision>>,
    /// Current time (epoch seconds).
    #[prop(into)]
    now: Signal<i64>,
) -> impl IntoView {
    view! {
        <table class="lo-table" aria-label="Helm release history">
            <TableHead columns=&["Revision", "Chart", "App version", "Status", "Deployed"] numeric=&["Revision"] />
            <tbody>
                {move || history.get().into_iter().map(|h| {
                    let tone = Tone::of_helm_release(&h.status);
                    let when = parse_rfc3339(&h.last_deployed);
                    view! {
                        <tr data-version=h.version>
                            <td class="lo-num">{h.version}</td>
                            <td>{format!("{}-{}", h.chart_name, h.chart_version)}</td>
                            <td>{h.app_version}</td>
                            <td><StatusBadge label=h.status tone=tone /></td>
                            <td><time datetime=h.last_deployed.clone() title=h.last_deployed>{move || when.map(|w| format!("{} ago", format_age(now.get() - w))).unwrap_or_default()}</time></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <Show when=move || history.with(Vec::is_empty)>
            <p class="lo-empty">"No releases yet."</p>
        </Show>
    }
}
