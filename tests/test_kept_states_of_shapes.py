"""A resource read as one of several shapes, each with its own states (tests/published_specs/states-of-shapes/:
`oneOf: [PaymentDetails, PayoutDetails]`): an action named by its noun leaves it in the state its verb names
among those of the shape it is (`captures` -> `Captured`), and one on a payment voided is refused, in the
words of the verb the noun names ("it cannot be captured"). Read at the
top of the `oneOf` only, no state was declared, the captures and voids were accepted and the payment stayed
`Authorized`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "states-of-shapes",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "states-of-shapes")


def _payment(client) -> dict:
    made = client.post("/payments", json={"amount": 1500, "currency": "GBP", "reference": "ORD-1"})
    assert made.status_code == 201
    return made.json()


@pytest.mark.parametrize("action, state", [("captures", "Captured"), ("voids", "Voided")])
def test_an_action_leaves_the_state_of_the_shape_the_resource_is(client, action, state):
    payment = _payment(client)
    assert client.post(f"/payments/{payment['id']}/{action}", json={}).status_code == 202
    read = client.get(f"/payments/{payment['id']}").json()
    assert read["status"] == state and read["amount"] == 1500 and read["reference"] == "ORD-1"


def test_a_capture_of_a_voided_payment_is_refused(client):
    payment = _payment(client)
    client.post(f"/payments/{payment['id']}/voids", json={})
    refused = client.post(f"/payments/{payment['id']}/captures", json={})
    assert refused.status_code == 422
    assert "cannot be captured" in refused.text and "capturesed" not in refused.text
    assert client.get(f"/payments/{payment['id']}").json()["status"] == "Voided"
