"""What is read under an account a consent names (tests/published_specs/reports-name-account-read, NextGenPSD2's
transaction report and balances: `{account: {iban, currency}, ...}`) names that account, by the references it is
held with: the IBAN and currency the consent named, not the spec example's IBAN, nor its BBAN beside them. The
report had answered the example's account."""

from __future__ import annotations

from pathlib import Path
import pytest

from live_server import bank_client
from oauth_flows import consent_granted, consenting

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "reports-name-account-read",)}
NAMED = {"iban": "DE40100100103307118608", "currency": "EUR"}


@pytest.fixture(scope="module")
def party(live, admin):
    [customer], connector, token = consenting(live.url, admin)
    for client in bank_client(live, "reports-name-account-read", token):
        made = client.post("/linnet/v1/consents", json={"access": {"accounts": [NAMED]}})
        assert made.status_code == 201, made.text
        token = consent_granted(live.url, connector, customer, made.json()["consentId"])
        yield client, {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("read", ["transactions", "balances"])
def test_what_is_read_under_an_account_names_that_account(party, read):
    client, customer = party
    listed = client.get("/linnet/v1/accounts", headers=customer)
    assert listed.status_code == 200, listed.text
    [account] = listed.json()["accounts"]
    answer = client.get(f"/linnet/v1/accounts/{account['resourceId']}/{read}", headers=customer)
    assert answer.status_code == 200, answer.text
    assert answer.json()["account"] == NAMED, answer.json()
