"""An authorization request posted to an operation of the API, in a JSON body (tests/published_specs/
authorization-posted-in-body/): its answer's redirect URI is the sandbox's authorization page for the request's
client, redirect URI, scope and state, so the customer signs in there and the code comes back to the client.
PolishAPI's `POST /auth/authorize` answered `aspspRedirectUri` drawn from the spec (`https://example.jp/7342`): the
customer's browser left the sandbox, and no code could ever reach the token operation."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from oauth_flows import REDIRECT, Form, create_connector

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "authorization-posted-in-body",)}


def test_the_answered_redirect_is_the_sandbox_authorization_page_and_its_code_buys_a_token(live, admin):
    connector = create_connector(admin, **{"class": "third-party"})
    customer = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 5}).json()["accounts"][0]["customer_id"]
    api = f"{live.url}/banks/authorization-posted-in-body"
    begun = httpx.post(f"{api}/auth/begin", timeout=30, json={
        "header": {"requestId": "r-1"}, "response_type": "code", "client_id": connector["client_id"],
        "redirect_uri": REDIRECT, "scope": "ledgers", "state": "st-42"})
    assert begun.status_code == 200, begun.text
    link = begun.json()["bankRedirectUri"]
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{live.url}/oauth/authorize", link
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {"response_type": "code", "client_id": connector["client_id"], "redirect_uri": REDIRECT,
                     "scope": "ledgers", "state": "st-42"}, query
    with httpx.Client(timeout=30, follow_redirects=False) as browser:
        page = browser.get(link)
        assert page.status_code == 200, page.text[:300]
        signed_in = Form(page.text).submit(browser, live.url, fill={"login_id": customer, "password": "sandbox"})
        back = Form(signed_in.text).submit(browser, live.url, button="approve")
    returned = parse_qs(urlsplit(back.headers["location"]).query)
    assert returned["state"] == ["st-42"] and returned["code"], back.headers["location"]
    token = httpx.post(f"{api}/auth/exchange", timeout=30, auth=(connector["client_id"], connector["client_secret"]),
                       json={"grant_type": "authorization_code", "Code": returned["code"][0], "redirect_uri": REDIRECT,
                             "client_id": connector["client_id"]})
    assert token.status_code == 200, token.text
    listed = httpx.post(f"{api}/ledgers/list", timeout=30, json={"header": {"requestId": "r-2"}},
                        headers={"Authorization": f"Bearer {token.json()['access_token']}"})
    assert listed.status_code == 200, listed.text


def test_an_answer_naming_a_redirect_of_a_request_that_asks_for_no_authorization_is_left_alone(live):
    # (no response_type sent: no authorization request, the field is the API's own)
    begun = httpx.post(f"{live.url}/banks/authorization-posted-in-body/auth/begin", timeout=30, json={
        "header": {"requestId": "r-3"}, "client_id": "c", "redirect_uri": REDIRECT, "scope": "ledgers", "state": "s"})
    assert begun.status_code == 400, begun.text  # response_type is required
