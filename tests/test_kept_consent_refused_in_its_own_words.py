"""A consent's refusals told in the API's own words (tests/published_specs/consent-refused-in-its-own-words: error
codes in Portuguese, as Brazil's open finance APIs enumerate them). A payment under a consent already used is
refused at the status whose codes say so, with the code that says the consent is invalid (`CONSENTIMENTO_INVALIDO`),
and one under a consent past its expiry with the code that says it expired (`CONSENTIMENTO_EXPIRADO`): both had been
403 `consent_inactive`, the sandbox's own code, which no declared code is."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from oauth_flows import client_credentials, create_connector, third_party_token

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "consent-refused-in-its-own-words",)}
BANK = "/banks/consent-refused-in-its-own-words"


@pytest.fixture(scope="module")
def party(live, admin):
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 50}).json()["accounts"]
    connector = create_connector(admin, **{"class": "third-party", "plan": "premium"})
    token = client_credentials(live.url, connector, "consents")["access_token"]
    with httpx.Client(base_url=f"{live.url}{BANK}", timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:
        yield live.url, connector, accounts[0]["customer_id"], client


def _made(client, **data) -> str:
    made = client.post("/consents", json={"data": {"permissions": ["PAYMENTS_INITIATE"], **data}})
    assert made.status_code == 201 and made.json()["data"]["status"] == "AWAITING_AUTHORISATION", made.text
    return made.json()["data"]["consentId"]


def _granted(party, consent_id: str, scope: str = "openid payments") -> dict:
    base, connector, customer, _ = party
    token = third_party_token(base, connector, customer, f"{scope} consent:{consent_id}")["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _pay(party, headers: dict, consent_id: str) -> httpx.Response:
    return httpx.post(f"{party[0]}{BANK}/payments", json={"data": {"consentId": consent_id, "amount": "10.00"}},
                      headers=headers, timeout=30)


def test_a_payment_under_a_used_consent_is_refused_with_the_code_that_says_so(party):
    consent_id = _made(party[3])
    pays = _granted(party, consent_id)
    assert _pay(party, pays, consent_id).status_code == 201
    again = _pay(party, pays, consent_id)
    assert again.status_code == 422, again.text
    assert again.json()["errors"][0]["code"] == "CONSENTIMENTO_INVALIDO", again.text
    assert consent_id in again.json()["errors"][0]["detail"], again.text


def test_a_consent_deleted_before_its_customer_granted_it_reads_rejected_and_is_not_ended_again(party):
    client = party[3]
    consent_id = _made(client)
    assert client.delete(f"/consents/{consent_id}").status_code == 204
    data = client.get(f"/consents/{consent_id}").json()["data"]
    assert data["status"] == "REJECTED", data
    # (refused by the connector's side before it was authorised: not revoked, which only a granted consent is)
    assert data["rejection"]["rejectedBy"] == "TPP", data
    assert data["rejection"]["reason"]["code"] == "CUSTOMER_MANUALLY_REJECTED", data
    again = client.delete(f"/consents/{consent_id}")
    assert again.status_code == 422, again.text
    assert again.json()["errors"][0]["code"] == "CONSENTIMENTO_EM_ESTADO_REJEITADO", again.text
    assert client.get(f"/consents/{consent_id}").json()["data"] == data


def test_a_consent_deleted_once_granted_reads_revoked(party):
    client = party[3]
    consent_id = _made(client)
    _granted(party, consent_id)
    assert client.delete(f"/consents/{consent_id}").status_code == 204
    data = client.get(f"/consents/{consent_id}").json()["data"]
    assert (data["status"], data["rejection"]["reason"]["code"]) == ("REJECTED", "CUSTOMER_MANUALLY_REVOKED"), data
    assert client.delete(f"/consents/{consent_id}").status_code == 422


def test_a_payment_naming_another_consent_than_its_tokens_is_refused_and_uses_neither(party):
    client = party[3]
    mine, other = _made(client), _made(client)
    pays = _granted(party, mine)
    _granted(party, other)
    refused = _pay(party, pays, other)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["code"] == "PAGAMENTO_DIVERGENTE_CONSENTIMENTO", refused.text
    assert {client.get(f"/consents/{each}").json()["data"]["status"] for each in (mine, other)} == {"AUTHORISED"}
    assert _pay(party, pays, mine).status_code == 201


def test_a_payment_under_an_expired_consent_is_refused_with_the_code_for_expiry(party, admin):
    # (last: the sandbox clock is moved on)
    now = admin.get("/sandbox/v1/workspaces/default/clock").json()["now"]
    consent_id = _made(party[3], expirationDateTime=(datetime.fromisoformat(now) + timedelta(hours=1)).isoformat())
    pays = _granted(party, consent_id)
    moved = admin.post("/sandbox/v1/workspaces/default/clock", json={"mode": "advance", "seconds": 2 * 86400})
    assert moved.status_code == 200, moved.text
    refused = _pay(party, pays, consent_id)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["code"] == "CONSENTIMENTO_EXPIRADO", refused.text
