"""A consent named by the authorization request only in a scope that names a resource by a parameter
(`consent:urn:tidebank:C1` of the declared `consent:consentId`, as Brazil's open finance binds its tokens) is the one
the customer grants (tests/published_specs/consent-named-by-scope and -reads, two specs of one bank): it reads
`AUTHORISED`, and the tokens of that authorization are for it at the bank's other API too, refused there once it
is revoked. It had stayed `AWAITING_AUTHORISATION`, and its tokens read the accounts after it was revoked."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from oauth_flows import client_credentials, create_connector, third_party_token

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (SPECS / "consent-named-by-scope", SPECS / "consent-named-by-scope-reads")}
CONSENTS, READS = "/banks/consent-named-by-scope", "/banks/consent-named-by-scope-reads"


@pytest.fixture(scope="module")
def party(live, admin):
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 50}).json()["accounts"]
    connector = create_connector(admin, **{"class": "third-party", "plan": "premium"})
    token = client_credentials(live.url, connector, "consents")["access_token"]
    with httpx.Client(base_url=live.url, timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:
        yield live.url, connector, accounts[0]["customer_id"], client



def _made(client) -> str:
    made = client.post(f"{CONSENTS}/consents", json={"data": {"permissions": ["ACCOUNTS_READ"]}})
    assert made.status_code == 201 and made.json()["data"]["status"] == "AWAITING_AUTHORISATION", made.text
    return made.json()["data"]["consentId"]


def test_a_consent_named_by_a_scope_is_authorised_when_granted(party):
    base, connector, customer, client = party
    consent_id, other = _made(client), _made(client)
    token = third_party_token(base, connector, customer, f"openid accounts consent:{consent_id}")
    assert token["scope"].split() == ["openid", "accounts", f"consent:{consent_id}"], token
    assert client.get(f"{CONSENTS}/consents/{consent_id}").json()["data"]["status"] == "AUTHORISED"
    assert client.get(f"{CONSENTS}/consents/{other}").json()["data"]["status"] == "AWAITING_AUTHORISATION"


def test_its_tokens_are_refused_at_the_banks_other_api_once_it_is_revoked(party):
    base, connector, customer, client = party
    consent_id = _made(client)
    token = third_party_token(base, connector, customer, f"openid accounts consent:{consent_id}")["access_token"]
    reads = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{base}{READS}/accounts", headers=reads, timeout=30).status_code == 200
    assert client.delete(f"{CONSENTS}/consents/{consent_id}").status_code == 204
    refused = httpx.get(f"{base}{READS}/accounts", headers=reads, timeout=30)
    assert refused.status_code == 403, refused.text
    assert consent_id in refused.json()["errors"][0]["detail"], refused.text
