"""Fixtures for running the official Python Kubernetes client against a lookout-dev.

`LOOKOUT_URL` names the server (e.g. `http://127.0.0.1:8080`); the Kubernetes API is under
`/k8s-proxy`, the test controls under `/_dev/` (devserver/src/control.rs). The server must admit
callers without credentials (`--open`) and should send bookmarks often (`--bookmark-seconds 1`).
"""

import json
import os
import urllib.request

import pytest
from kubernetes import client


@pytest.fixture(scope="session")
def base_url():
    url = os.environ.get("LOOKOUT_URL")
    if not url:
        pytest.exit("LOOKOUT_URL is not set: start lookout-dev --open and export its URL", 2)
    return url.rstrip("/")


@pytest.fixture(scope="session")
def api_client(base_url):
    config = client.Configuration(host=f"{base_url}/k8s-proxy")
    with client.ApiClient(config) as api:
        yield api


def _post(url, body):
    req = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.load(resp)


@pytest.fixture(scope="session")
def dev(base_url):
    """`dev(action, body)` posts to the server's `/_dev/<action>` control endpoint."""
    return lambda action, body=None: _post(f"{base_url}/_dev/{action}", body or {})


@pytest.fixture(scope="session")
def raw_get(base_url):
    """`raw_get(path)`: the JSON body of a GET under `/k8s-proxy` (for what no typed call covers)."""

    def get(path):
        with urllib.request.urlopen(f"{base_url}/k8s-proxy{path}", timeout=30) as resp:
            return json.load(resp)

    return get


@pytest.fixture
def paused_story(dev):
    """Holds the living demo still for the test, so two reads of the cluster can be compared."""
    dev("clock", {"paused": True})
    yield
    dev("clock", {"paused": False})


@pytest.fixture(scope="session")
def core(api_client):
    return client.CoreV1Api(api_client)
