"""One connector journey per served API, over real HTTP: every bank and the hub, each in its dialect.

The journeys are data (tests/journeys/<slug>.yaml); this runner gives them a fresh workspace, a payer,
a payee in another sandbox bank and a collector, runs the steps, then checks the books still balance.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
import jmespath
import pytest
import yaml

from sandbox.bindings import discover
from sandbox.resources import data_dir

JOURNEYS = Path(__file__).parent / "journeys"
APIS = {api.slug: api for api in discover([data_dir("specs")])}


LIVE_SERVER = {"seed_default": False}


def test_bank_journeys_exist_for_every_api():
    """A bank folder without a journey would go untested: every shipped API needs one."""
    missing = sorted(slug for slug in APIS if not (JOURNEYS / f"{slug}.yaml").exists())
    assert not missing, f"no journey for {missing}"


@pytest.mark.parametrize("slug", sorted(APIS))
def test_bank_journey(slug, live):
    path = JOURNEYS / f"{slug}.yaml"
    if not path.exists():
        pytest.fail(f"no journey file {path}")
    journey = yaml.safe_load(path.read_text(encoding="utf-8"))
    workspace = f"journey-{slug}"
    with live.admin() as admin:
        assert admin.post("/sandbox/v1/workspaces", json={"name": workspace}).status_code == 201
        accounts = admin.get(f"/sandbox/v1/workspaces/{workspace}/accounts", params={"limit": 500}).json()["accounts"]
    variables = _cast(APIS[slug].bank_code or "0990", accounts)
    variables.update(key=str(uuid.uuid4()), key2=str(uuid.uuid4()), workspace=workspace, today="2026-11-05")
    with httpx.Client(base_url=live.url, headers={"X-Sandbox-Workspace": workspace}, timeout=30) as client:
        for number, step in enumerate(journey["steps"], start=1):
            _run(client, step, variables, f"{slug} step {number} ({step.get('name', '')})")
    assert live.workspaces.verify(workspace) == []


def _cast(bank_code: str, accounts: list) -> dict:
    active = [a for a in accounts if a["status"] == "active"]
    payer = next(a for a in active if a["bank_code"] == bank_code and a["customer_kind"] == "individual"
                 and a["account_type"] == "1" and a["balance"] >= 300_000)
    payee = next(a for a in active if a["bank_code"] != bank_code and a["customer_kind"] == "individual")
    collector = next(a for a in active if a["bank_code"] == bank_code and a["customer_kind"] == "corporate")
    names = {"1": "ordinary", "2": "current", "4": "savings", "9": "other"}
    for account in (payer, payee, collector):
        account["account_type_name"] = names[account["account_type"]]  # for dialects that name the type
    return {"payer": payer, "payee": payee, "collector": collector}


def _run(client: httpx.Client, step: dict, variables: dict, label: str) -> None:
    request = _substitute(step["request"], variables)
    response = client.request(
        request.get("method", "GET"), request["path"], params=request.get("query"),
        headers=request.get("headers"), json=request.get("json"),
    )
    try:
        body = response.json()
    except ValueError:
        body = None
    expect = step.get("expect") or {}
    shown = f"{label}: {request.get('method', 'GET')} {request['path']} -> {response.status_code} {response.text[:800]}"
    if "status" in expect:
        assert response.status_code == expect["status"], shown
    assert response.status_code < 500, shown
    for expression, expected in (_substitute(expect.get("body") or {}, variables)).items():
        actual = jmespath.search(expression, body)
        assert actual == expected, f"{shown}\n  {expression} is {actual!r}, expected {expected!r}"
    for name, expression in (step.get("save") or {}).items():
        document = {"status": response.status_code, "headers": {k.lower(): v for k, v in response.headers.items()}, "body": body}
        variables[name] = jmespath.search(expression, document)
        assert variables[name] is not None, f"{shown}\n  nothing to save as {name} from {expression}"


_WHOLE = re.compile(r"^\$\{([\w.]+)\}$")
_PART = re.compile(r"\$\{([\w.]+)\}")


def _lookup(variables: dict, dotted: str):
    value = variables
    for part in dotted.split("."):
        value = value[part]
    return value


def _substitute(value, variables: dict):
    if isinstance(value, str):
        whole = _WHOLE.match(value)
        if whole:
            return _lookup(variables, whole.group(1))
        return _PART.sub(lambda m: str(_lookup(variables, m.group(1))), value)
    if isinstance(value, dict):
        return {_substitute(k, variables): _substitute(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, variables) for v in value]
    return value
