"""A consent that is the authorization request the client posts to the API (tests/published_specs/consent-posted-
with-authorization, PolishAPI's `POST .../auth/authorize` with `scope_details: {consentId, privilegeList:
[{accountNumber, ...}]}`) is the one the customer grants at the page its answer sends them to, and its token
reaches the accounts it names: one named is read by its number, one not named is refused in the API's error
shape, at its 400 where it declares no 404. Granted for no consent, the token had read any account number the
client sent, drawn; refused, it was refused 404, a status an SDK generated from the spec does not know."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from oauth_flows import PASSWORD, REDIRECT, Form, create_connector

LIVE_SERVER = {"open_access": False, "specs": (Path(__file__).parent / "published_specs" / "consent-posted-with-authorization",)}
NAMED, OTHER = "PL61109010140000071219812874", "PL27114020040000300201355387"


@pytest.fixture(scope="module")
def token(live, admin):
    connector = create_connector(admin, **{"class": "third-party"})
    customer = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 1}).json()["accounts"][0]
    api = f"{live.url}/banks/consent-posted-with-authorization/heron/v1"
    begun = httpx.post(f"{api}/auth/authorize", timeout=30, json={
        "response_type": "code", "client_id": connector["client_id"], "redirect_uri": REDIRECT, "scope": "ais",
        "state": "st-1", "scope_details": {"consentId": "heron-consent-1", "privilegeList": [
            {"accountNumber": NAMED, "ais:getAccount": {"scopeUsageLimit": "multiple"}}]}})
    assert begun.status_code == 200, begun.text
    with httpx.Client(timeout=30, follow_redirects=False) as browser:
        page = browser.get(begun.json()["bankRedirectUri"])
        signed_in = Form(page.text).submit(browser, live.url, fill={"login_id": customer["customer_id"], "password": PASSWORD})
        back = Form(signed_in.text).submit(browser, live.url, button="approve")
    code = parse_qs(urlsplit(back.headers["location"]).query)["code"][0]
    bought = httpx.post(f"{api}/auth/token", timeout=30, auth=(connector["client_id"], connector["client_secret"]),
                        json={"grant_type": "authorization_code", "Code": code, "redirect_uri": REDIRECT})
    assert bought.status_code == 200, bought.text
    with httpx.Client(base_url=api, timeout=30, headers={"Authorization": f"Bearer {bought.json()['access_token']}"}) as client:
        yield client


def test_the_token_reads_the_account_the_authorization_request_named(token):
    read = token.post("/accounts/getAccount", json={"accountNumber": NAMED})
    assert read.status_code == 200 and read.json()["account"]["accountNumber"] == NAMED, read.text


def test_the_token_is_refused_an_account_the_authorization_request_did_not_name(token):
    refused = token.post("/accounts/getAccount", json={"accountNumber": OTHER})
    assert refused.status_code == 400 and set(refused.json()) >= {"code", "message"}, refused.text  # (no 404 declared)
