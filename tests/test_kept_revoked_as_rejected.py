"""A consent whose states name no revocation (`AWAITING_AUTHORISATION`, `AUTHORISED`, `REJECTED`), revoked by its
connector's DELETE answering nothing, reads `REJECTED`, its rejection object beside the state saying who rejected
it, the connector's side (`TPP`, not `USER` or `ASPSP`), and the reason code that says it was revoked; the tokens
granted for it are refused (tests/published_specs/revoked-as-rejected: Brazil's open finance consents). It had been
forgotten: its read answered 404 "was deleted", which no state of its schema says."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from oauth_flows import client_credentials, create_connector, third_party_token

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "revoked-as-rejected",)}
BANK = "/banks/revoked-as-rejected"


@pytest.fixture(scope="module")
def party(live, admin):
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 50}).json()["accounts"]
    connector = create_connector(admin, **{"class": "third-party"})
    token = client_credentials(live.url, connector, "consents")["access_token"]
    with httpx.Client(base_url=f"{live.url}{BANK}", timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:
        yield live.url, connector, accounts[0]["customer_id"], client



def test_a_consent_revoked_by_its_connector_reads_rejected_by_it_as_revoked(party):
    base, connector, customer, client = party
    made = client.post("/consents", json={"data": {"permissions": ["ACCOUNTS_READ"]}})
    assert made.status_code == 201 and "rejection" not in made.json()["data"], made.text  # (told once rejected)
    consent_id = made.json()["data"]["consentId"]
    token = third_party_token(base, connector, customer, f"openid accounts consent:{consent_id}")["access_token"]
    reads = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{base}{BANK}/accounts", headers=reads, timeout=30).status_code == 200
    assert client.get(f"/consents/{consent_id}").json()["data"]["status"] == "AUTHORISED"
    assert client.delete(f"/consents/{consent_id}").status_code == 204
    read = client.get(f"/consents/{consent_id}")
    assert read.status_code == 200, read.text
    data = read.json()["data"]
    assert data["status"] == "REJECTED" and data["permissions"] == ["ACCOUNTS_READ"], data
    assert data["rejection"]["rejectedBy"] == "TPP", data
    assert data["rejection"]["reason"]["code"] == "CUSTOMER_MANUALLY_REVOKED", data
    refused = httpx.get(f"{base}{BANK}/accounts", headers=reads, timeout=30)
    assert refused.status_code == 403 and consent_id in refused.json()["errors"][0]["detail"], refused.text


def test_a_consent_never_made_is_not_revoked(party):
    assert party[3].delete("/consents/urn:marshbank:NEVER1").status_code == 404
