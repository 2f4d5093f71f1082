"""A creation naming a kept resource by an id-or-object field takes its currency, and its amount where it sends
none (tests/published_specs/money-of-named-resource): Stripe's SDK refunded a payment intent of 10.00 EUR with
`Refund.create(payment_intent=...)` and was answered a refund in JPY, and a whole charge of 2000 refunded by
`Refund.create(charge=...)` was answered a drawn 390."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "money-of-named-resource",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "money-of-named-resource")


def test_a_refund_is_in_its_charges_money(client):
    charge = client.post("/charges", json={"amount": 2000, "currency": "eur"}).json()["id"]
    whole = client.post("/refunds", json={"charge": charge})
    assert whole.status_code == 200, whole.text
    assert (whole.json()["amount"], whole.json()["currency"], whole.json()["charge"]) == (2000, "eur", charge)
    part = client.post("/refunds", json={"charge": charge, "amount": 500}).json()
    assert (part["amount"], part["currency"]) == (500, "eur")
    assert client.get(f"/refunds/{part['id']}").json()["currency"] == "eur"
