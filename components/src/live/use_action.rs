//! [`use_action`]: one action on one object (merge patch or delete), with its outcome and
//! whether the user may perform it.

use super::use_now::epoch_seconds;
use super::use_refusal::use_refusal;
use leptos::prelude::*;
use lookout_client::api::access::AccessQuery;
use lookout_client::api::actions::{action_request, perform, Action, Target};
use lookout_client::api::connection::Request;
use lookout_client::model::time::format_rfc3339;
use lookout_client::{ApiResource, Connection};

/// What the last run of an action did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Not run yet.
    Idle,
    /// Sent, no answer yet.
    Pending,
    /// The server accepted it.
    Done,
    /// The server refused it or could not be reached: its specific message.
    Failed(String),
}

/// What [`use_action`] returns.
#[derive(Clone, Copy)]
pub struct UseActionReturn {
    /// What the last run did.
    pub outcome: Signal<Outcome>,
    /// Why the user may not perform it (asked beforehand with a `SelfSubjectAccessReview`), or
    /// `None` while unknown or allowed.
    pub refusal: Signal<Option<String>>,
    /// Performs the action now.
    pub run: Callback<()>,
}

/// `action` on `namespace/name` of `api`, through the connection in context. The action may
/// change (a scale's replica count follows its input); what the user may do is asked once, for
/// the action as first given: the permission depends on its kind and targets, not on a count.
/// An action of several steps (a reconcile with source) sends them in order and stops at the
/// first refusal or failure.
pub fn use_action(
    api: ApiResource,
    namespace: String,
    name: String,
    action: impl Into<Signal<Action>>,
) -> UseActionReturn {
    let action = action.into();
    let connection = expect_context::<Connection>();
    let target = Target {
        api,
        namespace,
        name,
    };
    let refusals: Vec<Signal<Option<String>>> = action
        .get_untracked()
        .steps(target.clone())
        .iter()
        .map(|(t, a)| {
            use_refusal(
                &connection,
                AccessQuery::for_action(&t.api, &t.namespace, a),
            )
        })
        .collect();
    let refusal = Signal::derive(move || refusals.iter().find_map(|r| r.get()));
    let outcome = RwSignal::new(Outcome::Idle);
    let run = move || {
        let now = format_rfc3339(epoch_seconds());
        let steps = action.get_untracked().steps(target.clone());
        let several = steps.len() > 1;
        let requests: Vec<(String, Request)> = steps
            .into_iter()
            .map(|(t, a)| {
                let what = format!("{} {}", t.api.kind, t.name);
                (
                    what,
                    action_request(&connection, &t.api, &t.namespace, &t.name, &a, &now),
                )
            })
            .collect();
        outcome.set(Outcome::Pending);
        leptos::task::spawn_local(async move {
            let transport = super::transport();
            let mut result = Outcome::Done;
            for (what, request) in requests {
                if let Err(e) = perform(transport.as_ref(), request).await {
                    // Which step failed matters when there are several (the source or the object).
                    result = Outcome::Failed(if several {
                        format!("{what}: {e}")
                    } else {
                        e.to_string()
                    });
                    break;
                }
            }
            let _ = outcome.try_set(result);
        });
    };
    let run = send_wrapper::SendWrapper::new(run);
    UseActionReturn {
        outcome: outcome.into(),
        refusal,
        run: Callback::new(move |()| run()),
    }
}
