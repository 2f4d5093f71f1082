"""Schemathesis against every served spec, over real HTTP: no 5xx, no response that breaks its own schema.

One schemathesis worker: with two, its coverage phase sometimes crashes inside Hypothesis (a race in
Hypothesis's lambda introspection), which is not a finding about the sandbox.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import live_server
from sandbox.bindings import discover
from sandbox.resources import data_dir

MOUNTS = {api.slug: api.mount for api in discover([data_dir("specs")])}
ST = Path(sys.executable).parent / "st"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = live_server.start(tmp_path_factory.mktemp("schemathesis"))
    server.workspaces.ensure("default")
    yield server
    server.stop()


def run_schemathesis(url: str, cwd: Path, *extra: str) -> None:
    result = subprocess.run(
        [str(ST), "run", url, "--checks", "not_a_server_error,response_schema_conformance",
         "--max-examples", "50", "--workers", "1", "--no-color", "--seed", "20261124", *extra],
        cwd=cwd, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("slug", sorted(MOUNTS))
def test_schemathesis_bank_api(live, slug, tmp_path):
    run_schemathesis(f"{live.url}{MOUNTS[slug]}/openapi.json", tmp_path)


@pytest.mark.slow
def test_schemathesis_control_plane(live, tmp_path):
    # Deleting workspaces at random would only test that deleted things are gone; the rest is covered.
    run_schemathesis(f"{live.url}/sandbox/v1/openapi.json", tmp_path, "--header", f"Authorization: Bearer {live_server.ADMIN_TOKEN}",
         "--exclude-method", "DELETE")
