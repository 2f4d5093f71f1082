"""The container image builds, starts as a non-root user, answers /healthz and reports itself healthy.

Skipped where no Docker engine answers. The base image is SANDBOX_TEST_BASE_IMAGE when set; else the
stand-in docs/docker.md names for machines that reach no image registry (built by
../shared/checks/docker-engine.sh) when the engine has it; else the Dockerfile's own default.
"""

from __future__ import annotations

import os
import re
import socket
import time
import urllib.request
from pathlib import Path

import pytest

docker = pytest.importorskip("docker", reason="the Docker SDK is not installed (pip install -e '.[test]')")
ROOT = Path(__file__).resolve().parent.parent
DOCS = (ROOT / "docs" / "docker.md").read_text(encoding="utf-8")
HEALTH_TIMEOUT_S = 120


def _engine():
    try:
        docker.from_env(timeout=10).ping()
    except Exception as error:  # noqa: BLE001 - any failure to reach the engine means: skip
        pytest.skip(f"no Docker engine answers ({error.__class__.__name__}: {error}); "
                    "start one with ../shared/checks/docker-engine.sh")
    return docker.from_env(timeout=900)  # a build can be silent for minutes on the vfs storage driver


def _documented_stand_in() -> str:
    """The base image docs/docker.md tells an offline machine to build on."""
    named = re.search(r"--build-arg BASE_IMAGE=(\S+)", DOCS)
    assert named, "docs/docker.md no longer names the stand-in base image (--build-arg BASE_IMAGE=...)"
    return named.group(1)


def _base_image(client) -> str | None:
    if os.environ.get("SANDBOX_TEST_BASE_IMAGE"):
        return os.environ["SANDBOX_TEST_BASE_IMAGE"]
    stand_in = _documented_stand_in()
    try:
        client.images.get(stand_in)
    except docker.errors.ImageNotFound:
        return None
    return stand_in


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


def test_docker_docs_name_both_compose_commands_and_the_stand_in():
    assert "docker compose up" in DOCS and "docker-compose up" in DOCS
    assert _documented_stand_in() in (ROOT / "Dockerfile").read_text(encoding="utf-8"), (
        "the Dockerfile's comment and docs/docker.md name different stand-in base images")


@pytest.mark.docker
def test_docker_image_serves_healthz_as_a_non_root_user():
    client = _engine()
    base = _base_image(client)
    try:
        image, _ = client.images.build(path=str(ROOT), tag="bank-sandbox:test", network_mode="host", rm=True,
                                       buildargs={"BASE_IMAGE": base} if base else {})
    except docker.errors.BuildError as error:
        log = "".join(chunk.get("stream", "") or chunk.get("error", "") for chunk in error.build_log)
        pytest.fail(f"docker build failed (base image {base or 'the Dockerfile default'}):\n{log[-3000:]}")
    port = _free_port()
    # The image's own command, moved to a free port of the host's network the way docs/docker.md says;
    # create + start rather than run(): a container that fails to start is still removed below.
    container = client.containers.create(
        image.id, network_mode="host",
        environment={"SANDBOX_ADMIN_TOKEN": "docker-test-admin-token-of-32-chars-or-more",
                     "SANDBOX_HOST": "127.0.0.1", "SANDBOX_PORT": str(port)})
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
        assert container.exec_run(["id", "-un"]).output.decode().strip() == "sandbox"
        assert container.exec_run(["printenv", "SANDBOX_DATA_DIR"]).output.decode().strip() == "/data"
        # Docker's own health check asks the port the server listens on.
        while (status := container.attrs["State"].get("Health", {}).get("Status")) != "healthy":
            assert status in (None, "starting") and time.monotonic() < deadline + 60, (
                f"Docker's health check says {status!r}: {container.attrs['State'].get('Health')}")
            time.sleep(2)
            container.reload()
    finally:
        container.remove(force=True)
