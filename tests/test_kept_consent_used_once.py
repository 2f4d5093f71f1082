"""A consent given for one payment, whose states have one for being used (`CONSUMED`), moves there once a payment
is made under it (with a customer's token granted for it, the payment naming it in its `consentId`), and a second
payment under it is refused in the API's error shape (tests/published_specs/consent-used-once: Brazil's payment
consent and Pix payment). It had stayed `AUTHORISED`, and paid again and again."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from oauth_flows import client_credentials, create_connector, third_party_token

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "consent-used-once",)}
BANK = "/banks/consent-used-once"


@pytest.fixture(scope="module")
def party(live, admin):
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 50}).json()["accounts"]
    connector = create_connector(admin, **{"class": "third-party"})
    token = client_credentials(live.url, connector, "payments")["access_token"]
    with httpx.Client(base_url=f"{live.url}{BANK}", timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:
        yield live.url, connector, accounts[0]["customer_id"], client



def test_a_consent_for_one_payment_is_consumed_by_it_and_pays_no_more(party):
    base, connector, customer, client = party
    made = client.post("/consents", json={"data": {"amount": "100.12"}})
    assert made.status_code == 201, made.text
    consent_id = made.json()["data"]["consentId"]
    token = third_party_token(base, connector, customer, f"openid payments consent:{consent_id}")["access_token"]
    assert client.get(f"/consents/{consent_id}").json()["data"]["status"] == "AUTHORISED"
    pays = {"Authorization": f"Bearer {token}"}
    body = {"data": {"consentId": consent_id, "amount": "100.12"}}
    paid = httpx.post(f"{base}{BANK}/payments", json=body, headers=pays, timeout=30)
    assert paid.status_code == 201 and paid.json()["data"]["consentId"] == consent_id, paid.text
    assert client.get(f"/consents/{consent_id}").json()["data"]["status"] == "CONSUMED"
    again = httpx.post(f"{base}{BANK}/payments", json=body, headers=pays, timeout=30)
    assert again.status_code == 403, again.text
    assert consent_id in again.json()["errors"][0]["detail"], again.text
    assert client.get(f"/payments/{paid.json()['data']['paymentId']}").status_code == 200
    # (authorised again, it is not given back: used, it stays so)
    token = third_party_token(base, connector, customer, f"openid payments consent:{consent_id}")["access_token"]
    assert client.get(f"/consents/{consent_id}").json()["data"]["status"] == "CONSUMED"
    again = httpx.post(f"{base}{BANK}/payments", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert again.status_code == 403, again.text
