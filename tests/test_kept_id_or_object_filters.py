"""A list filtered by a field its items hold as an id or the object it names leaves out those holding none
(tests/published_specs/id-or-object-filters): Stripe's `PaymentIntent.list(customer=...)` listed a payment
intent made for no customer beside the customer's own, the field (`anyOf [string, customer]`) not being counted
among those a filter asks a value of."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "id-or-object-filters",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "id-or-object-filters")


def test_a_filter_by_an_expandable_field_leaves_out_those_without_it(client):
    customer = client.post("/customers", json={"name": "Ada"}).json()["id"]
    theirs = [client.post("/orders", json={"kilos": k, "customer": customer}).json()["id"] for k in (3, 5)]
    client.post("/orders", json={"kilos": 7})
    listed = client.get("/orders", params={"customer": customer})
    assert listed.status_code == 200, listed.text
    assert sorted(o["id"] for o in listed.json()["data"]) == sorted(theirs)
    assert len(client.get("/orders").json()["data"]) == 3
