"""Watches through the client's `Watch` helper: typed events, bookmarks, and 410 after compaction."""

import uuid

import pytest
from kubernetes import client, watch
from kubernetes.client.rest import ApiException


def events(func, *args, stop_when, **kwargs):
    """The events of one watch (at most 10 s) up to the first that `stop_when` accepts."""
    w, seen = watch.Watch(), []
    for event in w.stream(func, *args, timeout_seconds=10, _request_timeout=15, **kwargs):
        seen.append(event)
        if stop_when(event):
            w.stop()
    return w, seen


def test_bookmarks_carry_a_resource_version(core):
    rv = core.list_namespaced_pod("demo").metadata.resource_version
    w, seen = events(
        core.list_namespaced_pod,
        "demo",
        resource_version=rv,
        allow_watch_bookmarks=True,
        stop_when=lambda e: e["type"] == "BOOKMARK",
    )
    assert seen and seen[-1]["type"] == "BOOKMARK", f"no bookmark in 10 s: {[e['type'] for e in seen]}"
    bookmark = seen[-1]
    assert bookmark["raw_object"]["kind"] == "Pod"
    assert bookmark["raw_object"]["metadata"]["resourceVersion"]
    assert w.resource_version == bookmark["raw_object"]["metadata"]["resourceVersion"]
    for event in seen[:-1]:
        assert isinstance(event["object"], client.V1Pod)


def test_watch_sees_create_patch_delete_in_order(core):
    ns, name = "default", f"compat-{uuid.uuid4().hex[:8]}"
    rv = core.list_namespaced_config_map(ns).metadata.resource_version
    core.create_namespaced_config_map(
        ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name), data={"step": "1"})
    )
    core.patch_namespaced_config_map(name, ns, {"data": {"step": "2"}})
    core.delete_namespaced_config_map(name, ns)
    _, seen = events(
        core.list_namespaced_config_map,
        ns,
        resource_version=rv,
        field_selector=f"metadata.name={name}",
        stop_when=lambda e: e["type"] == "DELETED",
    )
    assert [(e["type"], e["object"].data) for e in seen] == [
        ("ADDED", {"step": "1"}),
        ("MODIFIED", {"step": "2"}),
        ("DELETED", {"step": "2"}),
    ]
    assert all(isinstance(e["object"], client.V1ConfigMap) for e in seen)


def test_watch_from_a_compacted_version_is_410_then_relist_resumes(core, dev):
    ns = "default"
    old = core.list_namespaced_config_map(ns).metadata.resource_version
    name = f"compat-{uuid.uuid4().hex[:8]}"
    core.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name)))
    dev("compact")
    with pytest.raises(ApiException) as expired:
        events(core.list_namespaced_config_map, ns, resource_version=old, stop_when=lambda e: True)
    assert expired.value.status == 410
    with pytest.raises(ApiException) as exact:
        core.list_namespaced_config_map(ns, resource_version=old, resource_version_match="Exact")
    assert exact.value.status == 410

    # The recovery every client does: relist, then watch from the list's resourceVersion.
    fresh = core.list_namespaced_config_map(ns)
    assert name in [c.metadata.name for c in fresh.items]
    core.delete_namespaced_config_map(name, ns)
    _, seen = events(
        core.list_namespaced_config_map,
        ns,
        resource_version=fresh.metadata.resource_version,
        stop_when=lambda e: e["type"] == "DELETED",
    )
    assert (seen[-1]["type"], seen[-1]["object"].metadata.name) == ("DELETED", name)
