//! The GitOps story the demo cluster starts with: Flux's controllers, sources, Kustomizations and
//! HelmReleases, and the applications they deploy, with events.

use super::objects::{
    applied_by, container_status, deployment, flux, meta, owner_ref, replicaset, service, Note,
};
use super::Demo;
use crate::resources::by_kind;
use serde_json::{json, Value};

/// Creates an object of (apiVersion, kind); the stored object, if the cluster took it.
fn create(demo: &Demo, api_version: &str, kind: &str, ns: &str, obj: Value) -> Option<Value> {
    demo.cluster
        .create(by_kind(api_version, kind)?, ns, obj)
        .ok()
}

/// A running pod of the ReplicaSet `owner` (a stored object).
fn running_pod(
    owner: &Value,
    name: &str,
    app: &str,
    node: &str,
    restarts: u64,
    waiting: Option<&str>,
) -> Value {
    let state = match waiting {
        Some(reason) => {
            json!({ "waiting": { "reason": reason, "message": format!("back-off 5m0s restarting failed container={app} pod={name}") } })
        }
        None => json!({ "running": { "startedAt": "2026-11-25T08:00:00Z" } }),
    };
    let image = format!("ghcr.io/stefanprodan/{app}:6.5.4");
    let mut status = container_status(app, &image, waiting.is_none(), restarts, state);
    if restarts > 0 {
        // How the previous run ended, as the kubelet records it.
        status["lastState"] = json!({ "terminated": { "reason": "Error", "exitCode": 1,
            "startedAt": "2026-11-25T08:04:50Z", "finishedAt": "2026-11-25T08:05:00Z" } });
    }
    // A stable pod IP from the name, in the node's pod range.
    let host = name
        .bytes()
        .fold(0u8, |h, b| h.wrapping_mul(31).wrapping_add(b))
        % 250
        + 2;
    let subnet = node.trim_start_matches("node-");
    json!({
        "metadata": { "name": name, "namespace": owner["metadata"]["namespace"], "labels": owner["spec"]["template"]["metadata"]["labels"],
                      "ownerReferences": [owner_ref(owner)] },
        "spec": { "nodeName": node, "containers": [{ "name": app, "image": image,
                  "ports": [{ "name": "http", "containerPort": 9898, "protocol": "TCP" }] }] },
        "status": { "phase": "Running", "hostIP": format!("172.18.0.{subnet}"), "podIP": format!("10.244.{subnet}.{host}"),
                    "qosClass": "BestEffort", "containerStatuses": [status] },
    })
}

/// A Deployment and its current ReplicaSet; the ReplicaSet, as stored.
fn workload(
    demo: &Demo,
    deployment: Value,
    hash: &str,
    replicas: u32,
    ready: u32,
) -> Option<Value> {
    let ns = deployment["metadata"]["namespace"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    let deployment = create(demo, "apps/v1", "Deployment", &ns, deployment)?;
    create(
        demo,
        "apps/v1",
        "ReplicaSet",
        &ns,
        replicaset(&deployment, hash, replicas, ready),
    )
}

/// A controller adopts the orphan pods named `{owner}-…` (the base seed's pods are created before
/// their ReplicaSets and DaemonSets), adding `labels`.
fn adopt(demo: &Demo, owner: &Value, labels: Value) {
    let Some(pods) = by_kind("v1", "Pod") else {
        return;
    };
    let ns = owner["metadata"]["namespace"].as_str().unwrap_or("");
    let prefix = format!("{}-", owner["metadata"]["name"].as_str().unwrap_or(""));
    let orphan = |p: &Value| {
        p["metadata"]["ownerReferences"].is_null()
            && p["metadata"]["name"]
                .as_str()
                .is_some_and(|n| n.starts_with(&prefix))
    };
    let orphans = demo.cluster.list_values(pods, Some(ns), orphan);
    for pod in orphans {
        let name = pod["metadata"]["name"].as_str().unwrap_or("");
        let adopt =
            json!({ "metadata": { "ownerReferences": [owner_ref(owner)], "labels": labels } });
        let _ = demo.cluster.patch(pods, ns, name, &adopt);
    }
}

/// Adopts the pods of a ReplicaSet (they get its `pod-template-hash`).
fn adopt_replicas(demo: &Demo, rs: &Value) {
    let hash = &rs["metadata"]["labels"]["pod-template-hash"];
    adopt(demo, rs, json!({ "pod-template-hash": hash }));
}

/// The cluster's own workloads in kube-system: CoreDNS and the kube-proxy DaemonSet.
fn system_workloads(demo: &Demo, time: &str) {
    let labels = json!({ "app": "coredns", "k8s-app": "kube-dns" });
    let image = "registry.k8s.io/coredns/coredns:v1.11.3";
    let d = deployment("kube-system", "coredns", 1, 1, image, labels, time);
    if let Some(rs) = workload(demo, d, "5d78c9869d", 1, 1) {
        adopt_replicas(demo, &rs);
    }
    let proxy = json!({
        "metadata": meta("kube-system", "kube-proxy", json!({ "app": "kube-proxy" })),
        "spec": { "selector": { "matchLabels": { "app": "kube-proxy" } },
                  "template": { "metadata": { "labels": { "app": "kube-proxy" } },
                                "spec": { "containers": [{ "name": "kube-proxy", "image": "registry.k8s.io/kube-proxy:v1.33.5" }] } },
                  "updateStrategy": { "type": "RollingUpdate" } },
        "status": { "observedGeneration": 1, "currentNumberScheduled": 2, "desiredNumberScheduled": 2, "numberMisscheduled": 0,
                    "numberReady": 2, "numberAvailable": 2, "updatedNumberScheduled": 2 },
    });
    if let Some(ds) = create(demo, "apps/v1", "DaemonSet", "kube-system", proxy) {
        adopt(
            demo,
            &ds,
            json!({ "controller-revision-hash": "7c8f9d6b5" }),
        );
    }
}

/// Seeds everything; `time` is the RFC 3339 time written into conditions.
pub fn seed(demo: &Demo, time: &str) {
    let c = |kind: &str, ns: &str, obj: Value| create(demo, "v1", kind, ns, obj);
    for ns in ["flux-system", "podinfo"] {
        c(
            "Namespace",
            "",
            json!({ "metadata": { "name": ns, "labels": applied_by("infrastructure") }, "status": { "phase": "Active" } }),
        );
    }
    for (i, node) in ["node-1", "node-2"].iter().enumerate() {
        c(
            "Node",
            "",
            json!({ "metadata": { "name": node, "labels": { "kubernetes.io/hostname": node, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64" } },
            "spec": { "podCIDR": format!("10.244.{i}.0/24"), "podCIDRs": [format!("10.244.{i}.0/24")] },
            "status": { "conditions": [{ "type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status",
                                         "lastHeartbeatTime": time, "lastTransitionTime": time }],
                        "capacity": { "cpu": "4", "memory": "16374624Ki", "pods": "110" },
                        "allocatable": { "cpu": "4", "memory": "16272224Ki", "pods": "110" },
                        "nodeInfo": { "kubeletVersion": "v1.33.5", "kubeProxyVersion": "", "architecture": "amd64", "operatingSystem": "linux",
                                      "osImage": "Debian GNU/Linux 12 (bookworm)", "kernelVersion": "6.1.0-28-amd64",
                                      "containerRuntimeVersion": "containerd://1.7.24", "machineID": format!("{:032x}", i + 1),
                                      "systemUUID": format!("00000000-0000-0000-0000-{:012x}", i + 1), "bootID": format!("00000000-0000-0000-0001-{:012x}", i + 1) },
                        "addresses": [{ "type": "InternalIP", "address": format!("10.0.0.{}", i + 10) }, { "type": "Hostname", "address": node }] } }),
        );
    }

    // Flux's own controllers.
    for (ctl, hash) in [
        ("source-controller", "6d9c8b7f5"),
        ("kustomize-controller", "5f7d6c9b8"),
        ("helm-controller", "7b8c9d6f4"),
        ("notification-controller", "8c6d5b7f9"),
    ] {
        let labels = json!({ "app": ctl, "app.kubernetes.io/part-of": "flux" });
        let image = format!("ghcr.io/fluxcd/{ctl}:v1.4.1");
        let d = deployment("flux-system", ctl, 1, 1, &image, labels, time);
        if let Some(rs) = workload(demo, d, hash, 1, 1) {
            let name = format!("{ctl}-{hash}-x{}", &hash[..4]);
            c(
                "Pod",
                "flux-system",
                running_pod(&rs, &name, ctl, "node-1", 0, None),
            );
        }
    }

    // Sources.
    let rev = demo.git_revision(0);
    let src = |kind: &str, obj: Value| {
        create(
            demo,
            "source.toolkit.fluxcd.io/v1",
            kind,
            "flux-system",
            obj,
        )
    };
    src(
        "GitRepository",
        flux(
            "flux-system",
            "flux-system",
            json!({ "url": "https://gitlab.example.com/platform/fleet.git", "ref": { "branch": "main" }, "interval": "1m0s" }),
            (
                "True",
                "Succeeded",
                &format!("stored artifact for revision '{rev}'"),
            ),
            json!({ "artifact": { "revision": rev, "lastUpdateTime": time, "path": "gitrepository/flux-system/flux-system/latest.tar.gz" } }),
            time,
        ),
    );
    src(
        "OCIRepository",
        flux(
            "flux-system",
            "podinfo-manifests",
            json!({ "url": "oci://ghcr.io/stefanprodan/manifests/podinfo", "ref": { "tag": "6.5.4" }, "interval": "5m0s" }),
            (
                "True",
                "Succeeded",
                "stored artifact for digest '6.5.4@sha256:b4ba3a8c'",
            ),
            json!({ "artifact": { "revision": "6.5.4@sha256:b4ba3a8c1a2b3c4d", "lastUpdateTime": time } }),
            time,
        ),
    );
    src(
        "HelmRepository",
        flux(
            "flux-system",
            "podinfo",
            json!({ "url": "https://stefanprodan.github.io/podinfo", "interval": "1h0m0s" }),
            (
                "True",
                "Succeeded",
                "stored artifact: revision 'sha256:7e5c7b6a'",
            ),
            json!({ "artifact": { "revision": "sha256:7e5c7b6a" } }),
            time,
        ),
    );
    src(
        "HelmChart",
        flux(
            "flux-system",
            "podinfo-podinfo",
            json!({ "chart": "podinfo", "version": "6.5.*", "sourceRef": { "kind": "HelmRepository", "name": "podinfo" }, "interval": "1h0m0s" }),
            (
                "True",
                "ChartPullSucceeded",
                "pulled 'podinfo' chart with version '6.5.4'",
            ),
            json!({ "artifact": { "revision": "6.5.4" } }),
            time,
        ),
    );

    // Kustomizations: infrastructure, then apps (depends on it; applies the demo namespace).
    let demo_inventory: Vec<Value> = demo_namespace_inventory()
        .into_iter()
        .map(|id| json!({ "id": id, "v": "v1" }))
        .collect();
    let ks = |name: &str, path: &str, deps: Value, source: Value, inventory: Vec<Value>| {
        let applied = format!("Applied revision: {rev}");
        create(
            demo,
            "kustomize.toolkit.fluxcd.io/v1",
            "Kustomization",
            "flux-system",
            flux(
                "flux-system",
                name,
                json!({ "interval": "10m0s", "path": path, "prune": true, "sourceRef": source, "dependsOn": deps, "timeout": "5m0s" }),
                ("True", "ReconciliationSucceeded", &applied),
                json!({ "lastAppliedRevision": rev, "lastAttemptedRevision": rev, "inventory": { "entries": inventory } }),
                time,
            ),
        );
    };
    let git = json!({ "kind": "GitRepository", "name": "flux-system" });
    ks(
        "infrastructure",
        "./infrastructure",
        json!([]),
        git.clone(),
        vec![
            json!({ "id": "_podinfo__Namespace", "v": "v1" }),
            json!({ "id": "_flux-system__Namespace", "v": "v1" }),
        ],
    );
    ks(
        "apps",
        "./apps/demo",
        json!([{ "name": "infrastructure" }]),
        git,
        demo_inventory,
    );
    ks(
        "podinfo-manifests",
        "./",
        json!([]),
        json!({ "kind": "OCIRepository", "name": "podinfo-manifests" }),
        vec![],
    );

    // HelmReleases: podinfo (the controller makes an upgrade fail and recover), redis (suspended).
    let helm = |name: &str,
                ns: &str,
                chart: &str,
                version: &str,
                suspend: bool,
                app_version: &str| {
        let history = json!([{ "version": 1, "chartName": chart, "chartVersion": version, "appVersion": app_version, "status": "deployed",
                                 "firstDeployed": time, "lastDeployed": time, "digest": "sha256:0f3a" }]);
        let mut obj = flux(ns, name,
            json!({ "interval": "5m0s", "suspend": suspend, "releaseName": name,
                    "chart": { "spec": { "chart": chart, "version": version, "sourceRef": { "kind": "HelmRepository", "name": "podinfo", "namespace": "flux-system" } } } }),
            ("True", "UpgradeSucceeded", &format!("Helm install succeeded for release {ns}/{name}.v1 with chart {chart}@{version}")),
            json!({ "history": history, "lastAttemptedRevision": version }), time);
        obj["metadata"]["labels"] = applied_by("apps");
        create(demo, "helm.toolkit.fluxcd.io/v2", "HelmRelease", ns, obj);
    };
    helm("podinfo", "podinfo", "podinfo", "6.5.4", false, "6.5.4");
    helm("redis", "podinfo", "redis", "19.0.1", true, "7.2.4");

    let notify = |kind: &str, name: &str, spec: Value| {
        let obj = json!({ "metadata": meta("flux-system", name, json!({})), "spec": spec });
        create(
            demo,
            "notification.toolkit.fluxcd.io/v1beta3",
            kind,
            "flux-system",
            obj,
        );
    };
    notify(
        "Provider",
        "slack",
        json!({ "type": "slack", "channel": "#deploys", "secretRef": { "name": "slack-url" } }),
    );
    notify(
        "Alert",
        "on-call",
        json!({ "providerRef": { "name": "slack" }, "eventSeverity": "error",
        "eventSources": [{ "kind": "Kustomization", "name": "*" }, { "kind": "HelmRelease", "name": "*", "namespace": "podinfo" }] }),
    );
    let image = |kind: &str, name: &str, spec: Value, status: Value| {
        let obj = flux(
            "flux-system",
            name,
            spec,
            ("True", "Succeeded", "successful scan: found 42 tags"),
            status,
            time,
        );
        create(
            demo,
            "image.toolkit.fluxcd.io/v1beta2",
            kind,
            "flux-system",
            obj,
        );
    };
    image(
        "ImageRepository",
        "podinfo",
        json!({ "image": "ghcr.io/stefanprodan/podinfo", "interval": "5m0s" }),
        json!({ "lastScanResult": { "tagCount": 42 } }),
    );
    image(
        "ImagePolicy",
        "podinfo",
        json!({ "imageRepositoryRef": { "name": "podinfo" }, "policy": { "semver": { "range": "6.5.x" } } }),
        json!({ "latestImage": "ghcr.io/stefanprodan/podinfo:6.5.4" }),
    );

    // The podinfo application (HelmRelease-managed), one replica crash-looping.
    let helm_labels = json!({ "app": "podinfo", "helm.toolkit.fluxcd.io/name": "podinfo", "helm.toolkit.fluxcd.io/namespace": "podinfo" });
    let d = deployment(
        "podinfo",
        "podinfo",
        2,
        1,
        "ghcr.io/stefanprodan/podinfo:6.5.4",
        helm_labels.clone(),
        time,
    );
    if let Some(rs) = workload(demo, d, "5d8f9c7b6", 2, 1) {
        for (name, node, restarts, waiting) in [
            ("podinfo-5d8f9c7b6-ab12c", "node-1", 0, None),
            (
                "podinfo-5d8f9c7b6-cd34e",
                "node-2",
                4,
                Some("CrashLoopBackOff"),
            ),
        ] {
            c(
                "Pod",
                "podinfo",
                running_pod(&rs, name, "podinfo", node, restarts, waiting),
            );
        }
    }
    c(
        "Service",
        "podinfo",
        service("podinfo", "podinfo", 9898, helm_labels),
    );

    // The demo namespace's workloads (the pods themselves are seeded by `seed::seed`).
    let labels = |app: &str| {
        let mut l = applied_by("apps");
        l["app"] = json!(app);
        l
    };
    for (name, hash, replicas, ready) in [
        ("web", "7d9f8c6b5", 2, 2),
        ("api", "5c8d7b9f4", 1, 1),
        ("worker", "6b7c8d9e0", 1, 0),
    ] {
        let image = format!("registry.example.com/{name}:1.4.2");
        let d = deployment("demo", name, replicas, ready, &image, labels(name), time);
        if let Some(rs) = workload(demo, d, hash, replicas, ready) {
            adopt_replicas(demo, &rs);
        }
    }
    for (name, port) in [("web", 80), ("api", 8080)] {
        c("Service", "demo", service("demo", name, port, labels(name)));
    }
    create(
        demo,
        "networking.k8s.io/v1",
        "Ingress",
        "demo",
        json!({ "metadata": meta("demo", "web", labels("web")),
        "spec": { "ingressClassName": "nginx", "rules": [{ "host": "demo.example.com", "http": { "paths": [{ "path": "/", "pathType": "Prefix",
            "backend": { "service": { "name": "web", "port": { "number": 80 } } } }] } }] },
        "status": { "loadBalancer": { "ingress": [{ "ip": "203.0.113.10" }] } } }),
    );
    c(
        "ConfigMap",
        "demo",
        json!({ "metadata": meta("demo", "web-config", labels("web")), "data": { "LOG_LEVEL": "info" } }),
    );
    c(
        "Secret",
        "demo",
        json!({ "metadata": meta("demo", "api-credentials", labels("api")), "type": "Opaque", "data": { "password": "aHVudGVyMg==" } }),
    );
    c(
        "PersistentVolumeClaim",
        "demo",
        json!({ "metadata": meta("demo", "cache-data", labels("cache")),
        "spec": { "accessModes": ["ReadWriteOnce"], "storageClassName": "standard", "resources": { "requests": { "storage": "1Gi" } } },
        "status": { "phase": "Bound" } }),
    );
    create(
        demo,
        "apps/v1",
        "StatefulSet",
        "demo",
        json!({ "metadata": meta("demo", "cache", labels("cache")),
        "spec": { "replicas": 1, "serviceName": "cache", "selector": { "matchLabels": { "app": "cache" } },
                  "template": { "metadata": { "labels": { "app": "cache" } }, "spec": { "containers": [{ "name": "redis", "image": "redis:7" }] } } },
        "status": { "observedGeneration": 1, "replicas": 1, "readyReplicas": 0, "currentReplicas": 1, "updatedReplicas": 1, "currentRevision": "cache-1", "updateRevision": "cache-1" } }),
    );
    create(
        demo,
        "batch/v1",
        "Job",
        "demo",
        json!({ "metadata": meta("demo", "migrate", labels("migrate")),
        "spec": { "completions": 1, "template": { "metadata": { "labels": { "app": "migrate" } },
                  "spec": { "restartPolicy": "Never", "containers": [{ "name": "migrate", "image": "registry.example.com/migrate:1.4.2" }] } } },
        "status": { "succeeded": 1, "startTime": time, "completionTime": time, "conditions": [{ "type": "Complete", "status": "True" }] } }),
    );
    create(
        demo,
        "batch/v1",
        "CronJob",
        "demo",
        json!({ "metadata": meta("demo", "backup", labels("backup")),
        "spec": { "schedule": "0 3 * * *", "suspend": false, "concurrencyPolicy": "Forbid",
                  "jobTemplate": { "spec": { "template": { "spec": { "restartPolicy": "OnFailure",
                      "containers": [{ "name": "backup", "image": "registry.example.com/backup:1.4.2" }] } } } } },
        "status": { "lastScheduleTime": time } }),
    );

    for (i, (ns, kind, name, ty, reason, message, component)) in [
        (
            "demo",
            "Pod",
            "worker-6b7c8d9e0-pqrst",
            "Warning",
            "BackOff",
            "Back-off restarting failed container worker in pod worker-6b7c8d9e0-pqrst",
            "kubelet",
        ),
        (
            "demo",
            "Pod",
            "cache-0",
            "Normal",
            "Pulling",
            "Pulling image \"redis:7\"",
            "kubelet",
        ),
        (
            "demo",
            "Deployment",
            "web",
            "Normal",
            "ScalingReplicaSet",
            "Scaled up replica set web-7d9f8c6b5 to 2",
            "deployment-controller",
        ),
        (
            "flux-system",
            "Kustomization",
            "apps",
            "Normal",
            "ReconciliationSucceeded",
            "Reconciliation finished in 1.2s, next run in 10m0s",
            "kustomize-controller",
        ),
        (
            "podinfo",
            "HelmRelease",
            "podinfo",
            "Normal",
            "UpgradeSucceeded",
            "Helm upgrade succeeded for release podinfo/podinfo.v1 with chart podinfo@6.5.4",
            "helm-controller",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let note = Note {
            kind,
            name,
            severity: ty,
            reason,
            message,
            component,
        };
        super::record(&demo.cluster, ns, &note, time, i as u64);
    }
    widgets(demo, time);
    system_workloads(demo, time);
}

/// Widgets of `example.com`, a group Lookout knows nothing about, served as v1 (preferred) and
/// v1beta1; one was created through each version.
fn widgets(demo: &Demo, time: &str) {
    for (name, version, color, ready) in [
        ("gear", "v1", "blue", ("True", "Ready", "widget is ready")),
        (
            "sprocket",
            "v1beta1",
            "red",
            ("True", "Ready", "widget is ready"),
        ),
        (
            "flywheel",
            "v1",
            "green",
            ("False", "OutOfStock", "no flywheels left"),
        ),
    ] {
        let obj = json!({ "metadata": meta("demo", name, json!({ "app": "widgets" })),
            "spec": { "color": color, "size": name.len() },
            "status": { "observedGeneration": 1, "conditions": [super::objects::condition("Ready", ready.0, ready.1, ready.2, time)] } });
        create(
            demo,
            &format!("example.com/{version}"),
            "Widget",
            "demo",
            obj,
        );
    }
}

/// Inventory ids of what the `apps` Kustomization applies to the demo namespace (~30 objects).
fn demo_namespace_inventory() -> Vec<String> {
    let mut ids = vec!["_demo__Namespace".to_owned()];
    for app in ["web", "api", "worker"] {
        ids.push(format!("demo_{app}_apps_Deployment"));
        ids.push(format!("demo_{app}__ServiceAccount"));
        ids.push(format!("demo_{app}_policy_PodDisruptionBudget"));
        ids.push(format!("demo_{app}-config__ConfigMap"));
        ids.push(format!("demo_{app}_autoscaling_HorizontalPodAutoscaler"));
        ids.push(format!("demo_{app}_monitoring.coreos.com_ServiceMonitor"));
    }
    for id in [
        "demo_web__Service",
        "demo_api__Service",
        "demo_web_networking.k8s.io_Ingress",
        "demo_web-config__ConfigMap",
        "demo_api-credentials__Secret",
        "demo_cache-data__PersistentVolumeClaim",
        "demo_cache_apps_StatefulSet",
        "demo_migrate_batch_Job",
        "demo_backup_batch_CronJob",
        "demo_default_networking.k8s.io_NetworkPolicy",
        "demo_app-role_rbac.authorization.k8s.io_Role",
        "demo_app-role_rbac.authorization.k8s.io_RoleBinding",
    ] {
        ids.push(id.to_owned());
    }
    ids
}
