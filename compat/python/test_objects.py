"""Custom objects (Flux), DynamicClient, and writes read back: merge and strategic merge patches."""

import uuid

import pytest
from kubernetes import client, watch
from kubernetes.client.rest import ApiException
from kubernetes.dynamic import DynamicClient

FLUX = [
    ("source.toolkit.fluxcd.io", "v1", "gitrepositories", "GitRepository"),
    ("kustomize.toolkit.fluxcd.io", "v1", "kustomizations", "Kustomization"),
    ("helm.toolkit.fluxcd.io", "v2", "helmreleases", "HelmRelease"),
]


@pytest.fixture(scope="module")
def custom(api_client):
    return client.CustomObjectsApi(api_client)


@pytest.mark.parametrize("group,version,plural,kind", FLUX, ids=[f[3] for f in FLUX])
def test_custom_objects_list_and_get(custom, group, version, plural, kind):
    listed = custom.list_cluster_custom_object(group, version, plural, _request_timeout=30)
    assert listed["kind"] == f"{kind}List"
    assert listed["items"], f"the demo serves no {kind}"
    first = listed["items"][0]
    assert first["apiVersion"] == f"{group}/{version}" and first["kind"] == kind
    meta = first["metadata"]
    got = custom.get_namespaced_custom_object(
        group, version, meta["namespace"], plural, meta["name"], _request_timeout=30
    )
    assert got["metadata"]["uid"] == meta["uid"]


def test_custom_object_merge_patch_is_read_back_and_watched(custom, paused_story):
    group, version, plural, _ = FLUX[1]
    listed = custom.list_cluster_custom_object(group, version, plural)
    ks = listed["items"][0]["metadata"]
    ns, name = ks["namespace"], ks["name"]
    try:
        custom.patch_namespaced_custom_object(
            group, version, ns, plural, name, {"spec": {"suspend": True}}, _request_timeout=30
        )
        got = custom.get_namespaced_custom_object(group, version, ns, plural, name)
        assert got["spec"]["suspend"] is True
        w, event = watch.Watch(), None
        for event in w.stream(
            custom.list_namespaced_custom_object,
            group,
            version,
            ns,
            plural,
            resource_version=listed["metadata"]["resourceVersion"],
            field_selector=f"metadata.name={name}",
            timeout_seconds=5,
            _request_timeout=10,
        ):
            w.stop()
        assert event, "the watch saw no change"
        assert event["type"] == "MODIFIED" and event["object"]["spec"]["suspend"] is True
    finally:
        custom.patch_namespaced_custom_object(
            group, version, ns, plural, name, {"spec": {"suspend": False}}
        )


def test_strategic_merge_patch_on_a_custom_resource_is_unsupported(custom):
    group, version, plural, _ = FLUX[1]
    ks = custom.list_cluster_custom_object(group, version, plural)["items"][0]["metadata"]
    with pytest.raises(ApiException) as refused:
        custom.patch_namespaced_custom_object(
            group,
            version,
            ks["namespace"],
            plural,
            ks["name"],
            {"metadata": {"labels": {"x": "y"}}},
            _content_type="application/strategic-merge-patch+json",
        )
    assert refused.value.status == 415


def test_dynamic_client_discovers_and_gets(api_client, tmp_path):
    dynamic = DynamicClient(api_client, cache_file=str(tmp_path / "discovery.json"))
    deployments = dynamic.resources.get(api_version="apps/v1", kind="Deployment")
    typed = client.AppsV1Api(api_client).list_deployment_for_all_namespaces()
    listed = deployments.get()
    assert sorted(d.metadata.name for d in listed.items) == sorted(
        d.metadata.name for d in typed.items
    )
    kustomizations = dynamic.resources.get(
        api_version="kustomize.toolkit.fluxcd.io/v1", kind="Kustomization"
    )
    first = kustomizations.get().items[0]
    one = kustomizations.get(name=first.metadata.name, namespace=first.metadata.namespace)
    assert one.metadata.uid == first.metadata.uid


def test_dynamic_client_reads_one_custom_kind_in_two_versions(api_client, tmp_path):
    dynamic = DynamicClient(api_client, cache_file=str(tmp_path / "discovery.json"))
    versions = {
        v: dynamic.resources.get(api_version=f"example.com/{v}", kind="Widget").get()
        for v in ("v1", "v1beta1")
    }
    uids = {v: sorted(w.metadata.uid for w in lst.items) for v, lst in versions.items()}
    assert uids["v1"] and uids["v1"] == uids["v1beta1"], "one storage, two versions"
    assert {w.apiVersion for w in versions["v1beta1"].items} == {"example.com/v1beta1"}


def test_config_map_merge_patch_read_back_and_delete(core):
    ns, name = "default", f"compat-{uuid.uuid4().hex[:8]}"
    body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name), data={"a": "1", "b": "2"})
    created = core.create_namespaced_config_map(ns, body, _request_timeout=30)
    assert created.metadata.uid and created.metadata.resource_version
    core.patch_namespaced_config_map(
        name,
        ns,
        {"data": {"a": "10", "b": None, "c": "3"}},
        _content_type="application/merge-patch+json",
    )
    assert core.read_namespaced_config_map(name, ns).data == {"a": "10", "c": "3"}
    # The client returns a dict here (the API may answer a Status or the object); for a ConfigMap
    # a real server answers a Status.
    status = core.delete_namespaced_config_map(name, ns, _request_timeout=30)
    assert (status.get("kind"), status.get("status")) == ("Status", "Success")
    with pytest.raises(ApiException) as gone:
        core.read_namespaced_config_map(name, ns)
    assert gone.value.status == 404


def test_deployment_strategic_merge_patch_scales(api_client, paused_story):
    apps = client.AppsV1Api(api_client)
    deployment = apps.list_deployment_for_all_namespaces().items[0]
    ns, name = deployment.metadata.namespace, deployment.metadata.name
    before = deployment.spec.replicas
    try:
        # The client's default patch type for a dict body (strategic merge patch), as kubectl's.
        apps.patch_namespaced_deployment(name, ns, {"spec": {"replicas": before + 2}})
        after = apps.read_namespaced_deployment(name, ns)
        assert after.spec.replicas == before + 2
        assert after.metadata.generation > deployment.metadata.generation
    finally:
        apps.patch_namespaced_deployment(name, ns, {"spec": {"replicas": before}})
