"""A wrong client secret sent to an API whose errors name the refusal of bad keys only among the codes of its 400
(tests/published_specs/bad-keys-said-at-400, as Plaid's documentation answers a wrong secret 400 `INVALID_INPUT`,
`INVALID_API_KEYS`) is refused there, with that code: it was a 401, a status the operation never declared, and its
client raised what the API never answers for it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from oauth_flows import create_connector

LIVE_SERVER = {"open_access": False, "specs": (Path(__file__).parent / "published_specs" / "bad-keys-said-at-400",)}
MOUNT = "/banks/bad-keys-said-at-400"


@pytest.fixture(scope="module")
def connector(admin):
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
    company = next(a["customer_id"] for a in accounts["accounts"] if a["customer_kind"] == "corporate")
    return create_connector(admin, **{"class": "self-use", "customer_id": company})


def test_a_wrong_secret_is_refused_at_the_status_and_code_the_spec_names_for_it(live, connector):
    url = f"{live.url}{MOUNT}/holdings/get"
    own = {"client_id": connector["client_id"], "secret": connector["client_secret"], "access_token": "access-1"}
    with httpx.Client(timeout=30) as client:
        ok = client.post(url, json=own)
        wrong = client.post(url, json={**own, "secret": "guess"})
        unknown = client.post(url, json={**own, "client_id": "nobody"})
    assert ok.status_code == 200, ok.text
    for refused in (wrong, unknown):
        assert (refused.status_code, refused.json()["error_code"]) == (400, "INVALID_API_KEYS"), refused.text
