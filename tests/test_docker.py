"""The container image builds, starts and answers /healthz (skipped where no Docker engine answers).

The base image is SANDBOX_TEST_BASE_IMAGE, else a local stand-in for python:3.12-slim when one is
built (machines that reach no image registry), else the Dockerfile's default.
"""

from __future__ import annotations

import os
import socket
import time
import urllib.request
from pathlib import Path

import pytest

docker = pytest.importorskip("docker")
ROOT = Path(__file__).resolve().parent.parent


def _engine():
    try:
        docker.from_env(timeout=10).ping()
    except Exception as error:  # noqa: BLE001 - any failure to reach the engine means: skip
        pytest.skip(f"no Docker engine answers ({error.__class__.__name__}); run ../shared/checks/docker-engine.sh to start one")
    return docker.from_env(timeout=900)  # building can be silent for minutes on a slow storage driver


@pytest.mark.docker
def test_docker_image_serves_healthz():
    client = _engine()
    base = os.environ.get("SANDBOX_TEST_BASE_IMAGE")
    tags = {tag for image in client.images.list() for tag in image.tags}
    for local in ("local/python-slim-755:3.11", "local/python-slim:3.11"):  # stand-ins on machines with no registry
        if base is None and local in tags:
            base = local
    buildargs = {"BASE_IMAGE": base} if base else {}
    image, _ = client.images.build(path=str(ROOT), tag="bank-sandbox:test", buildargs=buildargs, network_mode="host", rm=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    container = client.containers.run(
        image.id, ["bank-sandbox", "serve", "--host", "127.0.0.1", "--port", str(port)],
        network_mode="host", environment={"SANDBOX_ADMIN_TOKEN": "docker-test"}, detach=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                container.reload()
                assert container.status in ("created", "running"), container.logs().decode()[-2000:]
                time.sleep(1)
        else:
            pytest.fail("the container never answered /healthz:\n" + container.logs().decode()[-2000:])
        user = container.exec_run("id -u").output.decode().strip()
        assert user != "0", "the sandbox runs as root in its container"
    finally:
        container.remove(force=True)
