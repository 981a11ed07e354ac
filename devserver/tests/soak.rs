//! Soak: 200 random faults (dropped connections mid-line, 410s, 429s, 5xx, split chunks, stalls,
//! duplicates) against the native `lookout-client` watcher while pods churn; afterwards its store
//! must equal the cluster's state exactly.

use futures_util::future::{select, Either};
use futures_util::FutureExt;
use lookout_client::api::transport::native::NativeTransport;
use lookout_client::{
    Auth, Connection, Pod, Selector, Store, TypedResource, Watcher, WatcherConfig,
};
use lookout_devserver::cluster::Cluster;
use lookout_devserver::faults::{Fault, FaultConfig};
use lookout_devserver::resources;
use lookout_devserver::{router, seed, AppState};
use serde_json::json;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::IntoFuture;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

fn cluster_state(cluster: &Cluster) -> BTreeMap<String, String> {
    let pods = resources::by_kind("v1", "Pod").unwrap();
    cluster
        .list_values(pods, Some("demo"), |_| true)
        .iter()
        .map(|p| {
            (
                p["metadata"]["name"].as_str().unwrap().to_owned(),
                p["metadata"]["resourceVersion"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect()
}

fn store_state(store: &Store<Pod>) -> BTreeMap<String, String> {
    store
        .iter()
        .map(|p| {
            (
                p.metadata.name.to_string(),
                p.metadata.resource_version.to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_watcher_converges_exactly_after_200_random_faults() {
    let cluster = Cluster::new(5000);
    seed::seed(&cluster);
    let state = AppState::single(
        cluster.clone(),
        Duration::from_millis(200),
        Duration::from_millis(50),
    );
    let faults = state.faults.clone();
    faults.configure(FaultConfig {
        kinds: vec![
            Fault::Drop,
            Fault::Expired,
            Fault::TooManyRequests,
            Fault::ServerError,
            Fault::Unavailable,
            Fault::Split,
            Fault::Stall,
            Fault::Duplicate,
        ],
        rate: 0.15,
        seed: 42,
        count: Some(200),
        resource: Some("pods".into()),
        retry_after: 0,
        stall_ms: 30,
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(axum::serve(listener, router(state, PathBuf::from("/nonexistent"))).into_future());

    let conn = Connection::new(&format!("http://{addr}/k8s-proxy"), Auth::None);
    let config = WatcherConfig {
        page_size: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(50),
        ..WatcherConfig::default()
    };
    let watcher = Watcher::<Pod>::new(
        conn,
        Rc::new(NativeTransport::default()),
        Pod::API,
        Selector::namespace("demo"),
    )
    .with_config(config);
    let store = Rc::new(RefCell::new(Store::<Pod>::new()));
    let sink = store.clone();
    let run = watcher.run(move |ev| {
        sink.borrow_mut().apply(ev);
    });

    let driver = async {
        let pods = resources::by_kind("v1", "Pod").unwrap();
        let mut injected = Vec::new();
        let mut n = 0u64;
        while injected.len() < 200 {
            n += 1;
            let name = format!("churn-{}", (n / 5) % 40);
            match n % 5 {
                0 | 1 => cluster.create(pods, "demo", json!({ "metadata": { "name": name }, "spec": { "containers": [{ "name": "c", "image": "i" }] }, "status": { "phase": "Pending" } })).map(drop),
                2 | 3 => cluster.patch(pods, "demo", &name, &json!({ "status": { "phase": if n.is_multiple_of(2) { "Running" } else { "Failed" } } })).map(drop),
                _ => cluster.delete(pods, "demo", &name, Some(0)).map(drop),
            }
            .ok();
            // Conflicts and misses (create twice, patch a deleted pod) are part of the churn.
            if n.is_multiple_of(10) {
                tokio::time::sleep(Duration::from_millis(5)).await;
                injected.extend(faults.take_report());
            }
            assert!(
                n < 30_000,
                "only {} faults after {n} changes",
                injected.len()
            );
        }
        faults.configure(FaultConfig::default());
        // Converge: the store must equal the cluster's state exactly.
        let want = cluster_state(&cluster);
        for _ in 0..1000 {
            if store_state(&store.borrow()) == want {
                return injected;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!(
            "did not converge after {} faults:\nstore {:?}\nwant {want:?}",
            injected.len(),
            store_state(&store.borrow())
        );
    };
    let injected = match select(run.boxed_local(), driver.boxed_local()).await {
        Either::Left(_) => panic!("the watcher stopped"),
        Either::Right((injected, _)) => injected,
    };
    let kinds: std::collections::BTreeSet<&str> = injected
        .iter()
        .filter_map(|i| i.split(' ').next())
        .collect();
    assert!(kinds.len() >= 5, "too few kinds of fault: {kinds:?}");
    // Requests are refused too, not only streams cut (they were never, unnoticed).
    for kind in ["TooManyRequests", "ServerError", "Unavailable"] {
        assert!(kinds.contains(kind), "no {kind} among {kinds:?}");
    }
    assert_eq!(injected.len(), 200);
}
