"""Connectors and OAuth flows against a live sandbox, driven as real clients do.

Tokens come from Authlib's standard OAuth 2.0 client (httpx flavour); the bank's sign-in and consent
pages are read as HTML and their forms submitted over HTTP, field by field, as a browser would.
"""

from __future__ import annotations

import secrets
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlparse

import httpx
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from sandbox.readiness import tls

REDIRECT = "http://127.0.0.1:9/callback"
PASSWORD = "sandbox"
REGISTRATION = "関東財務局長（電代）第12号"


class Form(HTMLParser):
    """The first form of a page: its action and the values a browser would submit."""

    def __init__(self, html: str):
        super().__init__()
        self.action, self.fields, self.buttons, self.checkboxes = None, [], [], []
        self._in_form = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action, self._in_form = attrs.get("action", ""), True
        elif tag == "input" and self._in_form:
            kind = attrs.get("type", "text")
            if kind == "checkbox":
                self.checkboxes.append((attrs["name"], attrs.get("value", "on"), "checked" in attrs))
            elif kind not in ("submit", "button"):
                self.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "button" and self._in_form and attrs.get("name"):
            self.buttons.append((attrs["name"], attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False

    def submit(self, client: httpx.Client, base: str, *, fill: dict | None = None, button: str | None = None,
               checked=None) -> httpx.Response:
        """POST the form: hidden fields as they are, `fill` typed in, checkboxes left as ticked (or `checked`)."""
        data = [(name, (fill or {}).get(name, value)) for name, value in self.fields]
        for name, value, ticked in self.checkboxes:
            if (checked(name, value) if checked else ticked):
                data.append((name, value))
        if button is not None:
            data.append(next((n, v) for n, v in self.buttons if v == button))
        grouped: dict[str, list] = {}
        for name, value in data:
            grouped.setdefault(name, []).append(value)
        return client.post(urljoin(base + "/", self.action), data=grouped)


def create_connector(admin: httpx.Client, workspace: str = "default", **body) -> dict:
    body = {"workspace": workspace, **body}
    if body.get("class") == "third-party":
        body.setdefault("registration_number", REGISTRATION)
        body.setdefault("redirect_uris", [REDIRECT])
    body.setdefault("name", f"connector {secrets.token_hex(3)}")
    response = admin.post("/sandbox/v1/connectors", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def self_use_token(base: str, admin: httpx.Client) -> str:
    """An access token of a new self-use connector of a company of the default workspace's bank 0990."""
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
    company = next(a["customer_id"] for a in accounts["accounts"] if a["customer_kind"] == "corporate")
    connector = create_connector(admin, **{"class": "self-use", "customer_id": company})
    return client_credentials(base, connector)["access_token"]


def oauth_client(base: str, connector: dict, **kwargs) -> OAuth2Client:
    # one shared TLS context: a client building its own loads the CA bundle, ~20 ms of CPU each time
    return OAuth2Client(connector["client_id"], connector["client_secret"], token_endpoint=f"{base}/oauth/token",
                        timeout=30, verify=tls.context(), **kwargs)


def client_credentials(base: str, connector: dict, scope: str | None = None) -> dict:
    with oauth_client(base, connector, scope=scope) as client:
        return client.fetch_token(grant_type="client_credentials")


def authorize(base: str, connector: dict, customer_id: str, scope: str, *, accounts=None, scopes=None,
              redirect_uri: str = REDIRECT, password: str = PASSWORD, verifier: str | None = None,
              method: str = "S256", decision: str = "approve") -> dict:
    """Walk the authorization-code flow up to the redirect: {"code", "state", "verifier", "redirect"}.

    `accounts` / `scopes`: what the customer ticks on the consent page (default: all it offers).
    """
    verifier = verifier or generate_token(64)
    with oauth_client(base, connector, scope=scope, redirect_uri=redirect_uri, code_challenge_method=method) as client:
        url, state = client.create_authorization_url(f"{base}/oauth/authorize", code_verifier=verifier)
    with httpx.Client(timeout=30, follow_redirects=False, verify=tls.context()) as browser:
        page = browser.get(url)
        assert page.status_code == 200, page.text
        signed_in = Form(page.text).submit(browser, base, fill={"login_id": customer_id, "password": password})
        assert signed_in.status_code == 200, signed_in.text
        consent = Form(signed_in.text)

        def ticked(name, value):
            chosen = accounts if name == "accounts" else scopes
            return True if chosen is None else value in chosen

        answer = consent.submit(browser, base, button=decision, checked=ticked)
    assert answer.status_code in (302, 303), answer.text
    location = answer.headers["location"]
    query = parse_qs(urlparse(location).query)
    return {"code": query.get("code", [None])[0], "state": query.get("state", [None])[0], "verifier": verifier,
            "redirect": location, "error": query.get("error", [None])[0]}


def exchange(base: str, connector: dict, flow: dict, redirect_uri: str = REDIRECT) -> dict:
    with oauth_client(base, connector, redirect_uri=redirect_uri) as client:
        return client.fetch_token(authorization_response=flow["redirect"], code_verifier=flow["verifier"])


def third_party_token(base: str, connector: dict, customer_id: str, scope: str, **kwargs) -> dict:
    return exchange(base, connector, authorize(base, connector, customer_id, scope, **kwargs))


def consenting(base: str, admin: httpx.Client, customers: int = 1) -> tuple[list, dict, str]:
    """(the ids of `customers` customers of the default workspace, a new third-party connector, its own
    client-credentials token): the parties of a consent made at a bank's API and granted by a customer."""
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 5}).json()["accounts"]
    connector = create_connector(admin, **{"class": "third-party", "plan": "premium"})
    return [a["customer_id"] for a in accounts[:customers]], connector, client_credentials(base, connector)["access_token"]


def consent_granted(base: str, connector: dict, customer: str, consent_id: str) -> str:
    """The access token of the customer who granted the consent (or payment) `consent_id`, made at the bank's API,
    at the authorization page naming it."""
    with oauth_client(base, connector, redirect_uri=REDIRECT) as client:
        url, _ = client.create_authorization_url(f"{base}/oauth/authorize", consent_id=consent_id)
        with httpx.Client(timeout=30, follow_redirects=False) as browser:
            signed_in = Form(browser.get(url).text).submit(browser, base, fill={"login_id": customer, "password": PASSWORD})
            answer = Form(signed_in.text).submit(browser, base, button="approve")
        assert "code" in parse_qs(urlparse(answer.headers["location"]).query), answer.headers["location"]
        return client.fetch_token(authorization_response=answer.headers["location"])["access_token"]


def bearer(token: dict) -> dict:
    return {"Authorization": f"Bearer {token['access_token']}"}


def challenge(verifier: str) -> str:
    return create_s256_code_challenge(verifier)
