"""The customer's part in a check: what it did before (a payee paid once, a mandate signed) and its consent.

Before a check the customer's own history is prepared through the hub, by a short-lived self-use
connector of the company: a payee it paid before, or the mandate (口座振替契約) a collector debits under.

A third-party connector pays for a customer who has approved it (authorization code with PKCE). At a
readiness run nobody sits at the browser, so this plays the customer's part against the sandbox's real
authorization endpoint: it opens the authorization request the connector built, signs in as the
plan's customer with the documented test password, ticks the paying account and every scope asked
for, and approves. What the connector gets back is exactly what a browser would have been sent: the
redirect to its redirect URI with `code` and `state`, or the authorization server's own refusal.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from html.parser import HTMLParser

import httpx

from ..domain.errors import SandboxError
from ..governance import test_users
from . import tls

HUB = "hub"  # the sandbox's canonical API, served for every sandbox bank


def pay_before(control, workspace: str, payer: dict, payee: dict, amount: int) -> None:
    """Make the payee one the customer has paid before: one transfer through the company's own connector.

    A bank's risk policy holds a third party's first payment to a new payee for the customer's
    approval; that hold is what the `approval` check is about, so every other check starts from a
    payee the customer already knows, paid once through the hub by a self-use connector of its own.
    """
    with _hub(control, workspace, payer["customer_id"]) as (http, base):
        answer = http.post(f"{base}/transfers", headers={"Idempotency-Key": str(uuid.uuid4())}, json={
            "from_account_id": payer["id"], "amount": amount, "to": {
                "bank_code": payee["bank_code"], "branch_code": payee["branch_code"],
                "account_type": payee["account_type"], "account_number": payee["account_number"],
                "name": payee["holder_kana"]}})
    if answer.status_code != 201 or answer.json().get("status") != "executed":
        raise SandboxError("invalid_request", f"the payment that makes the payee known did not execute: "
                                              f"{answer.status_code} {answer.text[:300]}")


def sign_mandate(control, workspace: str, payer: dict, collector: dict, state: str = "active",
                 plan: str | None = None) -> str:
    """The mandate (口座振替契約) a collect check debits under, registered through the hub; revoked on request.

    It is registered by a connector of the collecting company on `plan` (one that includes debits).
    """
    with _hub(control, workspace, collector["customer_id"], plan) as (http, base):
        answer = http.post(f"{base}/mandates", json={"payer_account_id": payer["id"],
                                                     "collector_account_id": collector["id"]})
        if answer.status_code != 201:
            raise SandboxError("invalid_request", f"the mandate could not be registered: "
                                                  f"{answer.status_code} {answer.text[:300]}")
        mandate = answer.json()["id"]
        if state == "revoked":
            http.post(f"{base}/mandates/{mandate}/revoke").raise_for_status()
    return mandate


@contextmanager
def _hub(control, workspace: str, customer_id: str, plan: str | None = None):
    """An HTTP client with a token of a short-lived self-use connector of the company, and the hub's base URL."""
    hub = next((api for api in control.apis() if api["slug"] == HUB), None)
    if hub is None:
        raise SandboxError("not_found", "this needs the hub API, to prepare the check's accounts")
    base = f"{control.base_url}{hub['base']}"
    own = control.create_connector(workspace, name="readiness preparation", customer_id=customer_id,
                                   **{"class": "self-use"}, **({"plan": plan} if plan else {}))
    try:
        with httpx.Client(timeout=30, verify=tls.context()) as http:
            token = http.post(f"{control.base_url}/oauth/token", auth=(own["client_id"], own["client_secret"]),
                              data={"grant_type": "client_credentials",
                                    "scope": " ".join(control.scopes(base))}).json().get("access_token")
            http.headers["Authorization"] = f"Bearer {token}"
            yield http, base
    finally:
        control.delete_connector(own["id"])


class Customer:
    def __init__(self, authorize_url: str, customer_id: str, accounts: list[str]):
        self.authorize_url = authorize_url
        self.customer_id = customer_id
        self.accounts = accounts

    def authorize(self, query: str) -> httpx.Response:
        """Take one authorization request (its query string) through sign-in and consent; the last answer."""
        url = f"{self.authorize_url}?{query}"
        with httpx.Client(timeout=30, follow_redirects=False, verify=tls.context()) as browser:
            page = browser.get(url)
            if page.status_code != 200:  # refused before any sign-in: the connector sees the refusal
                return page
            consent = browser.post(url, data={"step": "sign_in", "login_id": self.customer_id,
                                              "password": test_users.PASSWORD})
            if consent.status_code != 200:
                return consent
            form = _Form.read(consent.text)
            return browser.post(url, data={
                "step": "consent", "ticket": form.value("ticket"), "decision": "approve",
                "accounts": [a for a in self.accounts if a in form.values("accounts")],
                "scopes": form.values("scopes")})


class _Form(HTMLParser):
    """The inputs of the consent page (name -> values), as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.inputs: list[tuple[str, str]] = []

    @classmethod
    def read(cls, page: str) -> _Form:
        form = cls()
        form.feed(page)
        return form

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            attributes = dict(attrs)
            if attributes.get("name"):
                self.inputs.append((attributes["name"], attributes.get("value") or ""))

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.inputs if key == name]

    def value(self, name: str) -> str:
        return next(iter(self.values(name)), "")
