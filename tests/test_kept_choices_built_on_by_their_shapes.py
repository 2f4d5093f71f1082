"""A choice of shapes whose every shape is built on the choice itself by `allOf`
(tests/published_specs/choices-built-on-by-their-shapes/).

Brex's payments API writes its subtypes so (`PaymentAccountDetails: {oneOf: [ACHDetailsRequest, ...]}`,
`ACHDetailsRequest: {allOf: [PaymentAccountDetails, {...}]}`): read literally, each shape holds the choice
again, and checking a vendor's payment details followed it without end, a 500 for every vendor made.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from oauth_flows import self_use_token

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "choices-built-on-by-their-shapes",)}

BANK = {"kind": "BANK", "sort_code": "040004", "number": "12345678"}


@pytest.fixture(scope="module")
def client(live, admin):
    yield from bank_client(live, "choices-built-on-by-their-shapes", self_use_token(live.url, admin))


def test_a_body_in_one_of_the_shapes_is_taken_kept_and_read_back(client):
    made = client.post("/payees", json={"name": "Acme", "instruments": [{"details": BANK}]},
                       headers={"Idempotency-Key": "payee-1"})
    assert made.status_code == 200, made.text
    assert made.json()["instruments"] == [{"details": BANK}], made.json()
    read = client.get(f"/payees/{made.json()['id']}")
    assert read.status_code == 200 and read.json()["instruments"] == [{"details": BANK}], read.text
    listed = client.get("/payees", params={"limit": 10})
    assert listed.status_code == 200 and made.json()["id"] in [p["id"] for p in listed.json()["items"]], listed.text


def test_a_body_in_none_of_the_shapes_is_refused(client):
    refused = client.post("/payees", json={"name": "Acme", "instruments": [{"details": {"kind": "BANK"}}]},
                          headers={"Idempotency-Key": "payee-2"})
    assert refused.status_code == 400, refused.text
