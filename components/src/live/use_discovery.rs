//! [`use_discovery`]: what the cluster serves (API discovery), asked once by the calling page.

use leptos::prelude::*;
use lookout_client::api::discovery::Discovery;
use lookout_client::Connection;

/// The kinds the cluster serves, through the connection in context (pending until answered).
pub fn use_discovery() -> LocalResource<Result<Discovery, lookout_client::Error>> {
    let connection = expect_context::<Connection>();
    LocalResource::new(move || {
        let connection = connection.clone();
        async move { Discovery::fetch(super::transport().as_ref(), &connection).await }
    })
}
