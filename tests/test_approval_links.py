"""A link named for the customer's approval (tests/published_specs/approval-links/: `_links.consentApproval`, as
STET's PSD2 API answers a payment request) is the sandbox's authorization page for the connector calling, sending
the customer back to the address the request's body gave for success. It was the spec's example host, and a
customer following it left the sandbox."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from oauth_flows import PASSWORD, REDIRECT, Form, client_credentials, create_connector

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "approval-links",)}


def test_the_approval_link_leads_to_the_sandboxs_authorization_and_back(live, admin):
    connector = create_connector(admin, **{"class": "third-party"})
    token = client_credentials(live.url, connector, scope="pisp")["access_token"]
    customer = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 5}).json()["accounts"][0]["customer_id"]
    made = httpx.post(f"{live.url}/banks/approval-links/payment-requests", timeout=30,
                      headers={"Authorization": f"Bearer {token}"},
                      json={"creditor": "Ada", "amount": "12.00", "supplementaryData": {
                          "successfulReportUrl": REDIRECT, "unsuccessfulReportUrl": "http://127.0.0.1:9/failed"}})
    assert made.status_code == 201, made.text
    link = made.json()["_links"]["consentApproval"]["href"]
    assert link.startswith(f"{live.url}/oauth/authorize?"), link
    query = parse_qs(urlsplit(link).query)
    assert query["client_id"] == [connector["client_id"]] and query["redirect_uri"] == [REDIRECT], query
    with httpx.Client(timeout=30, follow_redirects=False) as browser:
        page = browser.get(link)
        assert page.status_code == 200, page.text[:300]
        signed_in = Form(page.text).submit(browser, live.url, fill={"login_id": customer, "password": PASSWORD})
        back = Form(signed_in.text).submit(browser, live.url, button="approve")
    assert back.headers["location"].startswith(REDIRECT), back.headers.get("location")
