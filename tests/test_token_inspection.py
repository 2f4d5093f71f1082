"""A spec's own operations that inspect a token answer about the caller's real one
(tests/published_specs/token-inspection/): Square's `POST /oauth2/token/status` answered its example's
`expires_at` (2022), so tap-square believed its token expired and refreshed it on every run. Its expiry,
scopes, client and customer are the sandbox token's, in the form each field takes; an RFC 7662 introspection
naming the token in its form says whether it is active; a token never issued here is the spec's 401."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from oauth_flows import bearer, client_credentials, create_connector, third_party_token
from sandbox.bindings import token_operations

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "token-inspection",)}
BANK = "/banks/token-inspection"


@pytest.fixture
def connector(admin):
    return create_connector(admin, **{"class": "third-party"})


@pytest.fixture
def client(live):
    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client



def test_the_token_status_answers_the_callers_own_token(live, client, connector):
    token = client_credentials(live.url, connector)
    status = client.post(f"{BANK}/oauth2/token/status", headers=bearer(token))
    assert status.status_code == 200, status.text
    body = status.json()
    expires = datetime.fromisoformat(body["expires_at"]).timestamp()
    assert abs(expires - (time.time() + token["expires_in"])) < 60, body
    assert body["client_id"] == connector["client_id"]
    assert body["scopes"] == token["scope"].split()
    assert client.get(f"{BANK}/v1/payments", headers=bearer(token)).status_code == 200


def test_the_token_status_names_the_customer_a_customers_token_acts_for(live, client, connector, admin):
    listed = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0991", "limit": 500}).json()
    merchant = next(a["customer_id"] for a in listed["accounts"] if a["customer_kind"] == "individual")
    token = third_party_token(live.url, connector, merchant, "PAYMENTS_READ")
    body = client.post(f"{BANK}/oauth2/token/status", headers=bearer(token)).json()
    assert body["merchant_id"] == merchant, body


def test_a_token_never_issued_here_is_the_specs_401(client):
    refused = client.post(f"{BANK}/oauth2/token/status", headers=bearer({"access_token": "f" * 64}))
    assert refused.status_code == 401 and "errors" in refused.json(), refused.text
    named = client.post(f"{BANK}/oauth2/introspect", data={"token": "f" * 64})
    assert named.status_code == 401, named.text


def test_an_introspection_answers_the_token_its_form_names(live, client, connector, admin):
    token = client_credentials(live.url, connector)
    body = client.post(f"{BANK}/oauth2/introspect", data={"token": token["access_token"]}).json()
    assert body["active"] is True and body["client_id"] == connector["client_id"], body
    assert abs(body["exp"] - (time.time() + token["expires_in"])) < 60 and body["scope"] == token["scope"]
    revoked = client.post("/oauth/revoke", data={"token": token["access_token"]},
                          auth=(connector["client_id"], connector["client_secret"]))
    assert revoked.status_code == 200, revoked.text
    after = client.post(f"{BANK}/oauth2/introspect", data={"token": token["access_token"]}).json()
    assert after["active"] is False, after


def test_the_seconds_a_token_has_left(live, client, connector):
    token = client_credentials(live.url, connector)
    body = client.get(f"{BANK}/v1/session", headers=bearer(token)).json()
    assert token["expires_in"] - 60 < body["expires_in"] <= token["expires_in"], body


def test_which_operations_inspect_tokens():
    def spec(path: str, answer: dict, method: str = "get", **extra) -> dict:
        operation = {"operationId": "op", "responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"type": "object", "properties": answer}}}}}, **extra}
        return {"openapi": "3.0.3", "paths": {path: {method: operation}}, "security": [{"bearer": []}],
                "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}}

    def found(document) -> dict:
        operations = [("op", method, path, op) for path, item in document["paths"].items() for method, op in item.items()]
        return token_operations.inspections(document, operations)

    text, flag = {"type": "string"}, {"type": "boolean"}
    assert found(spec("/v2/token/info", {"expires_at": text}))  # named by its path
    assert found(spec("/me/grant", {"scopes": {"type": "array"}, "expires_at": text}))  # by what it answers
    # a subscription that is active until a date is no token, nor is a card token's record
    assert not found(spec("/subscription", {"active": flag, "expires_at": text}))
    card = {"requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
        "token": text, "amount": {"type": "integer"}}}}}}}
    assert not found(spec("/payments", {"active": flag, "expires_at": text}, method="post", **card))
    assert not found(spec("/tokens/{token}/status", {"active": flag}))
