"""The container image builds, starts as a non-root user and answers /healthz.

Skipped where no Docker engine answers. The base image is SANDBOX_TEST_BASE_IMAGE when set; else a
local stand-in for python:3.x-slim when one is there (machines that reach no image registry build one
with ../shared/checks/docker-engine.sh); else the Dockerfile's own default (python:3.12-slim).
"""

from __future__ import annotations

import os
import socket
import time
import urllib.request
from pathlib import Path

import pytest

docker = pytest.importorskip("docker", reason="the Docker SDK is not installed (pip install -e '.[test]')")
ROOT = Path(__file__).resolve().parent.parent
HEALTH_TIMEOUT_S = 120
# Stand-ins for python:3.x-slim, best first; the "-755" one has a world-readable root directory.
LOCAL_BASES = ("local/python-slim-755:3.11", "local/python-slim:3.11")


def _engine():
    try:
        docker.from_env(timeout=10).ping()
    except Exception as error:  # noqa: BLE001 - any failure to reach the engine means: skip
        pytest.skip(f"no Docker engine answers ({error.__class__.__name__}: {error}); "
                    "start one with ../shared/checks/docker-engine.sh")
    return docker.from_env(timeout=900)  # a build can be silent for minutes on the vfs storage driver


def _base_image(client) -> str | None:
    if os.environ.get("SANDBOX_TEST_BASE_IMAGE"):
        return os.environ["SANDBOX_TEST_BASE_IMAGE"]
    tags = {tag for image in client.images.list() for tag in image.tags}
    return next((name for name in LOCAL_BASES if name in tags), None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.mark.docker
def test_docker_image_serves_healthz():
    client = _engine()
    base = _base_image(client)
    try:
        image, _ = client.images.build(path=str(ROOT), tag="bank-sandbox:test", network_mode="host", rm=True,
                                       buildargs={"BASE_IMAGE": base} if base else {})
    except docker.errors.BuildError as error:
        log = "".join(chunk.get("stream", "") or chunk.get("error", "") for chunk in error.build_log)
        pytest.fail(f"docker build failed (base image {base or 'the Dockerfile default'}):\n{log[-3000:]}")
    port = _free_port()
    # create + start rather than run(): a container that fails to start is still removed below.
    container = client.containers.create(
        image.id, ["bank-sandbox", "serve", "--host", "127.0.0.1", "--port", str(port)],
        network_mode="host", environment={"SANDBOX_ADMIN_TOKEN": "docker-test-admin-token-of-32-chars-or-more"})
    try:
        container.start()
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while not _healthy(port):
            container.reload()
            logs = container.logs().decode(errors="replace")[-3000:]
            assert container.status in ("created", "running"), f"the container stopped ({container.status}):\n{logs}"
            assert time.monotonic() < deadline, f"no 200 from /healthz within {HEALTH_TIMEOUT_S} s:\n{logs}"
            time.sleep(1)
        user = container.exec_run(["id", "-u"]).output.decode().strip()
        assert user not in ("", "0"), f"the sandbox must not run as root in its container (id -u: {user!r})"
        data_dir = container.exec_run(["printenv", "SANDBOX_DATA_DIR"]).output.decode().strip()
        assert data_dir == "/data"
    finally:
        container.remove(force=True)
