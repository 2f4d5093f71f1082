"""A bearer token its connector signs itself (tests/published_specs/client-signed-bearer/): Enable Banking's
clients sign each call's JWT with their application's private key (`kid`: the application id, RS256), and no
call of its SDK could be made, the sandbox taking only the access tokens it issues."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from live_server import bank_client
from oauth_flows import create_connector

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "client-signed-bearer",), "open_access": False}


@pytest.fixture(scope="module")
def signer(admin):
    key = RSAKey.generate_key(2048)
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
    company = next(a["customer_id"] for a in accounts["accounts"] if a["customer_kind"] == "corporate")
    connector = create_connector(admin, **{"class": "self-use", "customer_id": company,
                                           "jwks": {"keys": [key.as_dict(private=False)]}})
    return connector["client_id"], key


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "client-signed-bearer")


def _signed(kid: str, key, seconds: int = 600, **claims) -> dict:
    now = int(time.time())
    token = jwt.encode({"alg": "RS256", "typ": "JWT", "kid": kid},
                       {"iss": "bank.example", "aud": "api.bank.example", "iat": now, "exp": now + seconds, **claims}, key)
    return {"Authorization": f"Bearer {token}"}


def test_a_jwt_the_connector_signed_with_its_registered_key_is_its_call(client, signer):
    client_id, key = signer
    answer = client.get("/application", headers=_signed(client_id, key))
    assert answer.status_code == 200, answer.text
    # a day's lifetime, the longest such a token may have, still calls
    assert client.get("/application", headers=_signed(client_id, key, seconds=86_400)).status_code == 200


@pytest.mark.parametrize("case", ["expired", "another key", "unknown kid", "not signed", "lives a year",
                                  "issued in the future", "not valid yet", "no expiry"])
def test_a_jwt_that_does_not_verify_is_the_spec_401(client, signer, case):
    client_id, key = signer
    now = int(time.time())
    headers = {"expired": lambda: _signed(client_id, key, seconds=-5),
               "another key": lambda: _signed(client_id, RSAKey.generate_key(2048)),
               "unknown kid": lambda: _signed("no-such-client", key),
               "not signed": lambda: {"Authorization": "Bearer eyJhbGciOiJub25lIn0.e30."},
               "lives a year": lambda: _signed(client_id, key, seconds=365 * 86_400),
               "issued in the future": lambda: _signed(client_id, key, iat=now + 3_600, exp=now + 7_200),
               "not valid yet": lambda: _signed(client_id, key, nbf=now + 3_600),
               "no expiry": lambda: _signed(client_id, key, exp="never")}[case]()
    answer = client.get("/application", headers=headers)
    assert answer.status_code == 401, answer.text
    assert set(answer.json()) >= {"code", "message", "error"}, answer.text


def test_a_jwt_of_a_connector_that_registered_no_keys_is_the_spec_401_saying_so(client, admin):
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
    company = next(a["customer_id"] for a in accounts["accounts"] if a["customer_kind"] == "corporate")
    keyless = create_connector(admin, **{"class": "self-use", "customer_id": company})
    answer = client.get("/application", headers=_signed(keyless["client_id"], RSAKey.generate_key(2048)))
    assert answer.status_code == 401, answer.text
    assert "registered no public keys" in answer.text, answer.text
