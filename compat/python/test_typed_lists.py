"""Typed lists of every built-in kind lookout-dev serves deserialize into the client's models;
their field selectors are checked per kind, as a real API server checks them."""

import json

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

# Every built-in kind lookout-dev serves (devserver/src/resources/mod.rs) and its typed list call.
TYPED_LISTS = {
    ("v1", "Namespace"): (client.CoreV1Api, "list_namespace"),
    ("v1", "Node"): (client.CoreV1Api, "list_node"),
    ("v1", "Pod"): (client.CoreV1Api, "list_pod_for_all_namespaces"),
    ("v1", "Service"): (client.CoreV1Api, "list_service_for_all_namespaces"),
    ("v1", "ConfigMap"): (client.CoreV1Api, "list_config_map_for_all_namespaces"),
    ("v1", "Secret"): (client.CoreV1Api, "list_secret_for_all_namespaces"),
    ("v1", "PersistentVolumeClaim"): (
        client.CoreV1Api,
        "list_persistent_volume_claim_for_all_namespaces",
    ),
    ("v1", "Event"): (client.CoreV1Api, "list_event_for_all_namespaces"),
    ("apps/v1", "Deployment"): (client.AppsV1Api, "list_deployment_for_all_namespaces"),
    ("apps/v1", "ReplicaSet"): (client.AppsV1Api, "list_replica_set_for_all_namespaces"),
    ("apps/v1", "StatefulSet"): (client.AppsV1Api, "list_stateful_set_for_all_namespaces"),
    ("apps/v1", "DaemonSet"): (client.AppsV1Api, "list_daemon_set_for_all_namespaces"),
    ("batch/v1", "Job"): (client.BatchV1Api, "list_job_for_all_namespaces"),
    ("batch/v1", "CronJob"): (client.BatchV1Api, "list_cron_job_for_all_namespaces"),
    ("networking.k8s.io/v1", "Ingress"): (
        client.NetworkingV1Api,
        "list_ingress_for_all_namespaces",
    ),
    ("events.k8s.io/v1", "Event"): (client.EventsV1Api, "list_event_for_all_namespaces"),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"): (
        client.ApiextensionsV1Api,
        "list_custom_resource_definition",
    ),
}


IDS = [f"{api_version}/{kind}" for api_version, kind in sorted(TYPED_LISTS)]


def typed_list(api_client, api_version, kind):
    api, method = TYPED_LISTS[(api_version, kind)]
    return getattr(api(api_client), method)(_request_timeout=30)


def test_every_served_builtin_kind_is_listed_here(raw_get):
    crds = raw_get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions")["items"]
    custom_groups = {crd["spec"]["group"] for crd in crds}
    # Kinds that can be listed (the access reviews are create-only).
    listable = lambda r: "/" not in r["name"] and "list" in r["verbs"]
    served = {("v1", r["kind"]) for r in raw_get("/api/v1")["resources"] if listable(r)}
    for group in raw_get("/apis")["groups"]:
        if group["name"] in custom_groups:
            continue
        gv = group["preferredVersion"]["groupVersion"]
        served |= {(gv, r["kind"]) for r in raw_get(f"/apis/{gv}")["resources"] if listable(r)}
    assert served == set(TYPED_LISTS)


@pytest.mark.parametrize("api_version,kind", sorted(TYPED_LISTS), ids=IDS)
def test_typed_list_deserializes(api_client, api_version, kind):
    result = typed_list(api_client, api_version, kind)
    assert result.kind == f"{kind}List"
    assert result.metadata.resource_version
    assert result.items, f"the demo serves no {kind}: nothing was checked"
    for item in result.items:
        assert item.metadata.name and item.metadata.uid and item.metadata.creation_timestamp


@pytest.fixture(scope="module")
def story_moved_on(dev):
    """Runs two minutes of the demo story (rollouts, failed upgrades, crash loops, events)."""
    dev("clock", {"advance": 120})


@pytest.mark.parametrize("api_version,kind", sorted(TYPED_LISTS), ids=IDS)
def test_typed_list_deserializes_after_the_story_moved_on(
    api_client, story_moved_on, api_version, kind
):
    assert typed_list(api_client, api_version, kind).kind == f"{kind}List"


def test_version_api(api_client):
    info = client.VersionApi(api_client).get_code(_request_timeout=30)
    assert info.major and info.minor and info.git_version.startswith("v")


def test_pagination_returns_every_item_exactly_once(core, paused_story):
    everything = core.list_pod_for_all_namespaces(_request_timeout=30)
    seen, token, pages = [], None, 0
    while True:
        page = core.list_pod_for_all_namespaces(limit=4, _continue=token, _request_timeout=30)
        pages += 1
        assert len(page.items) <= 4
        if pages == 1:
            snapshot = page.metadata.resource_version
        assert page.metadata.resource_version == snapshot, "pages come from one snapshot"
        seen += [(p.metadata.namespace, p.metadata.name) for p in page.items]
        token = page.metadata.var_continue
        if not token:
            break
    assert pages > 1
    assert len(seen) == len(set(seen)), "an item came twice"
    assert sorted(seen) == sorted((p.metadata.namespace, p.metadata.name) for p in everything.items)


def test_field_selectors_are_checked_per_kind(core):
    running = core.list_pod_for_all_namespaces(field_selector="status.phase=Running")
    assert running.items and all(p.status.phase == "Running" for p in running.items)
    with pytest.raises(ApiException) as refused:
        core.list_pod_for_all_namespaces(field_selector="spec.foo=x", _request_timeout=30)
    assert refused.value.status == 400
    status = json.loads(refused.value.body)
    assert (status["kind"], status["reason"], status["code"]) == ("Status", "BadRequest", 400)
    assert status["message"] == "field label not supported: spec.foo"
    # A kind without field labels of its own names the two every kind has.
    with pytest.raises(ApiException) as refused:
        client.AppsV1Api(core.api_client).list_replica_set_for_all_namespaces(
            field_selector="status.replicas=0", _request_timeout=30
        )
    assert refused.value.status == 400
    assert json.loads(refused.value.body)["message"] == (
        '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'
    )
