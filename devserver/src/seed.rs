//! The demo state the simulated cluster starts with.

use crate::cluster::Cluster;
use crate::resources;
use serde_json::{json, Value};

/// The CustomResourceDefinition of every custom kind served (one per group and kind, its versions
/// in discovery order, the first one stored), established and with its names accepted.
pub fn custom_resource_definitions() -> Vec<Value> {
    let mut crds: Vec<Value> = Vec::new();
    for def in resources::RESOURCES.iter().filter(|r| r.is_custom()) {
        let name = format!("{}.{}", def.plural, def.group);
        let version = json!({
            "name": def.version, "served": true, "storage": false,
            "schema": { "openAPIV3Schema": { "type": "object", "x-kubernetes-preserve-unknown-fields": true } },
            "subresources": { "status": {} },
        });
        if let Some(crd) = crds.iter_mut().find(|c| c["metadata"]["name"] == name) {
            if let Some(versions) = crd["spec"]["versions"].as_array_mut() {
                versions.push(version);
            }
            continue;
        }
        let mut version = version;
        version["storage"] = json!(true);
        let mut names = json!({ "plural": def.plural, "singular": def.kind.to_lowercase(), "kind": def.kind, "listKind": def.list_kind() });
        if !def.short_names.is_empty() {
            names["shortNames"] = json!(def.short_names);
        }
        if !def.categories.is_empty() {
            names["categories"] = json!(def.categories);
        }
        let condition = |kind: &str, reason: &str, message: &str| json!({ "type": kind, "status": "True", "reason": reason, "message": message, "lastTransitionTime": "2026-11-25T08:00:00Z" });
        crds.push(json!({
            "metadata": { "name": name },
            "spec": { "group": def.group, "names": names, "scope": if def.namespaced { "Namespaced" } else { "Cluster" }, "versions": [version] },
            "status": {
                "conditions": [
                    condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                    condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
                ],
                "acceptedNames": names, "storedVersions": [def.version],
            },
        }));
    }
    crds
}

/// Creates the CustomResourceDefinitions of the custom kinds served.
fn seed_definitions(cluster: &Cluster) {
    let Some(crd) = resources::by_kind("apiextensions.k8s.io/v1", "CustomResourceDefinition")
    else {
        return;
    };
    for obj in custom_resource_definitions() {
        let _ = cluster.create(crd, "", obj);
    }
}

/// A pod with one container per `(name, ready, restarts, waiting reason)`.
fn pod(
    ns: &str,
    name: &str,
    app: &str,
    node: &str,
    phase: &str,
    containers: &[(&str, bool, u32, Option<&str>)],
) -> Value {
    let image = |c: &str| format!("registry.example.com/{app}/{c}:1.4.2");
    let specs: Vec<Value> = containers
        .iter()
        .map(|(c, ..)| json!({ "name": c, "image": image(c) }))
        .collect();
    let statuses: Vec<Value> = containers
        .iter()
        .map(|(c, ready, restarts, waiting)| {
            let state = match waiting {
                Some(reason) => json!({ "waiting": { "reason": reason } }),
                None => json!({ "running": { "startedAt": "2026-11-25T08:00:00Z" } }),
            };
            crate::demo::container_status(c, &image(c), *ready, u64::from(*restarts), state)
        })
        .collect();
    json!({
        "metadata": { "name": name, "namespace": ns, "labels": { "app": app } },
        "spec": { "nodeName": node, "containers": specs },
        "status": { "phase": phase, "containerStatuses": statuses },
    })
}

/// Fills the cluster with the demo namespaces and pods.
pub fn seed(cluster: &Cluster) {
    let (Some(namespaces), Some(pods)) = (
        resources::by_kind("v1", "Namespace"),
        resources::by_kind("v1", "Pod"),
    ) else {
        return;
    };
    seed_definitions(cluster);
    for ns in ["default", "demo", "kube-system"] {
        let _ = cluster.create(
            namespaces,
            "",
            json!({ "metadata": { "name": ns }, "status": { "phase": "Active" } }),
        );
    }
    let demo = [
        pod(
            "demo",
            "web-7d9f8c6b5-abcde",
            "web",
            "node-1",
            "Running",
            &[("web", true, 0, None), ("envoy", true, 0, None)],
        ),
        pod(
            "demo",
            "web-7d9f8c6b5-fghij",
            "web",
            "node-2",
            "Running",
            &[("web", true, 1, None), ("envoy", true, 0, None)],
        ),
        pod(
            "demo",
            "api-5c8d7b9f4-klmno",
            "api",
            "node-1",
            "Running",
            &[("api", true, 3, None)],
        ),
        pod(
            "demo",
            "worker-6b7c8d9e0-pqrst",
            "worker",
            "node-2",
            "Running",
            &[("worker", false, 7, Some("CrashLoopBackOff"))],
        ),
        pod(
            "demo",
            "migrate-28f3k",
            "migrate",
            "node-1",
            "Succeeded",
            &[("migrate", false, 0, None)],
        ),
        pod(
            "demo",
            "cache-0",
            "cache",
            "",
            "Pending",
            &[("redis", false, 0, Some("ContainerCreating"))],
        ),
    ];
    let system = [
        pod(
            "kube-system",
            "coredns-5d78c9869d-x2x4q",
            "coredns",
            "node-1",
            "Running",
            &[("coredns", true, 0, None)],
        ),
        pod(
            "kube-system",
            "kube-proxy-8kq2m",
            "kube-proxy",
            "node-1",
            "Running",
            &[("kube-proxy", true, 0, None)],
        ),
        pod(
            "kube-system",
            "kube-proxy-r7t5w",
            "kube-proxy",
            "node-2",
            "Running",
            &[("kube-proxy", true, 0, None)],
        ),
    ];
    // Pods named <app>-<hash>-<id> are adopted by the ReplicaSet <app>-<hash> when the living demo
    // creates it (its controllers then replace them when deleted).
    for p in demo.into_iter().chain(system) {
        let ns = p["metadata"]["namespace"]
            .as_str()
            .unwrap_or("default")
            .to_owned();
        let _ = cluster.create(pods, &ns, p);
    }
}

/// A second, small cluster for agent 2: one namespace with a couple of pods.
pub fn seed_staging(cluster: &Cluster) {
    let (Some(namespaces), Some(pods)) = (
        resources::by_kind("v1", "Namespace"),
        resources::by_kind("v1", "Pod"),
    ) else {
        return;
    };
    seed_definitions(cluster);
    let _ = cluster.create(
        namespaces,
        "",
        json!({ "metadata": { "name": "staging" }, "status": { "phase": "Active" } }),
    );
    for p in [
        pod(
            "staging",
            "web-6f5d4c3b2-zzzzz",
            "web",
            "stage-node-1",
            "Running",
            &[("web", true, 0, None)],
        ),
        pod(
            "staging",
            "api-6f5d4c3b2-yyyyy",
            "api",
            "stage-node-1",
            "Pending",
            &[("api", false, 0, Some("ImagePullBackOff"))],
        ),
    ] {
        let _ = cluster.create(pods, "staging", p);
    }
}

/// `--scale N`: N more running pods spread over namespaces of 1,000 pods each (`scale-000`, …).
pub fn seed_scale(cluster: &Cluster, n: usize) {
    let (Some(namespaces), Some(pods)) = (
        resources::by_kind("v1", "Namespace"),
        resources::by_kind("v1", "Pod"),
    ) else {
        return;
    };
    for i in 0..n {
        let ns = format!("scale-{:03}", i / 1000);
        if i % 1000 == 0 {
            let _ = cluster.create(
                namespaces,
                "",
                json!({ "metadata": { "name": ns }, "status": { "phase": "Active" } }),
            );
        }
        let app = format!("svc-{}", i % 50);
        let p = pod(
            &ns,
            &format!("{app}-{i:06}"),
            &app,
            if i % 2 == 0 { "node-1" } else { "node-2" },
            "Running",
            &[("main", true, (i % 3) as u32, None)],
        );
        let _ = cluster.create(pods, &ns, p);
    }
}
