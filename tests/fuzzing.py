"""Schemathesis over real HTTP: the APIs the sandbox serves, and the test functions that fuzz them.

Each `test_schemathesis*.py` file fuzzes one family of APIs against its own live server (the bank
folders under specs/, the control plane, the third-party specs), so the suite's workers share out
the requests. Each operation gets its documented examples, the coverage phase's boundary and invalid
values and `MAX_EXAMPLES` generated cases, each a real HTTP request; a case fails on a 5xx or on a
response that breaks its own schema. `SANDBOX_FUZZ_EXAMPLES` sets `MAX_EXAMPLES` for a deeper run
(schemathesis's own default is 100).

The specs are read from their files with `servers` set to where the sandbox mounts them (the
schemathesis pytest plugin parametrizes at collection time, before any server runs); each file's
`test_schemathesis_fuzzes_every_operation_served` checks that the server serves those operations.
"""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path

import httpx
import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig

import live_server
from sandbox.bindings import BindingError, load_bank
from sandbox.bindings.loader import METHODS
from sandbox.resources import data_dir

SEED = 20261124
# Generated cases per operation, on top of its examples and the coverage phase's cases: 12 keeps the suite in its
# time budget on a 2-core machine (with 50, the three fuzzing files took 360 s of its workers' time; 20 until the
# suite grew past 5,300 tests and its run past 15 minutes).
MAX_EXAMPLES = int(os.environ.get("SANDBOX_FUZZ_EXAMPLES", "12"))
CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.response_schema_conformance]
ADMIN = {"Authorization": f"Bearer {live_server.ADMIN_TOKEN}"}
HYPOTHESIS = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
CONTROL_PLANE = "control-plane"


def bank_folders(*roots: Path | None) -> list[tuple]:
    """(name, spec dict or why it cannot be loaded, mount) for every bank folder under `roots`."""
    targets = []
    for folder in [f for root in roots if root for f in sorted(root.iterdir()) if (f / "openapi.yaml").is_file()]:
        try:
            api = load_bank(folder)
        except BindingError as error:
            targets.append((folder.name, str(error), None))
        else:
            targets.append((folder.name, api.spec, api.mount))
    return targets


def control_plane() -> list[tuple]:
    """The control plane as a target: its spec, mounted at /sandbox/v1 (called with the admin token)."""
    spec = yaml.safe_load((data_dir("specs") / "control-plane.yaml").read_text(encoding="utf-8"))
    return [(CONTROL_PLANE, spec, "/sandbox/v1")]


def fuzz_tests(targets: list[tuple]) -> dict:
    """The test functions for every target, one per operation, by test name (for a module's globals).

    One function per operation (schemathesis's `include` narrows the schema to it) rather than one
    function that schemathesis expands into an item per operation: those items share one node id, and
    pytest-xdist, which runs the suite, keeps only one item per node id.
    """
    tests = {}
    for name, spec, mount in targets:
        tests.update(_api_tests(name, spec, mount))
    return tests


def _api_tests(name: str, spec, mount: str | None) -> dict:
    prefix = f"test_schemathesis_{name.replace('-', '_')}"
    if not isinstance(spec, dict):  # a folder that does not load fails its own test, not the collection
        @pytest.mark.slow
        def unloadable():
            pytest.fail(f"{name} cannot be loaded, so the sandbox cannot start: {spec}")

        return {prefix: unloadable}
    headers = ADMIN if name == CONTROL_PLANE else {}
    spec = copy.deepcopy(spec)
    spec["servers"] = [{"url": mount}]
    schema = schemathesis.openapi.from_dict(spec, config=SchemathesisConfig.from_dict({"seed": SEED}))
    tests = {}
    for path, method, _ in sorted(operations(spec)):
        # Deleting control-plane resources at random would only test that deleted things are gone.
        if name == CONTROL_PLANE and method == "delete":
            continue

        @pytest.mark.slow
        @schema.include(path=path, method=method.upper()).parametrize()
        @HYPOTHESIS
        def fuzz(case, live):
            case.call_and_validate(base_url=f"{live.url}{mount}", headers=headers, checks=CHECKS, timeout=30)

        tests[f"{prefix}__{method}_{re.sub(r'[^0-9a-zA-Z]+', '_', path).strip('_')}"] = fuzz
    return tests


def served_test(targets: list[tuple]):
    """The test that the live server serves each loaded target's operations, none left out."""
    loaded = [target for target in targets if isinstance(target[1], dict)]

    @pytest.mark.parametrize("name, spec, mount", loaded, ids=[target[0] for target in loaded])
    def test_schemathesis_fuzzes_every_operation_served(live, name, spec, mount):
        # The server serves the same document with its $refs resolved: the same operations, none left out.
        served = httpx.get(f"{live.url}{mount}/openapi.json", headers=ADMIN if name == CONTROL_PLANE else {}, timeout=30)
        assert served.status_code == 200
        assert operations(served.json()) == operations(spec)

    return test_schemathesis_fuzzes_every_operation_served


def operations(spec: dict) -> set:
    return {(path, method, (item[method] or {}).get("operationId"))
            for path, item in spec["paths"].items() for method in METHODS if method in item}


def run_schemathesis(url: str, *, headers: dict | None = None) -> None:
    """Fuzz every operation of the spec served at `url` (generated cases), failing on a 5xx or a bad response.

    For specs known only at run time (tests/test_foreign_spec.py fetches one).
    """
    schema = schemathesis.openapi.from_url(url, config=SchemathesisConfig.from_dict({"seed": SEED}), timeout=30)
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @HYPOTHESIS
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS, timeout=30)

        check()
        tested += 1
    assert tested > 0, f"{url} has no operations"
