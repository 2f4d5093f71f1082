"""The accounts a customer's token reaches are those its consent names (tests/published_specs/consent-names-accounts,
NextGenPSD2's `access.accounts: [{iban, currency}]`): the list holds them, each with the IBAN and currency named
and a name and type drawn once, read alike by the id listed, balances read under it; an account the consent does
not name is refused 404 in the API's error shape. The list had answered its example's account, an IBAN no consent
named, and its read had drawn another. A consent naming no accounts (tests/published_specs/consent-reaches-customer-
accounts, Brazil's consent of permissions alone) reaches the customer's, made once of what the list shows and read
alike; any other is refused 404. A read of any id had answered an account."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from live_server import bank_client
from oauth_flows import consent_granted, consenting

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (SPECS / "consent-names-accounts", SPECS / "consent-reaches-customer-accounts")}
NAMED = [{"iban": "DE40100100103307118608", "currency": "EUR"}, {"iban": "DE89370400440532013000", "currency": "USD"}]


@pytest.fixture(scope="module")
def party(live, admin):
    customers, connector, token = consenting(live.url, admin, customers=2)
    for client in bank_client(live, "consent-names-accounts", token):
        made = client.post("/quince/v1/consents", json={"access": {"accounts": NAMED, "balances": NAMED[:1]}})
        assert made.status_code == 201, made.text
        customer = consent_granted(live.url, connector, customers[0], made.json()["consentId"])
        made = client.post(f"{live.url}/banks/consent-reaches-customer-accounts/lark/v2/consents",
                           json={"data": {"permissions": ["ACCOUNTS_READ"]}})
        assert made.status_code == 201, made.text
        other = consent_granted(live.url, connector, customers[1], made.json()["data"]["consentId"])
        yield client, {"Authorization": f"Bearer {customer}"}, {"Authorization": f"Bearer {other}"}


def test_the_list_holds_the_accounts_the_consent_names(party):
    client, customer, _ = party
    listed = client.get("/quince/v1/accounts", headers=customer)
    assert listed.status_code == 200, listed.text
    accounts = listed.json()["accounts"]
    assert sorted((a["iban"], a["currency"]) for a in accounts) == sorted((n["iban"], n["currency"]) for n in NAMED)
    assert all(a["name"] and a["cashAccountType"] in ("CACC", "SVGS") for a in accounts), accounts
    assert client.get("/quince/v1/accounts", headers=customer).json() == listed.json()  # (drawn once)


def test_each_listed_account_is_read_alike_and_no_other(party):
    client, customer, _ = party
    for listed in client.get("/quince/v1/accounts", headers=customer).json()["accounts"]:
        read = client.get(f"/quince/v1/accounts/{listed['resourceId']}", headers=customer)
        assert read.status_code == 200 and read.json()["account"] == listed, read.text
        balances = client.get(f"/quince/v1/accounts/{listed['resourceId']}/balances", headers=customer)
        assert balances.status_code == 200, balances.text
    for other in ("acc-example-1", "acc-never-named"):
        refused = client.get(f"/quince/v1/accounts/{other}", headers=customer)
        assert (refused.status_code, refused.json()["tppMessages"][0]["category"]) == (404, "ERROR"), refused.text
        assert client.get(f"/quince/v1/accounts/{other}/balances", headers=customer).status_code == 404


def test_a_consent_naming_no_accounts_reaches_the_customers_accounts_alike(live, party):
    """(tests/published_specs/consent-reaches-customer-accounts, Brazil's consent of permissions alone)"""
    _, _, customer = party
    lark = f"{live.url}/banks/consent-reaches-customer-accounts/lark/v2"
    listed = httpx.get(f"{lark}/accounts", headers=customer, timeout=30)
    assert listed.status_code == 200 and listed.json()["data"], listed.text
    assert httpx.get(f"{lark}/accounts", headers=customer, timeout=30).json() == listed.json()
    for item in listed.json()["data"]:
        read = httpx.get(f"{lark}/accounts/{item['accountId']}", headers=customer, timeout=30)
        assert read.status_code == 200, read.text
        assert (read.json()["data"]["number"], read.json()["data"]["currency"]) == (item["number"], item["currency"])
    refused = httpx.get(f"{lark}/accounts/lk-not-mine", headers=customer, timeout=30)
    assert refused.status_code == 404 and refused.json()["errors"][0]["detail"], refused.text
