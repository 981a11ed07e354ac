//! Property test of kubeconfig loading (`--kubeconfig`), an input lookout-dev reads from disk and
//! whose secrets must never surface: arbitrary files (random bytes, and kubeconfigs with random
//! references, URLs, credentials and wrong types in any field) load or fail with a specific
//! `kubeconfig <path>: …` error, never panic, and no token, password or key appears in an error,
//! an upstream's name or its `Debug` form.
//!
//! 256 cases by default; `PROPTEST_CASES=5000 cargo test -p lookout-devserver --test
//! kubeconfig_properties` runs more.

use lookout_devserver::upstream::from_kubeconfig;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::PathBuf;

/// Every secret a generated kubeconfig holds starts with this.
const SECRET: &str = "s3cr3t-";

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => Just("a".to_owned()),
        1 => Just("b".to_owned()),
        1 => Just(String::new()),
        1 => "[a-z\\-. ]{1,12}",
        1 => "\\PC{0,8}",
    ]
}

fn secret() -> impl Strategy<Value = String> {
    "[A-Za-z0-9+/=:._-]{0,40}".prop_map(|s| format!("{SECRET}{s}"))
}

fn server() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("https://127.0.0.1:1".to_owned()),
        1 => Just("http://[::1".to_owned()),
        1 => Just(String::new()),
        3 => secret().prop_map(|s| format!("https://admin:{s}@127.0.0.1:1/base")),
        1 => "[a-z:/.0-9%@\\[\\]]{0,30}",
    ]
}

fn user() -> impl Strategy<Value = Value> {
    prop_oneof![
        secret().prop_map(|t| json!({ "token": t })),
        (secret(), secret()).prop_map(|(u, p)| json!({ "username": u, "password": p })),
        (secret(), secret()).prop_map(|(c, k)| json!({ "client-certificate-data": c, "client-key-data": k })),
        // A plugin that cannot run: loading must not need it, and a failure must not echo args.
        secret().prop_map(|a| json!({ "exec": { "apiVersion": "client.authentication.k8s.io/v1",
            "command": "/nonexistent/lookout-property-exec", "args": [a], "interactiveMode": "Never" } })),
        Just(json!({})),
    ]
}

/// Any JSON value of another shape than a field expects.
fn wrong() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(json!([1, "x", null])),
        Just(json!({ "unexpected": { "deep": [] } })),
    ]
}

/// A field (JSON pointer) and a value of the wrong type for it: any odd value, or a secret where
/// no string belongs (a parser's message may quote it).
fn broken() -> impl Strategy<Value = (&'static str, Value)> {
    let any_field = prop::sample::select(vec![
        "/clusters",
        "/clusters/0/cluster",
        "/clusters/0/cluster/server",
        "/users/0/user",
        "/users/0/user/token",
        "/users/0/user/exec/args",
        "/contexts/0/context",
        "/contexts/0/name",
        "/current-context",
        "/apiVersion",
    ]);
    let not_a_string = prop::sample::select(vec![
        "/clusters/0/cluster",
        "/clusters/0/cluster/insecure-skip-tls-verify",
        "/users/0/user",
        "/users/0/user/exec/args",
        "/contexts/0/context",
    ]);
    prop_oneof![
        (any_field, wrong()),
        (not_a_string, secret().prop_map(Value::from)),
    ]
}

fn kubeconfig() -> impl Strategy<Value = Value> {
    let cluster = (
        name(),
        server(),
        proptest::option::of(secret()),
        any::<bool>(),
    )
        .prop_map(|(name, server, ca, insecure)| {
            let mut c = json!({ "server": server, "insecure-skip-tls-verify": insecure });
            if let Some(ca) = ca {
                c["certificate-authority-data"] = json!(ca);
            }
            json!({ "name": name, "cluster": c })
        });
    let user = (name(), user()).prop_map(|(name, user)| json!({ "name": name, "user": user }));
    let context = (name(), name(), name(), proptest::option::of(name())).prop_map(
        |(name, cluster, user, namespace)| {
            json!({ "name": name, "context": { "cluster": cluster, "user": user, "namespace": namespace } })
        },
    );
    (
        prop::collection::vec(cluster, 0..3),
        prop::collection::vec(user, 0..3),
        prop::collection::vec(context, 1..3),
        proptest::option::of(name()),
        // Which field (by JSON pointer), if any, gets a value of the wrong type.
        proptest::option::weighted(0.25, broken()),
    )
        .prop_map(|(clusters, users, contexts, current, broken)| {
            let mut config = json!({ "apiVersion": "v1", "kind": "Config", "clusters": clusters,
                "users": users, "contexts": contexts, "current-context": current });
            if let Some((pointer, value)) = broken {
                if let Some(slot) = config.pointer_mut(pointer) {
                    *slot = value;
                }
            }
            config
        })
}

/// The file's contents: a generated kubeconfig (JSON is YAML), or arbitrary bytes.
fn file() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => kubeconfig().prop_map(|k| k.to_string().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..200),
        1 => "(apiVersion: v1\n|kind: Config\n|clusters:\n|- name: a\n|  cluster: \\{\\}\n|users: \\[\\]\n|current-context: a\n|  - \\[\n|\t|: :\n|&a \\*a\n|!!binary x\n){0,12}"
            .prop_map(String::into_bytes),
    ]
}

/// A scratch file per case, removed afterwards.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

proptest! {
    #[test]
    fn any_kubeconfig_loads_or_fails_specifically_and_keeps_its_secrets(
        bytes in file(),
        named in proptest::option::of(name()),
        case in any::<u64>(),
    ) {
        let path = std::env::temp_dir().join(format!("lookout-kubeconfig-{}-{case}.yaml", std::process::id()));
        std::fs::write(&path, &bytes).expect("the scratch file is writable");
        let scratch = Scratch(path);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let contexts: Vec<String> = named.into_iter().collect();
        let result = runtime.block_on(from_kubeconfig(Some(&scratch.0), &contexts));
        match result {
            Ok(upstreams) => {
                for upstream in upstreams {
                    let shown = format!("{} {upstream:?}", upstream.name());
                    prop_assert!(!shown.contains(SECRET), "a secret in {shown:?}");
                }
            }
            Err(message) => {
                prop_assert!(
                    message.starts_with(&format!("kubeconfig {}", scratch.0.display())),
                    "not a specific error: {message:?}"
                );
                prop_assert!(!message.contains(SECRET), "a secret in the error {message:?}");
            }
        }
    }
}
