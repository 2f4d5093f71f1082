"""A list of a kind read only under its owners, whose page holds its items one object down
(tests/published_specs/embedded-lists-across-owners/: `GET /refunds` answering `{count, _embedded: {refunds}}`,
refunds read at `/payments/{paymentId}/refunds/{refundId}`), lists the ones made under every owner: Mollie's
`GET /v2/refunds` answered its example's one refund, of a payment never made, and none of those made."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "embedded-lists-across-owners",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "embedded-lists-across-owners")


def test_every_owners_refunds_are_listed_together(client):
    payments = [client.post("/payments", json={"amount": amount}).json()["id"] for amount in (100, 200)]
    refunds = [client.post(f"/payments/{payment}/refunds", json={"amount": 10 + at}).json()["id"]
               for at, payment in enumerate(payments)]
    listed = client.get("/refunds")
    assert listed.status_code == 200, listed.text
    items = listed.json()["_embedded"]["refunds"]
    assert sorted(item["id"] for item in items) == sorted(refunds)
    assert {item["paymentId"] for item in items} == set(payments)
