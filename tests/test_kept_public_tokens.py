"""A resource's public token beside its id (tests/published_specs/public-token-beside-id/): an order's `token`,
which a payment page is opened with (Revolut's merchant orders), is the order's own, as its id is. Every order
made had answered the example's one token, so a checkout opened for the second order paid the first."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "public-token-beside-id",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "public-token-beside-id")


def test_each_order_has_a_token_of_its_own_and_keeps_it(client):
    made = [client.post("/orders", json={"amount": amount}) for amount in (100, 200, 300)]
    assert all(answer.status_code == 201 for answer in made), [answer.text for answer in made]
    orders = [answer.json() for answer in made]
    assert len({order["token"] for order in orders}) == 3, orders
    assert len({order["id"] for order in orders}) == 3, orders
    for order in orders:
        assert client.get(f"/orders/{order['id']}").json()["token"] == order["token"]


def test_the_same_key_still_answers_the_same_token(client):
    headers = {"Idempotency-Key": "token-1"}
    first = client.post("/orders", json={"amount": 1}, headers=headers).json()["token"]
    again = client.post("/orders", json={"amount": 1}, headers=headers).json()["token"]
    assert first == again
