"""What a payment says may still be captured and was received follows its hold and its capture
(tests/published_specs/held-payment-amounts/): held, all of it may be captured and none was received; captured in
part, nothing more may be and what was captured was received, also read back; and a refund made in a collection of
its own succeeds at once, as one made by an action does. Stripe's payment intent made with
`capture_method=manual` answered the draw's `amount_capturable: 776` and `amount_received: 437` before and after
its capture for 1500 of 2000, and its refunds stayed `pending`, where its test mode answers a card's refund
`succeeded`. A capture of more than is capturable is refused, the payment left held: PAY.JP's payment flow of 2000
was captured for 3000 and read `succeeded` with 3000 received."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "held-payment-amounts",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "held-payment-amounts")


def _amounts(intent: dict) -> tuple:
    return intent["status"], intent["amount_capturable"], intent["amount_received"]


def test_a_held_payment_may_be_captured_in_full_and_received_nothing(client):
    held = client.post("/intents", data={"amount": "2000", "capture_method": "manual", "confirm": "true"}).json()
    assert _amounts(held) == ("requires_capture", 2000, 0)
    assert _amounts(client.get(f"/intents/{held['id']}").json()) == ("requires_capture", 2000, 0)


def test_a_capture_in_part_leaves_nothing_capturable_and_its_amount_received(client):
    held = client.post("/intents", data={"amount": "2000", "capture_method": "manual", "confirm": "true"}).json()
    captured = client.post(f"/intents/{held['id']}/capture", data={"amount_to_capture": "1500"}).json()
    assert _amounts(captured) == ("succeeded", 0, 1500)
    assert _amounts(client.get(f"/intents/{held['id']}").json()) == ("succeeded", 0, 1500)
    whole = client.post("/intents", data={"amount": "2000", "capture_method": "manual", "confirm": "true"}).json()
    assert _amounts(client.post(f"/intents/{whole['id']}/capture").json()) == ("succeeded", 0, 2000)


def test_a_payment_confirmed_at_once_received_all_of_it(client):
    paid = client.post("/intents", data={"amount": "2000", "confirm": "true"}).json()
    assert _amounts(paid) == ("succeeded", 0, 2000)


def test_a_refund_made_in_its_own_collection_succeeds(client):
    paid = client.post("/intents", data={"amount": "2000", "confirm": "true"}).json()
    refund = client.post("/refunds", data={"intent": paid["id"], "amount": "500"}).json()
    assert refund["status"] == "succeeded", refund
    assert client.get(f"/refunds/{refund['id']}").json()["status"] == "succeeded"


def test_a_capture_of_more_than_is_capturable_is_refused_and_leaves_it_held(client):
    held = client.post("/intents", data={"amount": "2000", "capture_method": "manual", "confirm": "true"}).json()
    refused = client.post(f"/intents/{held['id']}/capture", data={"amount_to_capture": "3000"})
    assert refused.status_code == 400, refused.text
    assert "amount_to_capture" in refused.text
    assert _amounts(client.get(f"/intents/{held['id']}").json()) == ("requires_capture", 2000, 0)
    assert _amounts(client.post(f"/intents/{held['id']}/capture", data={"amount_to_capture": "2000"}).json()) \
        == ("succeeded", 0, 2000)
