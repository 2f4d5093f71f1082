"""A login operation and forms as payment platforms publish them (Currencycloud, Unit), driven over HTTP.

Currencycloud's SDK writes `/v2/...` after a bare host, posts every form urlencoded where the spec says
multipart, and logs in with a login id and an API key whose pattern is the bank's; Unit's spec writes
`required: []` in OpenAPI 3.0 and closes objects in one `allOf` member over its siblings' properties. The
folder is tests/published_specs/login-with-api-key.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from jsonschema import Draft4Validator

from oauth_flows import create_connector

from sandbox.bindings import spec as spec_module
from sandbox.bindings import token_operations
from sandbox.bindings.security import credentials_as_issued

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "login-with-api-key",)}
LOGIN = "/banks/login-with-api-key"


def _write(folder: Path, name: str, document: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(document), encoding="utf-8")
    return folder


def test_an_empty_required_list_in_openapi_30_is_left_out(tmp_path):
    folder = _write(tmp_path / "fees", "openapi.json", {
        "openapi": "3.0.2", "info": {"title": "t", "version": "1"},
        "paths": {"/fees": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"type": "object", "required": [], "properties": {"n": {"type": "integer"}}}}}}}}}}})
    read = spec_module.read(folder)
    schema = read.document["paths"]["/fees"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert "required" not in schema
    assert any("an empty list" in w for w in read.warnings)


def test_an_allof_member_closed_alone_is_closed_over_its_siblings(tmp_path):
    folder = _write(tmp_path / "closed", "openapi.json", {
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/accounts": {"post": {"requestBody": {"content": {"application/json": {"schema": {
            "type": "object", "properties": {"relationships": {"allOf": [
                {"type": "object", "required": ["customer"], "additionalProperties": False},
                {"type": "object", "properties": {"customer": {"type": "object"}}}]}}}}}},
            "responses": {"201": {"description": "ok"}}}}}})
    document = spec_module.read(folder).document
    schema = document["paths"]["/accounts"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert not list(Draft4Validator(schema).iter_errors({"relationships": {"customer": {"id": "1"}}}))
    assert list(Draft4Validator(schema).iter_errors({"relationships": {"customer": {}, "other": 1}}))


def test_a_multipart_only_form_is_taken_urlencoded_too():
    content = {"multipart/form-data": {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}
    paths = spec_module.json_aliases({"/x": {"post": {"requestBody": {"content": content}}}}, lambda node: node)
    assert set(paths["/x"]["post"]["requestBody"]["content"]) == {"multipart/form-data",
                                                                   "application/x-www-form-urlencoded"}
    with_file = {"multipart/form-data": {"schema": {"type": "object", "properties": {
        "f": {"type": "string", "format": "binary"}}}}}
    paths = spec_module.json_aliases({"/x": {"post": {"requestBody": {"content": with_file}}}}, lambda node: node)
    assert set(paths["/x"]["post"]["requestBody"]["content"]) == {"multipart/form-data"}


def _login_spec() -> dict:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/authenticate/api": {"post": {
        "operationId": "Login",
        "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object", "required": ["login_id", "api_key"],
            "properties": {"login_id": {"type": "string", "maxLength": 50},
                           "api_key": {"type": "string", "pattern": "^[a-f0-9]{64}$"}}}}}},
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"auth_token": {"type": "string"}}}}}}}}}}}


def test_a_login_id_and_api_key_login_is_a_token_operation_whose_secret_format_is_the_sandboxs():
    spec = _login_spec()
    operations = [("Login", "post", "/authenticate/api", spec["paths"]["/authenticate/api"]["post"])]
    found = token_operations.find(spec, operations)
    assert found["Login"].asks == {"id": "login_id", "secret": "api_key"}
    served = credentials_as_issued(spec, operations, found)
    field = served["paths"]["/authenticate/api"]["post"]["requestBody"]["content"][
        "application/x-www-form-urlencoded"]["schema"]["properties"]["api_key"]
    assert "pattern" not in field
    assert "pattern" in spec["paths"]["/authenticate/api"]["post"]["requestBody"]["content"][
        "application/x-www-form-urlencoded"]["schema"]["properties"]["api_key"]  # the author's spec untouched


@pytest.fixture
def connector(admin):
    return create_connector(admin, **{"class": "third-party"})


@pytest.mark.parametrize("base", ["/v2", ""])
def test_a_login_under_the_base_path_with_a_form_gets_a_token_the_api_takes(live, connector, base):
    """The base path the SDK writes, a urlencoded form where the spec says multipart, the sandbox's secret
    where the spec's pattern wants 64 hex digits: each of them had stopped the SDK at its first call."""
    with httpx.Client(base_url=f"{live.url}{LOGIN}{base}", timeout=30) as client:
        login = client.post("/authenticate/api", data={"login_id": connector["client_id"],
                                                       "api_key": connector["client_secret"]})
        assert login.status_code == 200, login.text
        token = login.json()["auth_token"]
        account = client.get("/accounts/current", headers={"X-Auth-Token": token})
        assert account.status_code == 200, account.text
        assert client.get("/accounts/current", headers={"X-Auth-Token": "made-up"}).status_code == 401
        wrong = client.post("/authenticate/api", data={"login_id": connector["client_id"], "api_key": "guess"})
        assert wrong.status_code == 401 and "auth_token" not in wrong.text, wrong.text


def test_closing_the_session_retires_the_token_it_was_called_with(live, connector):
    """Currencycloud's `close_session` retires the token: answered from the schema alone, it kept working."""
    with httpx.Client(base_url=f"{live.url}{LOGIN}/v2", timeout=30) as client:
        token = client.post("/authenticate/api", data={"login_id": connector["client_id"],
                                                       "api_key": connector["client_secret"]}).json()["auth_token"]
        assert client.get("/accounts/current", headers={"X-Auth-Token": token}).status_code == 200
        closed = client.post("/authenticate/close_session", headers={"X-Auth-Token": token})
        # Documented without content, as the API's JSON answers it (its SDK reads every answer as JSON).
        assert closed.status_code == 200 and closed.json() == {}, closed.text
        assert closed.headers["content-type"].startswith("application/json"), closed.headers
        assert client.get("/accounts/current", headers={"X-Auth-Token": token}).status_code == 401


def test_messages_keyed_by_field_name_the_field_refused(live):
    """Currencycloud's errors key their messages by the field refused (`error_messages: {login_id: [...]}`):
    every refusal had answered `error_messages: {}`, which said nothing of what was wrong."""
    refused = httpx.post(f"{live.url}{LOGIN}/v2/authenticate/api", data={"api_key": "k"}, timeout=30)
    assert refused.status_code == 400, refused.text
    messages = refused.json()["error_messages"]
    assert list(messages) == ["login_id"] and "login_id" in messages["login_id"][0]["message"], messages
