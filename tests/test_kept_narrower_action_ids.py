"""A resource made gets an id its actions take, not only its read (tests/published_specs/narrower-action-ids):
Checkout.com's payment read takes `pay_` or `sid_` ids, its capture, refund, void and actions only `pay_`, and
most payments made were given a `sid_` id, so the SDK's capture of a payment it had just made was refused 422
by the path's own pattern."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "narrower-action-ids",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "narrower-action-ids")


def test_every_order_made_can_be_voided(client):
    for amount in range(100, 112):
        made = client.post("/orders", json={"amount": amount})
        assert made.status_code == 201, made.text
        order = made.json()["id"]
        assert order.startswith("ord_"), order
        assert client.get(f"/orders/{order}").json()["amount"] == amount
        voided = client.post(f"/orders/{order}/voids")
        assert voided.status_code == 202, voided.text
