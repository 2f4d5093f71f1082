"""A refund of more than its charge received is refused, in the API's own error form, and makes nothing
(tests/published_specs/refunds-beyond-received/): PAY.JP's refund of 5000, made by POST /v2/payment_refunds
naming a payment flow of 1000, and one of 100 naming a flow held for its capture (nothing received), were made
200; a refund within what was received is still made. A collection named for what it refunds (`payment_refunds`)
makes refunds as `/refunds` does: succeeded at once, and checked against what its charge received (PAY.JP's
stayed `pending`, and were never checked against their payment flow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "refunds-beyond-received",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "refunds-beyond-received")


def test_a_refund_of_more_than_was_received_is_refused(client):
    paid = client.post("/charges", json={"amount": 1000, "capture_method": "automatic"}).json()
    assert paid["amount_received"] == 1000 and paid["status"] == "succeeded", paid
    refused = client.post("/charge_refunds", json={"charge_id": paid["id"], "amount": 5000})
    assert refused.status_code == 400, refused.text
    assert "amount" in refused.text
    held = client.post("/charges", json={"amount": 1000, "capture_method": "manual"}).json()
    assert held["status"] == "requires_capture", held
    assert client.post("/charge_refunds", json={"charge_id": held["id"], "amount": 100}).status_code == 400
    made = client.post("/charge_refunds", json={"charge_id": paid["id"], "amount": 1000})
    assert made.status_code == 200 and made.json()["amount"] == 1000, made.text


def test_a_refund_made_in_a_collection_named_for_what_it_refunds_succeeds(client):
    paid = client.post("/charges", json={"amount": 800, "capture_method": "automatic"}).json()
    made = client.post("/charge_refunds", json={"charge_id": paid["id"], "amount": 300}).json()
    assert made["status"] == "succeeded", made
    assert client.get(f"/charge_refunds/{made['id']}").json()["status"] == "succeeded"
