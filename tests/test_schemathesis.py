"""Schemathesis against every served spec, over real HTTP: no 5xx, no response that breaks its own schema.

Every bank folder under specs/ (the hub included), the third-party specs fetched by tests/foreign_specs.py (when npm reaches its registry)
and the control plane (with the admin token) are driven through schemathesis's Python API against one
live server: each operation gets its documented examples, the coverage phase's boundary and invalid
values and `MAX_EXAMPLES` generated cases, each one a real HTTP request (some 7,000 in all, up to 300
per operation). The folders are listed when the tests are collected, so a new bank gets the whole
suite for free: one test function per API, one test per operation.

The specs are loaded from their files with `servers` set to where the sandbox mounts them (the
schemathesis pytest plugin parametrizes at collection time, before any server runs);
`test_schemathesis_fuzzes_every_operation_served` checks that the server serves those operations.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import httpx
import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig

import foreign_specs
import live_server
from sandbox.bindings import BindingError, load_bank
from sandbox.bindings.loader import METHODS
from sandbox.resources import data_dir

THIRD_PARTY, _ = foreign_specs.fetch()
CONTROL_PLANE = ("control-plane", data_dir("specs") / "control-plane.yaml", "/sandbox/v1")
SEED = 20261124
# Generated cases per operation, on top of its examples and the coverage phase's cases; with about 70
# operations the file takes one and a half to two minutes on two cores.
MAX_EXAMPLES = 50
CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.response_schema_conformance]
ADMIN = {"Authorization": f"Bearer {live_server.ADMIN_TOKEN}"}
HYPOTHESIS = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))


LIVE_SERVER = {"specs": tuple(filter(None, [THIRD_PARTY]))}


def _targets():
    """(name, spec dict or why it cannot be loaded, mount) for every API the sandbox serves."""
    roots = tuple(filter(None, [data_dir("specs"), THIRD_PARTY]))
    for folder in [f for root in roots for f in sorted(root.iterdir()) if (f / "openapi.yaml").is_file()]:
        try:
            api = load_bank(folder)
        except BindingError as error:
            yield folder.name, str(error), None
        else:
            yield folder.name, api.spec, api.mount
    name, path, mount = CONTROL_PLANE
    yield name, yaml.safe_load(path.read_text(encoding="utf-8")), mount


def _schema(spec: dict, mount: str):
    spec = copy.deepcopy(spec)
    spec["servers"] = [{"url": mount}]
    return schemathesis.openapi.from_dict(spec, config=SchemathesisConfig.from_dict({"seed": SEED}))


def _fuzz_tests(name: str, spec, mount: str | None) -> dict:
    """The test functions for one API, one per operation: {test name: function}.

    One function per operation (schemathesis's `include` narrows the schema to it) rather than one
    function that schemathesis expands into an item per operation: those items share one node id, and
    pytest-xdist, which runs the suite, keeps only one item per node id.
    """
    prefix = f"test_schemathesis_{name.replace('-', '_')}"
    if not isinstance(spec, dict):  # a folder that does not load fails its own test, not the collection
        @pytest.mark.slow
        def unloadable():
            pytest.fail(f"{name} cannot be loaded, so the sandbox cannot start: {spec}")

        return {prefix: unloadable}
    headers = ADMIN if name == "control-plane" else {}
    tests = {}
    for path, method, _ in sorted(_operations(spec)):
        # Deleting control-plane resources at random would only test that deleted things are gone.
        if name == "control-plane" and method == "delete":
            continue
        schema = _schema(spec, mount).include(path=path, method=method.upper())

        @pytest.mark.slow
        @schema.parametrize()
        @HYPOTHESIS
        def fuzz(case, live):
            case.call_and_validate(base_url=f"{live.url}{mount}", headers=headers, checks=CHECKS, timeout=30)

        tests[f"{prefix}__{method}_{re.sub(r'[^0-9a-zA-Z]+', '_', path).strip('_')}"] = fuzz
    return tests


def _operations(spec: dict) -> set:
    return {(path, method, (item[method] or {}).get("operationId"))
            for path, item in spec["paths"].items() for method in METHODS if method in item}


TARGETS = list(_targets())
for _name, _spec, _mount in TARGETS:
    globals().update(_fuzz_tests(_name, _spec, _mount))
LOADED = [target for target in TARGETS if isinstance(target[1], dict)]



@pytest.mark.parametrize("name, spec, mount", LOADED, ids=[target[0] for target in LOADED])
def test_schemathesis_fuzzes_every_operation_served(live, name, spec, mount):
    # The server serves the same document with its $refs resolved: the same operations, none left out.
    served = httpx.get(f"{live.url}{mount}/openapi.json", headers=ADMIN if name == "control-plane" else {}, timeout=30)
    assert served.status_code == 200
    assert _operations(served.json()) == _operations(spec)


def run_schemathesis(url: str, cwd: Path | None = None, *, headers: dict | None = None) -> None:
    """Fuzz every operation of the spec served at `url` (generated cases), failing on a 5xx or a bad response.

    For specs known only at run time (tests/test_foreign_spec.py fetches one); `cwd` is unused, kept so
    callers written for the command-line runner keep working.
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
