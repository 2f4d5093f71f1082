"""The accounts a customer's token reaches are those its consent names (tests/published_specs/consent-names-accounts,
NextGenPSD2's `access.accounts: [{iban, currency}]`): the list holds them, each with the IBAN and currency named
and a name and type drawn once, read alike by the id listed, balances read under it; an account the consent does
not name is refused 404 in the API's error shape. The list had answered its example's account, an IBAN no consent
named, and its read had drawn another."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from live_server import bank_client
from oauth_flows import PASSWORD, REDIRECT, Form, client_credentials, create_connector, oauth_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "consent-names-accounts",)}
NAMED = [{"iban": "DE40100100103307118608", "currency": "EUR"}, {"iban": "DE89370400440532013000", "currency": "USD"}]


@pytest.fixture(scope="module")
def party(live, admin):
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 5}).json()["accounts"]
    connector = create_connector(admin, **{"class": "third-party", "plan": "premium"})
    token = client_credentials(live.url, connector)["access_token"]
    for client in bank_client(live, "consent-names-accounts", token):
        made = client.post("/quince/v1/consents", json={"access": {"accounts": NAMED, "balances": NAMED[:1]}})
        assert made.status_code == 201, made.text
        with oauth_client(live.url, connector, redirect_uri=REDIRECT) as oauth:
            url, _ = oauth.create_authorization_url(f"{live.url}/oauth/authorize", consent_id=made.json()["consentId"])
            with httpx.Client(timeout=30, follow_redirects=False) as browser:
                signed_in = Form(browser.get(url).text).submit(
                    browser, live.url, fill={"login_id": accounts[0]["customer_id"], "password": PASSWORD})
                answer = Form(signed_in.text).submit(browser, live.url, button="approve")
            assert "code" in parse_qs(urlparse(answer.headers["location"]).query), answer.headers["location"]
            customer = oauth.fetch_token(authorization_response=answer.headers["location"])["access_token"]
        yield client, {"Authorization": f"Bearer {customer}"}


def test_the_list_holds_the_accounts_the_consent_names(party):
    client, customer = party
    listed = client.get("/quince/v1/accounts", headers=customer)
    assert listed.status_code == 200, listed.text
    accounts = listed.json()["accounts"]
    assert sorted((a["iban"], a["currency"]) for a in accounts) == sorted((n["iban"], n["currency"]) for n in NAMED)
    assert all(a["name"] and a["cashAccountType"] in ("CACC", "SVGS") for a in accounts), accounts
    assert client.get("/quince/v1/accounts", headers=customer).json() == listed.json()  # (drawn once)


def test_each_listed_account_is_read_alike_and_no_other(party):
    client, customer = party
    for listed in client.get("/quince/v1/accounts", headers=customer).json()["accounts"]:
        read = client.get(f"/quince/v1/accounts/{listed['resourceId']}", headers=customer)
        assert read.status_code == 200 and read.json()["account"] == listed, read.text
        balances = client.get(f"/quince/v1/accounts/{listed['resourceId']}/balances", headers=customer)
        assert balances.status_code == 200, balances.text
    for other in ("acc-example-1", "acc-never-named"):
        refused = client.get(f"/quince/v1/accounts/{other}", headers=customer)
        assert (refused.status_code, refused.json()["tppMessages"][0]["category"]) == (404, "ERROR"), refused.text
        assert client.get(f"/quince/v1/accounts/{other}/balances", headers=customer).status_code == 404
