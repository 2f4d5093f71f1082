"""A published spec the sandbox was not written for is served without a binding, from its schemas.

The spec is the Swagger Petstore (OpenAPI 3.0) as published in the `@readme/oas-examples` npm package,
fetched at test time by tests/foreign_specs.py; nothing of it is kept in this repository.
"""

from __future__ import annotations

import random

import httpx
import pytest
import yaml

import foreign_specs
import live_server
from sandbox.bindings.fallback import deref, generate
from sandbox.bindings.loader import METHODS

@pytest.fixture(scope="module")
def foreign(tmp_path_factory):
    specs, why = foreign_specs.fetch()
    if specs is None:
        pytest.skip(why)
    server = live_server.start(tmp_path_factory.mktemp("foreign"), specs=(specs,))
    yield server, yaml.safe_load((specs / "petstore" / "openapi.yaml").read_text(encoding="utf-8"))
    server.stop()


@pytest.mark.slow
def test_foreign_spec_passes_schemathesis(foreign):
    from fuzzing import run_schemathesis

    server, _ = foreign
    run_schemathesis(f"{server.url}/banks/petstore/openapi.json")


def _operations(spec):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method], item.get("parameters", [])


def _request(spec, method, path, operation, shared, rng):
    params = [*shared, *operation.get("parameters", [])]
    for param in params:
        param = deref(spec, param)
        if param["in"] == "path":
            value = generate(spec, param.get("schema", {}), rng)
            path = path.replace("{" + param["name"] + "}", str(value))
    query = {}
    for param in params:
        param = deref(spec, param)
        if param["in"] == "query" and param.get("required"):
            query[param["name"]] = generate(spec, param.get("schema", {}), rng)
    send = {}
    content = deref(spec, operation.get("requestBody", {})).get("content", {})
    if "application/json" in content:
        send["json"] = generate(spec, content["application/json"].get("schema", {}), rng)
    elif "application/x-www-form-urlencoded" in content:
        form = generate(spec, content["application/x-www-form-urlencoded"].get("schema", {}), rng) or {}
        send["data"] = {k: str(v) for k, v in form.items()}
    elif "multipart/form-data" in content:
        properties = deref(spec, content["multipart/form-data"].get("schema", {})).get("properties", {})
        binary = {n for n, p in properties.items() if deref(spec, p).get("format") == "binary"}
        send["files"] = {name: (f"{name}.png", b"\x89PNG sandbox") for name in binary}
        send["data"] = {name: "sandbox" for name in properties if name not in binary}
    elif content:
        media = next(iter(content))
        send["content"], send["headers"] = b"sandbox", {"Content-Type": media}
    return path, query, send


def test_foreign_spec_every_operation_answers_from_its_schema(foreign):
    server, spec = foreign
    rng = random.Random(5)
    answered = 0
    with httpx.Client(base_url=f"{server.url}/banks/petstore", timeout=30) as client:
        for method, path, operation, shared in _operations(spec):
            url, query, send = _request(spec, method, path, operation, shared, rng)
            response = client.request(method.upper(), url, params=query, **send)
            documented = {str(code) for code in operation["responses"]}
            shown = f"{method.upper()} {url} -> {response.status_code} {response.text[:300]}"
            assert response.status_code < 500, shown  # response validation is on: a 500 means a bad answer
            # A documented status; or 200, where only errors are documented (the call broke no rule).
            only_errors = all(code[0] in "45" for code in documented)
            assert str(response.status_code) in documented or "default" in documented or (
                only_errors and response.status_code == 200), shown
            answered += 1
    assert answered == sum(1 for _ in _operations(spec)) >= 15


def test_foreign_spec_answers_the_same_for_the_same_request(foreign):
    server, _ = foreign
    with httpx.Client(base_url=f"{server.url}/banks/petstore", timeout=30) as client:
        first = client.get("/pet/findByStatus", params={"status": "available"})
        again = client.get("/pet/findByStatus", params={"status": "available"})
    assert first.status_code == 200 and first.json() == again.json()


def test_foreign_spec_prefer_picks_another_documented_response(foreign):
    server, spec = foreign
    documented = spec["paths"]["/pet/{petId}"]["get"]["responses"]
    other = next(code for code in documented if code not in ("200", "default"))
    with httpx.Client(base_url=f"{server.url}/banks/petstore", timeout=30) as client:
        response = client.get("/pet/7", headers={"Prefer": f"code={other}"})
    assert response.status_code == int(other)


def test_foreign_spec_is_listed_with_the_banks(foreign, tmp_path):
    server, _ = foreign
    index = httpx.get(f"{server.url}/").json()
    assert any(api["slug"] == "petstore" and api["bank_code"] is None for api in index["apis"])
    assert httpx.get(f"{server.url}/banks/petstore/ui/").status_code == 200
