"""A consent made at a bank's API and named by the authorization request the customer answers is the one the
customer grants or refuses (tests/published_specs/consent-named-at-authorization): granted on the sandbox's
`/oauth/authorize`, it reads `Authorised`; refused, `Rejected`. It had stayed `AwaitingAuthorisation` whatever the
customer said (UK Open Banking's account-access consent, named by the `openbanking_intent_id` claim of the
signed request object; a `consent_id` parameter or an `authorization_details` entry elsewhere)."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from live_server import bank_client
from oauth_flows import PASSWORD, REDIRECT, Form, client_credentials, create_connector, oauth_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "consent-named-at-authorization",)}


@pytest.fixture(scope="module")
def party(live, admin):
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 50}).json()["accounts"]
    connector = create_connector(admin, **{"class": "third-party"})
    token = client_credentials(live.url, connector, "ledger")["access_token"]
    for client in bank_client(live, "consent-named-at-authorization", token):
        yield live.url, connector, accounts[0]["customer_id"], client


def _unsigned(claims: dict) -> str:
    part = lambda value: base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{part({'alg': 'PS256', 'kid': 'k1'})}.{part(claims)}.c2lnbmF0dXJl"


def _answered(base, connector, customer, decision, **extra) -> dict:
    with oauth_client(base, connector, scope="ledger", redirect_uri=REDIRECT) as oauth:
        url, _ = oauth.create_authorization_url(f"{base}/oauth/authorize", **extra)
    with httpx.Client(timeout=30, follow_redirects=False) as browser:
        page = browser.get(url)
        assert page.status_code == 200, page.text
        signed_in = Form(page.text).submit(browser, base, fill={"login_id": customer, "password": PASSWORD})
        answer = Form(signed_in.text).submit(browser, base, button=decision)
    assert answer.status_code in (302, 303), answer.text
    return parse_qs(urlparse(answer.headers["location"]).query)


def _made(client) -> str:
    made = client.post("/ledger/v1/access-consents", json={"Data": {"Permissions": ["ReadBalances"]}})
    assert made.status_code == 201 and made.json()["Data"]["Status"] == "AwaitingAuthorisation", made.text
    return made.json()["Data"]["ConsentId"]


def _status(client, consent_id) -> str:
    return client.get(f"/ledger/v1/access-consents/{consent_id}").json()["Data"]["Status"]


def test_a_consent_named_by_the_request_object_is_authorised_when_granted(party):
    base, connector, customer, client = party
    consent_id = _made(client)
    claims = {"claims": {"id_token": {"openbanking_intent_id": {"value": consent_id, "essential": True}}}}
    assert "code" in _answered(base, connector, customer, "approve", request=_unsigned(claims))
    assert _status(client, consent_id) == "Authorised"


def test_a_consent_named_by_a_parameter_is_rejected_when_refused(party):
    base, connector, customer, client = party
    consent_id, other = _made(client), _made(client)
    assert _answered(base, connector, customer, "deny", consent_id=consent_id)["error"] == ["access_denied"]
    assert _status(client, consent_id) == "Rejected"
    assert _status(client, other) == "AwaitingAuthorisation"  # (one the request does not name is left alone)
    details = json.dumps([{"type": "ledger_access", "consentId": other}])
    assert "code" in _answered(base, connector, customer, "approve", authorization_details=details)
    assert _status(client, other) == "Authorised"


def test_a_consent_is_made_and_moved_in_its_status_at_the_moment_it_is(party):
    """Its `StatusUpdateDateTime` is when it was made, then when the customer answered: it had been drawn from the
    banking hours of the sandbox's day, hours before the consent was made, and stayed so once it was granted."""
    base, connector, customer, client = party
    made = client.post("/ledger/v1/access-consents", json={"Data": {"Permissions": ["ReadBalances"]}}).json()["Data"]
    assert made["StatusUpdateDateTime"] == made["CreationDateTime"], made
    assert "code" in _answered(base, connector, customer, "approve", consent_id=made["ConsentId"])
    read = client.get(f"/ledger/v1/access-consents/{made['ConsentId']}").json()["Data"]
    assert read["Status"] == "Authorised" and read["StatusUpdateDateTime"] >= made["CreationDateTime"], read


def test_a_request_naming_no_consent_kept_or_a_malformed_request_object_is_granted_as_ever(party):
    base, connector, customer, client = party
    waiting = _made(client)
    assert "code" in _answered(base, connector, customer, "approve", consent_id="never-made-here")
    assert "code" in _answered(base, connector, customer, "approve", request="not.a-jwt")
    time.sleep(1.1)  # (the connector's plan allows 10 calls a second, and this module's tests share it)
    assert _status(client, waiting) == "AwaitingAuthorisation"  # (nothing named it: nothing moved)
