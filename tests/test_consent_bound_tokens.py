"""A customer's token is for the consent its authorization request named (tests/published_specs/consent-bound-tokens):
a read naming that consent in its `Consent-ID` header is answered; one naming another consent is refused 401
`CONSENT_INVALID`, one naming a consent never made 403 `CONSENT_UNKNOWN`, and once the consent is deleted, every read
made with the token is refused (401 `CONSENT_INVALID`; 403 where the read names no consent). They had all read the
accounts (NextGenPSD2's, UK Open Banking's). The connector's own token still makes and reads consents.

The consent's `scaRedirect` link is the sandbox's authorization page naming it, and its `scaOAuth` link the sandbox's
authorization server metadata: both were the spec's example host, and a client following them left the sandbox."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from live_server import bank_client
from oauth_flows import PASSWORD, REDIRECT, Form, client_credentials, create_connector, oauth_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "consent-bound-tokens",)}


@pytest.fixture(scope="module")
def party(live, admin):
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 50}).json()["accounts"]
    connector = create_connector(admin, **{"class": "third-party", "plan": "premium"})  # (more than 10 calls a second)
    token = client_credentials(live.url, connector)["access_token"]
    for client in bank_client(live, "consent-bound-tokens", token):
        made = [client.post("/orchard/v2/consents", json={"access": {"allPsd2": "allAccounts"}}) for _ in range(2)]
        assert all(answer.status_code == 201 for answer in made), made[0].text
        granted, other = (answer.json()["consentId"] for answer in made)
        with oauth_client(live.url, connector, redirect_uri=REDIRECT) as oauth:
            url, _ = oauth.create_authorization_url(f"{live.url}/oauth/authorize", consent_id=granted)
            with httpx.Client(timeout=30, follow_redirects=False) as browser:
                page = browser.get(url)
                signed_in = Form(page.text).submit(browser, live.url, fill={"login_id": accounts[0]["customer_id"],
                                                                             "password": PASSWORD})
                answer = Form(signed_in.text).submit(browser, live.url, button="approve")
            assert "code" in parse_qs(urlparse(answer.headers["location"]).query), answer.headers["location"]
            customer = oauth.fetch_token(authorization_response=answer.headers["location"])["access_token"]
        yield client, {"Authorization": f"Bearer {customer}"}, granted, other, (live.url, accounts[0]["customer_id"])


def _code(answer) -> str:
    return answer.json()["tppMessages"][0]["code"]


def test_a_token_reads_under_its_own_consent_and_no_other(party):
    client, customer, granted, other, _ = party
    assert client.get(f"/orchard/v2/consents/{granted}").json()["consentStatus"] == "valid"
    assert client.get("/orchard/v2/accounts", headers={**customer, "Consent-ID": granted}).status_code == 200
    named_other = client.get("/orchard/v2/accounts", headers={**customer, "Consent-ID": other})
    assert (named_other.status_code, _code(named_other)) == (401, "CONSENT_INVALID"), named_other.text
    never_made = client.get("/orchard/v2/accounts", headers={**customer, "Consent-ID": "oc-never-made"})
    assert (never_made.status_code, _code(never_made)) == (403, "CONSENT_UNKNOWN"), never_made.text
    assert client.get("/orchard/v2/accounts", headers=customer).status_code == 400  # (the header it requires)
    # The connector's own token is for no consent: it reads as before.
    assert client.get("/orchard/v2/accounts", headers={"Consent-ID": other}).status_code == 200


def test_a_token_reads_nothing_once_its_consent_is_deleted(party):
    client, customer, granted, _, _ = party
    assert client.get("/orchard/v2/cards", headers=customer).status_code == 200
    assert client.delete(f"/orchard/v2/consents/{granted}").status_code == 204
    after = client.get("/orchard/v2/accounts", headers={**customer, "Consent-ID": granted})
    assert (after.status_code, _code(after)) == (401, "CONSENT_INVALID"), after.text
    assert client.get("/orchard/v2/cards", headers=customer).status_code == 403


def test_the_links_of_a_consent_lead_to_the_sandboxs_authorization(party):
    client, _, _, _, (base, customer) = party
    made = client.post("/orchard/v2/consents", json={"access": {"allPsd2": "allAccounts"}},
                       headers={"TPP-Redirect-URI": REDIRECT}).json()
    redirect, oauth = made["_links"]["scaRedirect"]["href"], made["_links"]["scaOAuth"]["href"]
    assert redirect.startswith(f"{base}/oauth/authorize?"), redirect
    with httpx.Client(timeout=30, follow_redirects=False) as browser:
        page = browser.get(redirect)
        assert page.status_code == 200, page.text
        signed_in = Form(page.text).submit(browser, base, fill={"login_id": customer, "password": PASSWORD})
        answer = Form(signed_in.text).submit(browser, base, button="approve")
        assert answer.headers["location"].startswith(REDIRECT), answer.headers.get("location")
        assert browser.get(oauth).json()["authorization_endpoint"] == f"{base}/oauth/authorize"
    assert client.get(f"/orchard/v2/consents/{made['consentId']}").json()["consentStatus"] == "valid"
