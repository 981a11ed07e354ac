//! [`use_action`]: one action on one object (merge patch or delete), with its outcome and
//! whether the user may perform it.

use super::use_now::epoch_seconds;
use super::use_refusal::use_refusal;
use leptos::prelude::*;
use lookout_client::api::access::AccessQuery;
use lookout_client::api::actions::{action_request, perform, Action};
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

/// `action` on `namespace/name` of `api`, through the connection in context.
pub fn use_action(
    api: ApiResource,
    namespace: String,
    name: String,
    action: Action,
) -> UseActionReturn {
    let connection = expect_context::<Connection>();
    let refusal = use_refusal(
        &connection,
        AccessQuery::for_action(&api, &namespace, &action),
    );
    let outcome = RwSignal::new(Outcome::Idle);
    let run = move || {
        let now = epoch_seconds();
        let request = action_request(
            &connection,
            &api,
            &namespace,
            &name,
            &action,
            &format_rfc3339(now),
        );
        outcome.set(Outcome::Pending);
        leptos::task::spawn_local(async move {
            let transport = super::transport();
            let result = perform(transport.as_ref(), request).await;
            let _ = outcome.try_set(match result {
                Ok(_) => Outcome::Done,
                Err(e) => Outcome::Failed(e.to_string()),
            });
        });
    };
    let run = send_wrapper::SendWrapper::new(run);
    UseActionReturn {
        outcome: outcome.into(),
        refusal,
        run: Callback::new(move |()| run()),
    }
}
