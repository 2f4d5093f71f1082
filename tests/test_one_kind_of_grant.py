"""A spec that declares one kind of OAuth2 grant only (tests/published_specs/one-kind-of-grant/: an
authorization code) takes any token the sandbox's authorization server issued the connector with the scopes the
operation asks for, a client-credentials one too: the flow a spec declares says how its vendor's documentation
onboards an app, not which tokens its resource server takes (Xero's custom connections call every operation of an
API whose spec declares only `authorizationCode` with a client-credentials token, and each was refused 403). A
spec offering both kinds (UK Open Banking's, 星空信用金庫's) still refuses an account read with the connector's own."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from oauth_flows import client_credentials, create_connector

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "one-kind-of-grant",)}


@pytest.fixture(scope="module")
def connector(admin):
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
    company = next(a["customer_id"] for a in accounts["accounts"] if a["customer_kind"] == "corporate")
    return create_connector(admin, **{"class": "self-use", "customer_id": company})


def _bank(live, token: dict) -> httpx.Client:
    return httpx.Client(base_url=f"{live.url}/banks/one-kind-of-grant",
                        headers={"Authorization": f"Bearer {token['access_token']}"})


def test_a_client_credentials_token_calls_an_api_declaring_only_the_authorization_code(live, connector):
    with _bank(live, client_credentials(live.url, connector)) as bank:
        made = bank.post("/ledgers", json={"name": "Main books"})
        assert made.status_code == 201, made.text
        assert bank.get("/ledgers").status_code == 200


def test_the_scopes_are_still_those_the_operation_asks_for(live, connector):
    with _bank(live, client_credentials(live.url, connector, scope="ledger.read")) as bank:
        assert bank.get("/ledgers").status_code == 200
        refused = bank.post("/ledgers", json={"name": "Other books"})
        assert refused.status_code == 403, refused.text
        assert "ledger.write" in refused.text


def test_a_spec_offering_both_kinds_still_tells_them_apart(live, connector):
    with httpx.Client(base_url=f"{live.url}/banks/hoshizora",
                      headers={"Authorization": f"Bearer {client_credentials(live.url, connector)['access_token']}",
                               "x-fapi-financial-id": "0992"}) as bank:
        refused = bank.get("/open-banking/v3.1/aisp/accounts")
        assert refused.status_code == 403 and "authorization code" in refused.text, refused.text
