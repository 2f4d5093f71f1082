"""A spec that declares no security but asks for its token in a required header of every operation, as
GMO Aozora's corporate API publishes it: the sandbox reads that header as where the token goes.

Unread, any token passed (a made-up one answered 200), no call was any connector's, and a 401 or a
token refresh could not be rehearsed. The folder is tests/published_specs/credential-parameter.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from oauth_flows import create_connector, self_use_token
from sandbox.bindings import load_bank
from sandbox.bindings.check import check_folders

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "credential-parameter",)}
ACCOUNTS = "/banks/credential-parameter/accounts"


@pytest.fixture
def token(live, admin):
    return self_use_token(live.url, admin)


def test_the_required_header_is_where_the_token_goes(live, admin, token):
    made_up = httpx.get(f"{live.url}{ACCOUNTS}", headers={"x-access-token": "made-up"}, timeout=30)
    assert made_up.status_code == 401, made_up.text
    assert set(made_up.json()) == {"errorCode", "errorMessage"}  # the spec's own error shape
    missing = httpx.get(f"{live.url}{ACCOUNTS}", timeout=30)
    assert missing.status_code == 401, missing.text
    real = httpx.get(f"{live.url}{ACCOUNTS}", headers={"x-access-token": token}, timeout=30)
    assert real.status_code == 200, real.text
    logged = admin.get("/sandbox/v1/workspaces/default/requests", params={"limit": 1}).json()["requests"][0]
    assert logged["connector_id"] and logged["status"] == 200, logged


def test_check_says_where_it_reads_the_token_and_a_binding_can_say_otherwise():
    api = load_bank(SPECS / "credential-parameter")
    assert api.auth == {"type": "apiKey", "in": "header", "name": "x-access-token"}
    report = check_folders([SPECS / "credential-parameter"])
    assert any("2 of its 2 operations require the header parameter 'x-access-token'" in warning
               for warning in report["banks"][0]["warnings"]), report["banks"][0]["warnings"]
    assert report["banks"][0]["scopes"] == ["private:account", "private:transfer"]  # from its binding
    bound = load_bank(SPECS / "token_header")  # its binding names the header itself
    assert bound.auth == {"type": "apiKey", "in": "header", "name": "x-access-token"}


def test_scopes_a_binding_lists_for_a_spec_that_names_them_in_prose_are_granted(live, admin):
    """GMO Aozora's SDK asks for `private:account private:transfer`, scopes its spec names only in prose:
    listed under `scopes:` in the folder's binding, they are granted; a scope no bank names is still refused."""
    from oauth_flows import REDIRECT, third_party_token

    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0991", "limit": 500}).json()
    customer = next(a["customer_id"] for a in accounts["accounts"] if a["customer_kind"] == "individual")
    connector = create_connector(admin, **{"class": "third-party"})
    token = third_party_token(live.url, connector, customer, "private:account private:transfer")
    assert token["scope"] == "private:account private:transfer", token
    listed = httpx.get(f"{live.url}{ACCOUNTS}", headers={"x-access-token": token["access_token"]}, timeout=30)
    assert listed.status_code == 200, listed.text
    refused = httpx.get(f"{live.url}/oauth/authorize", params={
        "response_type": "code", "client_id": connector["client_id"], "redirect_uri": REDIRECT, "state": "s",
        "scope": "private:everything"}, timeout=30)
    assert refused.status_code == 302 and "error=invalid_scope" in refused.headers["location"], refused.text


def test_a_credential_parameter_on_few_operations_says_nothing_of_the_whole_api():
    from sandbox.bindings.security import inferred_auth

    def operation(required: bool) -> dict:
        header = [{"name": "x-api-key", "in": "header", "required": True, "schema": {"type": "string"}}]
        return {"get": {"parameters": header if required else [], "responses": {"200": {"description": "ok"}}}}

    spec = {"openapi": "3.0.3", "paths": {"/a": operation(True), "/b": operation(False), "/c": operation(False)}}
    assert inferred_auth(spec) is None  # one operation of three: a parameter of its own, not the API's token
    spec["paths"]["/b"] = operation(True)
    assert inferred_auth(spec)[0] == {"type": "apiKey", "in": "header", "name": "x-api-key"}
    spec["security"] = [{"key": []}]
    assert inferred_auth(spec) is None  # a spec that declares its security is read as it says
