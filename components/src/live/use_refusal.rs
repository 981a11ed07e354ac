//! Whether the user may perform an action, asked once per page for each verb, resource and
//! namespace (`SelfSubjectAccessReview`) and shared by every button that needs the answer.

use leptos::prelude::*;
use lookout_client::api::access::{review, Access, AccessQuery};
use lookout_client::Connection;
use std::cell::RefCell;
use std::collections::HashMap;

/// An answer (the refusal, or `None` while unknown or allowed) by connection scope and query.
type Answers = HashMap<(String, AccessQuery), ArcRwSignal<Option<String>>>;

thread_local! {
    static ANSWERS: RefCell<Answers> = RefCell::new(HashMap::new());
}

/// Drops a cached answer, so that the next caller asks again.
fn forget(key: &(String, AccessQuery)) {
    ANSWERS.with(|answers| answers.borrow_mut().remove(key));
}

/// Why the user may not do what `query` names (`Some("You may not patch …")`), or `None` while
/// unknown or when allowed. A failed review leaves the action enabled: the server still decides
/// on the click, and its error is shown then.
pub fn use_refusal(connection: &Connection, query: AccessQuery) -> Signal<Option<String>> {
    let key = (connection.scope(), query);
    let (answer, ask) = ANSWERS.with(|answers| {
        let mut answers = answers.borrow_mut();
        match answers.get(&key) {
            Some(answer) => (answer.clone(), false),
            None => {
                let answer = ArcRwSignal::new(None);
                answers.insert(key.clone(), answer.clone());
                (answer, true)
            }
        }
    });
    if ask {
        let (connection, query, publish) = (connection.clone(), key.1.clone(), answer.clone());
        leptos::task::spawn_local(async move {
            let transport = super::transport();
            match review(transport.as_ref(), &connection, &query).await {
                Ok(Access::Refused(why)) => publish.set(Some(why)),
                Ok(_) => {}
                // Unknown: the button stays enabled (the server decides on the click), and the
                // next button to mount asks again instead of trusting a failed answer.
                Err(e) => {
                    leptos::logging::warn!("access review failed: {e}");
                    forget(&key);
                }
            }
        });
    }
    Signal::derive(move || answer.get())
}
