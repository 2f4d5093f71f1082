"""A signed body (`application/jwt`, Open Finance Brasil's) sent again under its idempotency key is the same
request: the client signs it anew, with another `iat` and `jti`, and the same claims. The sandbox refused
such a retry as an idempotency conflict (tests/published_specs/signed-replay/)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "signed-replay",)}


def _signed(payload: dict) -> str:
    part = lambda data: base64.urlsafe_b64encode(data).rstrip(b"=").decode()  # noqa: E731
    header = json.dumps({"alg": "PS256"}).encode()
    return ".".join((part(header), part(json.dumps(payload).encode()), part(b"signature")))


def _claims(answer: httpx.Response) -> dict:
    middle = answer.text.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(middle + "=" * (-len(middle) % 4)))


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "signed-replay")


def post(client, key: str, **payload):
    return client.post("/orders", content=_signed(payload), headers={"x-idempotency-key": key, "content-type": "application/jwt"})


def test_a_signed_body_signed_again_under_its_key_is_the_same_request(client):
    first = post(client, "replay-1", data={"amount": "1.00"}, iat=1, jti="a")
    again = post(client, "replay-1", data={"amount": "1.00"}, iat=2, jti="b")
    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert _claims(first)["data"]["orderId"] == _claims(again)["data"]["orderId"]


def test_other_claims_under_the_same_key_are_still_refused(client):
    assert post(client, "replay-2", data={"amount": "1.00"}, iat=1, jti="a").status_code == 201
    changed = post(client, "replay-2", data={"amount": "2.00"}, iat=2, jti="b")
    assert changed.status_code == 422, changed.text
