"""Signed bodies (`application/jwt`), as Brazil's open finance sends its requests and answers, over HTTP
(tests/published_specs/signed-bodies, open access).

Each test failed on the code before: an answer was JSON text labelled `application/jwt`, which a client
that decodes the JWS before it reads it cannot take; a request body was passed unchecked, so `not-a-jws`
and a payload that breaks the schema were both created; and the answer did not carry what the payload
sent.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import pytest
from authlib.integrations.base_client.errors import OAuthError

from oauth_flows import client_credentials, create_connector, third_party_token

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (SPECS / "signed-bodies",)}
BASE = "/banks/signed-bodies"
JWT = {"Content-Type": "application/jwt", "Accept": "application/jwt"}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed(payload) -> str:
    header = {"alg": "PS256", "kid": "client-key", "typ": "JWT"}
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}.{b64(b'signature')}"


def opened(token: str) -> dict:
    header, payload, signature = token.split(".")
    assert json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["alg"] == "PS256"
    assert signature
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


CONSENT = {"data": {"loggedUser": {"document": {"identification": "11111111111", "rel": "CPF"}},
                    "payment": {"amount": "100.12", "currency": "BRL"}}}


@pytest.fixture(scope="module")
def client(live):
    with httpx.Client(base_url=live.url + BASE, timeout=30, headers=JWT) as client:
        yield client


def test_a_signed_request_is_answered_with_a_signed_answer_about_what_it_sent(client):
    created = client.post("/consents", content=signed(CONSENT))
    assert created.status_code == 201, created.text
    assert created.headers["content-type"].startswith("application/jwt")
    data = opened(created.text)["data"]
    assert data["payment"] == {"amount": "100.12", "currency": "BRL"}, data
    assert data["status"] in ("AWAITING_AUTHORISATION", "AUTHORISED", "REJECTED", "CONSUMED")
    found = client.get(f"/consents/{data['consentId']}")
    assert found.status_code == 200 and opened(found.text)["data"]["consentId"] == data["consentId"]


@pytest.mark.parametrize("body", [
    "not-a-jws",
    json.dumps(CONSENT),  # JSON itself, unsigned
    signed({"data": {"loggedUser": {"document": {"identification": "123", "rel": "CPF"}},
                     "payment": {"amount": "100.12", "currency": "BRL"}}}),  # a payload that breaks its schema
], ids=["not-a-jws", "plain-json", "bad-payload"])
def test_a_signed_request_that_is_not_a_jws_or_breaks_its_schema_is_refused_signed(client, body):
    refused = client.post("/consents", content=body)
    assert refused.status_code == 422, refused.text  # the operation declares its refusals as 422, no 400
    errors = opened(refused.text)["errors"]
    assert errors[0]["code"] in ("PARAMETRO_INVALIDO", "PARAMETRO_NAO_INFORMADO", "NAO_INFORMADO"), errors


def test_a_scope_that_names_a_consent_is_granted_and_checked_by_its_parameter(live, admin):
    connector = create_connector(admin, **{"class": "third-party", "plan": "premium"})
    unbound = client_credentials(live.url, connector, scope="payments")
    made = httpx.post(f"{live.url}{BASE}/consents", content=signed(CONSENT), timeout=30,
                      headers={**JWT, "Authorization": f"Bearer {unbound['access_token']}"})
    consent_id = opened(made.text)["data"]["consentId"]
    bound = client_credentials(live.url, connector, scope=f"payments consent:{consent_id}")
    assert bound["scope"] == f"payments consent:{consent_id}", bound
    url = f"{live.url}{BASE}/consents/{consent_id}"
    assert httpx.get(url, headers={"Authorization": f"Bearer {bound['access_token']}"}, timeout=30).status_code == 200
    refused = httpx.get(url, headers={"Authorization": f"Bearer {unbound['access_token']}"}, timeout=30)
    assert refused.status_code == 403, refused.text
    with pytest.raises(OAuthError, match="invalid_scope"):
        client_credentials(live.url, connector, scope="other:thing")


def test_a_resource_made_by_a_signed_request_is_kept_and_read_back_signed(client):
    """What a signed creation made is kept as any JSON creation's is: made now, read back as made. Its answer was a
    JWS before it could be kept, so nothing was: the consent read back was another, drawn (Brazil's payment consents
    and Pix payments, each made at the example's 2021 moment and never found again)."""
    made = opened(client.post("/consents", content=signed(CONSENT)).text)["data"]
    read = client.get(f"/consents/{made['consentId']}")
    assert read.status_code == 200 and read.headers["content-type"].startswith("application/jwt"), read.text
    assert opened(read.text)["data"] == made


def test_a_signed_consent_named_at_authorization_is_authorised(live, admin, client):
    """The state of a resource answered signed is read from its schema as a JSON answer's is: Brazil's payment
    consent, named by the customer's authorization, had stayed AWAITING_AUTHORISATION (its read's schema,
    under `application/jwt`, was not looked at)."""
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 5}).json()["accounts"]
    connector = create_connector(admin, **{"class": "third-party", "plan": "premium"})
    own = client_credentials(live.url, connector, scope="payments")["access_token"]
    headers = {**JWT, "Authorization": f"Bearer {own}"}
    made = httpx.post(f"{live.url}{BASE}/consents", content=signed(CONSENT), timeout=30, headers=headers)
    consent_id = opened(made.text)["data"]["consentId"]
    token = third_party_token(live.url, connector, accounts[0]["customer_id"], f"payments consent:{consent_id}")
    read = httpx.get(f"{live.url}{BASE}/consents/{consent_id}", timeout=30,
                     headers={**JWT, "Authorization": f"Bearer {token['access_token']}"})
    assert opened(read.text)["data"]["status"] == "AUTHORISED", read.text
