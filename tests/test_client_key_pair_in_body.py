"""A client id and secret that a spec takes in its API-key headers or in every request body's fields (Plaid's
`client_id` and `secret`, beside PLAID-CLIENT-ID and PLAID-SECRET): sent in the body, they are checked as the
headers are. Before, only the headers were read: the connector's own pair in the body was refused 401 ("No
authorization token provided"), and a wrong secret there could not be rehearsed. The folder is
tests/published_specs/client-key-pair-in-body."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from oauth_flows import create_connector

LIVE_SERVER = {"open_access": False, "specs": (Path(__file__).parent / "published_specs" / "client-key-pair-in-body",)}
MOUNT = "/banks/client-key-pair-in-body"


@pytest.fixture(scope="module")
def connector(admin):
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
    company = next(a["customer_id"] for a in accounts["accounts"] if a["customer_kind"] == "corporate")
    return create_connector(admin, **{"class": "self-use", "customer_id": company})


def test_the_pair_in_the_body_is_checked_as_in_the_headers(live, connector):
    url = f"{live.url}{MOUNT}/balances/get"
    own = {"client_id": connector["client_id"], "secret": connector["client_secret"], "access_token": "access-1"}
    with httpx.Client(timeout=30) as client:
        ok = client.post(url, json=own, headers={"Link-Version": "2021-03-01"})
        wrong = client.post(url, json={**own, "secret": "guess"})
        unknown = client.post(url, json={**own, "client_id": "nobody"})
        headers_win = client.post(url, json={**own, "secret": "guess"},
                                  headers={"LINK-CLIENT-ID": connector["client_id"], "LINK-SECRET": connector["client_secret"]})
        neither = client.post(url, json={"access_token": "access-1"})
    assert ok.status_code == 200 and ok.json()["balances"], ok.text
    assert wrong.status_code == 401 and "client id and secret" in wrong.json()["error_message"], wrong.text
    assert unknown.status_code == 401 and unknown.json()["error_type"] == "INVALID_REQUEST", unknown.text
    assert headers_win.status_code == 200, headers_win.text
    assert neither.status_code == 401, neither.text


def test_a_body_that_is_no_json_object_is_passed_on_unread_and_refused_as_it_was(live, connector):
    """The middleware reading the pair hands on a body it cannot read (broken JSON, a list) as it came: the call is
    refused for want of credentials, as before, and a pair in the headers still passes with such a body."""
    url = f"{live.url}{MOUNT}/balances/get"
    headers = {"Content-Type": "application/json"}
    pair = {"LINK-CLIENT-ID": connector["client_id"], "LINK-SECRET": connector["client_secret"]}
    with httpx.Client(timeout=30) as client:
        broken = client.post(url, content=b'{"client_id": ', headers=headers)
        listed = client.post(url, content=b'["client_id", "secret"]', headers=headers)
        read_as_sent = client.post(url, content=b'{"client_id": ', headers={**headers, **pair})
    assert broken.status_code == 401 and listed.status_code == 401, (broken.text, listed.text)
    assert read_as_sent.status_code == 400, read_as_sent.text  # the broken JSON reached the body's own check
