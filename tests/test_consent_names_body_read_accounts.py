"""An account an RPC-style API reads by the number its body names (tests/published_specs/consent-names-body-read-
accounts, PolishAPI's `POST .../accounts/getAccount {accountNumber}`) is reached under a customer's token as one
read by its path is: one the token's consent names is answered, one it does not name is refused 404 in the API's
error shape, its transactions alike; the list of accounts holds those it names, each read as listed. Read by the
body, any account number had been answered, drawn, and the list had answered a drawn account no consent named."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from live_server import bank_client
from oauth_flows import PASSWORD, REDIRECT, Form, client_credentials, create_connector, oauth_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "consent-names-body-read-accounts",)}
NAMED, OTHER = "PL61109010140000071219812874", "PL27114020040000300201355387"


def _granted(live, admin, privileges: list):
    """A client of the bank under a customer's token granted for a consent made naming `privileges`."""
    customer = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 1}).json()["accounts"][0]
    connector = create_connector(admin, **{"class": "third-party"})
    for client in bank_client(live, "consent-names-body-read-accounts", client_credentials(live.url, connector)["access_token"]):
        made = client.post("/wren/v1/consents/create", json={"privileges": privileges})
        assert made.status_code == 200, made.text
        with oauth_client(live.url, connector, redirect_uri=REDIRECT) as oauth:
            url, _ = oauth.create_authorization_url(f"{live.url}/oauth/authorize", consent_id=made.json()["consentId"])
            with httpx.Client(timeout=30, follow_redirects=False) as browser:
                signed_in = Form(browser.get(url).text).submit(
                    browser, live.url, fill={"login_id": customer["customer_id"], "password": PASSWORD})
                answer = Form(signed_in.text).submit(browser, live.url, button="approve")
            assert "code" in parse_qs(urlparse(answer.headers["location"]).query), answer.headers["location"]
            token = oauth.fetch_token(authorization_response=answer.headers["location"])["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


@pytest.fixture(scope="module")
def party(live, admin):
    yield from _granted(live, admin, [{"accountNumber": NAMED, "transactions": True}])


def test_an_account_the_consent_names_is_listed_and_read_by_its_number_as_listed(party):
    listed = party.post("/wren/v1/accounts/getAccounts", json={})
    assert listed.status_code == 200 and [a["accountNumber"] for a in listed.json()["accounts"]] == [NAMED], listed.text
    assert party.post("/wren/v1/accounts/getAccounts", json={"perPage": 5}).json()["accounts"] == listed.json()["accounts"]
    item = listed.json()["accounts"][0]
    read = party.post("/wren/v1/accounts/getAccount", json={"accountNumber": NAMED})
    assert read.status_code == 200, read.text
    assert {key: read.json()["account"].get(key) for key in item} == item, (read.text, item)
    listed = party.post("/wren/v1/accounts/getTransactions", json={"accountNumber": NAMED, "perPage": 2})
    assert listed.status_code == 200, listed.text


def test_an_account_the_consent_does_not_name_is_refused_in_the_apis_error(party):
    for operation in ("getAccount", "getTransactions"):
        refused = party.post(f"/wren/v1/accounts/{operation}", json={"accountNumber": OTHER})
        assert refused.status_code == 404 and set(refused.json()) >= {"code", "message"}, refused.text


def test_a_consent_naming_no_account_lists_the_customers_own_the_same_each_time(live, admin):
    # (PolishAPI's consent of privileges alone had listed one drawn account numbered `sample`)
    customer = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 1}).json()["accounts"][0]
    every = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 500}).json()["accounts"]
    numbers = {f"{a['bank_code']}{a['branch_code']}{a['account_number']}" for a in every
               if a["customer_id"] == customer["customer_id"]}
    for client in _granted(live, admin, []):
        listed = client.post("/wren/v1/accounts/getAccounts", json={})
        assert listed.status_code == 200, listed.text
        listed_numbers = [account["accountNumber"] for account in listed.json()["accounts"]]
        assert listed_numbers and set(listed_numbers) <= numbers, (listed_numbers, numbers)
        assert client.post("/wren/v1/accounts/getAccounts", json={}).json()["accounts"] == listed.json()["accounts"]
        read = client.post("/wren/v1/accounts/getAccount", json={"accountNumber": listed_numbers[0]})
        assert read.status_code == 200 and read.json()["account"]["accountNumber"] == listed_numbers[0], read.text


def test_an_accounts_history_is_the_same_at_each_read_whatever_the_exchange(party):
    # (each read, under a new request id, had drawn another history: PolishAPI's getTransactionsDone)
    reads = [party.post("/wren/v1/accounts/getTransactions", json={
        "requestHeader": {"requestId": f"wren-req-{n}", "sendDate": f"2026-11-05T10:0{n}:00Z"}, "accountNumber": NAMED})
        for n in range(3)]
    assert all(read.status_code == 200 for read in reads), reads[0].text
    assert reads[0].json()["transactions"] and reads[0].json() == reads[1].json() == reads[2].json(), [r.json() for r in reads]
