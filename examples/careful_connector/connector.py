"""A careful payment connector: pays SANDBOX_AMOUNT yen once, whatever the bank throws at it.

What makes it careful, one habit per readiness check:
- one token, reused until the bank says it expired; renewed once then (token-expiry);
- one Idempotency-Key per payment, sent again on every retry of it (lost-response, idempotency-key);
- waits as long as Retry-After says on 429 and 503, and backs off on other 5xx (rate-limited, maintenance);
- never retries a refusal the bank meant (4xx), and stops at once when its access is suspended
  (business-refusal, suspended);
- asks the bank's beneficiary name inquiry before paying (name-mismatch);
- a payment waiting for the customer's approval is followed by its status, never sent again (approval);
- tokens and secrets travel in headers and bodies only (secrets).

Exit codes: 0 paid, 1 refused by the bank, 2 payee name does not match, 3 waiting for approval,
4 access suspended or refused, 5 gave up after retries.
Speaks two dialects: the hub (canonical API) and 楓銀行 (kaede). As a self-use connector it asks for
client-credentials tokens; as a third party (SANDBOX_CONNECTOR_CLASS=third-party) it sends its customer
to SANDBOX_AUTHORIZE_URL with PKCE, exchanges the code that comes back to SANDBOX_REDIRECT_URI, and
renews with the refresh token, all through Authlib's OAuth 2.0 client.
With SANDBOX_TASK=collect (the `debits` plan) it collects instead, through the hub: it reads the
mandate first and debits only under a live one, once, with one Idempotency-Key kept across retries.
With SANDBOX_SECURITY_PROFILE=fapi2 (the `fapi2` plan) it follows the FAPI 2.0 profile: it
authenticates with `private_key_jwt` (Authlib, the key in SANDBOX_CLIENT_JWK_FILE) instead of its
secret, pushes its authorization request (PAR) with PKCE S256, checks `iss` on the answer, and binds
its tokens to a DPoP key of its own (joserfc): a new proof for every request, retries included.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import sys
import time
import uuid
from urllib.parse import parse_qs, urlencode

import httpx

ENV = os.environ
MAX_ATTEMPTS = 6


class Stop(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


class Bank:
    """HTTP to the bank API with one token, retries that keep the payment's key, and honest stops."""

    def __init__(self):
        self.http = httpx.Client(base_url=ENV["SANDBOX_API_BASE_URL"], timeout=10)
        self.token: str | None = None
        self.fapi = Fapi() if ENV.get("SANDBOX_SECURITY_PROFILE") == "fapi2" else None
        self.consent = Consent(self.fapi) if ENV.get("SANDBOX_CONNECTOR_CLASS") == "third-party" else None
        self.deadline = time.monotonic() + float(ENV.get("SANDBOX_TIMEOUT_S", "60")) - 5

    def fetch_token(self) -> None:
        if self.consent is not None:
            self.token = self.consent.access_token()
            return
        if self.fapi is not None:
            self.token = self.fapi.client_credentials()
            return
        answer = httpx.post(ENV["SANDBOX_TOKEN_URL"], timeout=10,
                            data={"grant_type": "client_credentials", "scope": ENV.get("SANDBOX_SCOPE", "")},
                            auth=(ENV["SANDBOX_CLIENT_ID"], ENV["SANDBOX_CLIENT_SECRET"]))
        if answer.status_code != 200:
            raise Stop(4, f"the token endpoint refused us ({answer.status_code} {answer.text[:200]})")
        self.token = answer.json()["access_token"]

    def call(self, method: str, path: str, *, key: str | None = None, **kwargs) -> httpx.Response:
        renewed = False
        for attempt in range(MAX_ATTEMPTS):
            if self.token is None:
                self.fetch_token()
            headers = {**self.authorization(method, path), **({"Idempotency-Key": key} if key else {})}
            try:
                answer = self.http.request(method, path, headers=headers, **kwargs)
            except httpx.TransportError as error:  # no answer: the same request (same key) again, later
                print(f"{method} {path}: no answer ({error.__class__.__name__}); retrying", flush=True)
                self.wait(2 ** attempt * 0.5)
                continue
            if answer.status_code == 401 and not renewed:
                print("the token expired; asking for a new one", flush=True)
                self.token, renewed = None, True
                continue
            if answer.status_code == 403:
                raise Stop(4, f"the bank refused our access ({answer.text[:200]}); stopping")
            if answer.status_code == 429 or answer.status_code >= 500:
                wait = _retry_after(answer) or 2 ** attempt * 0.5
                print(f"{method} {path}: {answer.status_code}; retrying in {wait} s", flush=True)
                self.wait(wait)
                continue
            return answer
        raise Stop(5, f"{method} {path}: gave up after {MAX_ATTEMPTS} attempts")

    def authorization(self, method: str, path: str) -> dict:
        """The token as its kind asks: a bearer token, or a DPoP-bound one with a proof made for this attempt."""
        if self.fapi is None:
            return {"Authorization": f"Bearer {self.token}"}
        return self.fapi.present(self.token, method, f"{ENV['SANDBOX_API_BASE_URL'].rstrip('/')}{path}")

    def wait(self, seconds: float) -> None:
        if time.monotonic() + seconds > self.deadline:
            raise Stop(5, "out of time")
        time.sleep(seconds + 0.05)


class Fapi:
    """The FAPI 2.0 profile: private_key_jwt with the registered key, and DPoP with a key of our own."""

    def __init__(self):
        from joserfc.jwk import ECKey, import_key

        with open(ENV["SANDBOX_CLIENT_JWK_FILE"], encoding="utf-8") as file:
            self.client_key = import_key(json.load(file))  # its public half is registered with the bank
        self.dpop_key = ECKey.generate_key("P-256")  # proves we hold our tokens; never leaves this process

    def session(self, **kwargs):
        """Authlib's OAuth 2.0 client, authenticating with a client assertion signed by our key."""
        from authlib.integrations.requests_client import OAuth2Session
        from authlib.oauth2.rfc7523 import PrivateKeyJWT

        session = OAuth2Session(ENV["SANDBOX_CLIENT_ID"], self.client_key, token_endpoint_auth_method="private_key_jwt",
                                **kwargs)
        session.register_client_auth_method(PrivateKeyJWT(ENV["SANDBOX_TOKEN_URL"], alg="ES256"))
        return session

    def proof(self, method: str, url: str, access_token: str | None = None) -> str:
        """A DPoP proof for one request (RFC 9449): a new jti every time, `ath` at the bank."""
        from joserfc import jwt

        claims = {"jti": secrets.token_urlsafe(16), "htm": method, "htu": url, "iat": int(time.time())}
        if access_token is not None:
            digest = hashlib.sha256(access_token.encode()).digest()
            claims["ath"] = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": self.dpop_key.as_dict(private=False)}
        return jwt.encode(header, claims, self.dpop_key)

    def token_headers(self) -> dict:
        from authlib.oauth2.client import DEFAULT_HEADERS

        return {**DEFAULT_HEADERS, "DPoP": self.proof("POST", ENV["SANDBOX_TOKEN_URL"])}

    def present(self, access_token: str, method: str, url: str) -> dict:
        return {"Authorization": f"DPoP {access_token}", "DPoP": self.proof(method, url, access_token)}

    def client_credentials(self) -> str:
        from authlib.integrations.base_client import OAuthError

        try:
            return self.session(scope=ENV.get("SANDBOX_SCOPE", "")).fetch_token(
                ENV["SANDBOX_TOKEN_URL"], grant_type="client_credentials", headers=self.token_headers())["access_token"]
        except OAuthError as error:
            raise Stop(4, f"the authorization server refused us ({error.error}); stopping") from None


class Consent:
    """A third party's access for its customer: authorization code with PKCE once, then the refresh token.

    On the FAPI 2.0 profile the authorization request is pushed first (PAR) and the customer's browser
    gets only our client_id and the request_uri; the answer's `iss` must be the sandbox's.
    """

    def __init__(self, fapi: Fapi | None = None):
        from authlib.integrations.requests_client import OAuth2Session

        self.fapi = fapi
        options = {"scope": ENV["SANDBOX_SCOPE"], "redirect_uri": ENV["SANDBOX_REDIRECT_URI"],
                   "code_challenge_method": "S256"}
        self.session = (fapi.session(**options) if fapi is not None
                        else OAuth2Session(ENV["SANDBOX_CLIENT_ID"], ENV["SANDBOX_CLIENT_SECRET"], **options))
        self.tokens: dict | None = None

    def headers(self) -> dict:
        return self.fapi.token_headers() if self.fapi is not None else {}

    def access_token(self) -> str:
        from authlib.common.security import generate_token
        from authlib.integrations.base_client import OAuthError

        try:
            if self.tokens is not None:
                self.tokens = self.session.refresh_token(ENV["SANDBOX_TOKEN_URL"], refresh_token=self.tokens["refresh_token"],
                                                         **({"headers": self.headers()} if self.fapi else {}))
                return self.tokens["access_token"]
            verifier = generate_token(64)
            url, state = self.session.create_authorization_url(ENV["SANDBOX_AUTHORIZE_URL"], code_verifier=verifier)
            if self.fapi is not None:
                url = self.push(url)
            # The customer signs in and consents in their browser; the redirect brings the code back.
            landing = httpx.get(url, follow_redirects=True, timeout=30)
            answer = parse_qs(landing.url.query.decode())
            if landing.status_code != 200 or "code" not in answer:
                raise Stop(4, f"the customer's authorization did not come back with a code ({landing.status_code})")
            if self.fapi is not None and answer.get("iss") != [ENV["SANDBOX_BASE_URL"]]:
                raise Stop(4, f"the authorization answer came from another issuer ({answer.get('iss')}); stopping")
            self.tokens = self.session.fetch_token(ENV["SANDBOX_TOKEN_URL"], authorization_response=str(landing.url),
                                                   code_verifier=verifier, state=state,
                                                   **({"headers": self.headers()} if self.fapi else {}))
        except OAuthError as error:
            raise Stop(4, f"the authorization server refused us ({error.error}); stopping") from None
        return self.tokens["access_token"]

    def push(self, url: str) -> str:
        """PAR (RFC 9126): the request Authlib built goes to the PAR endpoint; the browser gets its request_uri."""
        params = {name: values[0] for name, values in parse_qs(httpx.URL(url).query.decode()).items()}
        pushed = self.session.post(ENV["SANDBOX_PAR_URL"], data=params, auth=self.session.client_auth("private_key_jwt"),
                                   timeout=30)
        if pushed.status_code != 201:
            raise Stop(4, f"the PAR endpoint refused our request ({pushed.status_code} {pushed.text[:200]})")
        query = urlencode({"client_id": ENV["SANDBOX_CLIENT_ID"], "request_uri": pushed.json()["request_uri"]})
        return f"{ENV['SANDBOX_AUTHORIZE_URL']}?{query}"


def _retry_after(answer: httpx.Response) -> float | None:
    value = answer.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None


class Hub:
    """The sandbox's canonical API."""

    def name_matches(self, bank: Bank) -> bool:
        answer = bank.call("POST", "/beneficiary-inquiries", json={**_payee("bank_code", "branch_code", "account_type",
                                                                             "account_number"), "name": _payee_name()})
        return answer.status_code == 200 and answer.json().get("name_matches") is True

    def pay(self, bank: Bank, key: str) -> tuple[httpx.Response, str | None, str | None]:
        answer = bank.call("POST", "/transfers", key=key, json={
            "from_account_id": ENV["SANDBOX_PAYER_ACCOUNT_ID"], "amount": int(ENV["SANDBOX_AMOUNT"]),
            "to": {**_payee("bank_code", "branch_code", "account_type", "account_number"), "name": _payee_name()}})
        body = answer.json() if answer.status_code < 400 else {}
        return answer, body.get("id"), body.get("status")

    def status(self, bank: Bank, reference: str) -> str | None:
        return bank.call("GET", f"/transfers/{reference}").json().get("status")


class Kaede:
    """楓銀行's corporate API: digit-string amounts, applyNo and status codes."""

    STATES = {"1": "executed", "2": "scheduled", "3": "executed", "7": "pending_approval"}

    def name_matches(self, bank: Bank) -> bool:
        answer = bank.call("POST", "/corporation/v1/transfer/beneficiary-inquiry", json={
            "beneficiaryBankCode": ENV["SANDBOX_PAYEE_BANK_CODE"], "beneficiaryBranchCode": ENV["SANDBOX_PAYEE_BRANCH_CODE"],
            "accountTypeCode": ENV["SANDBOX_PAYEE_ACCOUNT_TYPE"], "accountNumber": ENV["SANDBOX_PAYEE_ACCOUNT_NUMBER"],
            "beneficiaryName": _payee_name()})
        return answer.status_code == 200 and answer.json().get("nameMatch") == "1"

    def pay(self, bank: Bank, key: str) -> tuple[httpx.Response, str | None, str | None]:
        answer = bank.call("POST", "/corporation/v1/transfer/request", key=key, json={
            "accountId": ENV["SANDBOX_PAYER_ACCOUNT_ID"],
            "transfers": [{"itemId": "1", "transferAmount": ENV["SANDBOX_AMOUNT"],
                           "beneficiaryBankCode": ENV["SANDBOX_PAYEE_BANK_CODE"],
                           "beneficiaryBranchCode": ENV["SANDBOX_PAYEE_BRANCH_CODE"],
                           "accountTypeCode": ENV["SANDBOX_PAYEE_ACCOUNT_TYPE"],
                           "accountNumber": ENV["SANDBOX_PAYEE_ACCOUNT_NUMBER"], "beneficiaryName": _payee_name()}]})
        body = answer.json() if answer.status_code < 400 else {}
        return answer, body.get("applyNo"), self.STATES.get(body.get("resultCode"))

    def status(self, bank: Bank, reference: str) -> str | None:
        answer = bank.call("GET", "/corporation/v1/transfer/status", params={"applyNo": reference})
        return self.STATES.get(answer.json().get("transferStatus"))


def _payee(*fields: str) -> dict:
    return {name: ENV[f"SANDBOX_PAYEE_{name.upper()}"] for name in fields}


def _payee_name() -> str:
    return ENV["SANDBOX_PAYEE_NAME_KANA"]


DIALECTS = {"hub": Hub, "kaede": Kaede}


def pay() -> int:
    dialect = DIALECTS[ENV["SANDBOX_BANK"]]()
    bank = Bank()
    if not dialect.name_matches(bank):
        print("the payee's name does not match the account: not paying", flush=True)
        return 2
    answer, reference, state = dialect.pay(bank, str(uuid.uuid4()))
    if answer.status_code >= 400:
        print(f"the bank refused the payment: {answer.status_code} {answer.text[:300]}", flush=True)
        return 1
    for _ in range(3):
        if state in ("executed", "scheduled"):
            print(f"paid: {reference} ({state})", flush=True)
            return 0
        bank.wait(1)
        state = dialect.status(bank, reference)
    print(f"payment {reference} is {state}: waiting for the customer's approval", flush=True)
    return 3


def collect() -> int:
    """One instant debit under the mandate, only while the mandate is live (the hub's API)."""
    if ENV["SANDBOX_BANK"] != "hub":
        print("this connector collects through the hub only", flush=True)
        return 5
    bank = Bank()
    mandate = bank.call("GET", f"/mandates/{ENV['SANDBOX_MANDATE_ID']}")
    state = mandate.json().get("status") if mandate.status_code == 200 else mandate.status_code
    if state != "active":
        print(f"the mandate is {state}: not debiting", flush=True)
        return 1
    answer = bank.call("POST", "/debits", key=str(uuid.uuid4()),
                       json={"mandate_id": ENV["SANDBOX_MANDATE_ID"], "amount": int(ENV["SANDBOX_AMOUNT"])})
    if answer.status_code >= 400:
        print(f"the bank refused the debit: {answer.status_code} {answer.text[:300]}", flush=True)
        return 1
    print(f"collected: {answer.json().get('id')} ({answer.json().get('status')})", flush=True)
    return 0 if answer.json().get("status") == "executed" else 5


def main() -> int:
    try:
        return collect() if ENV.get("SANDBOX_TASK") == "collect" else pay()
    except Stop as stop:
        print(stop, flush=True)
        return stop.code


if __name__ == "__main__":
    sys.exit(main())
