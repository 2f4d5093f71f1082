"""Lines that say how many at what price and no amount of their own (tests/published_specs/lines-priced-without-amounts/):
the document holding them, with no total, answers and reads back their sum in its amount, the lines as a list or
as a page of them. Drawn, Conekta's order of one line of 20000 cents was answered and kept `amount: 1560`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "lines-priced-without-amounts",)}

LINES = [{"name": "Tamal", "quantity": 3, "unit_price": 2500}, {"name": "Atole", "quantity": 1, "unit_price": 1800}]


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "lines-priced-without-amounts")


def test_an_order_of_priced_lines_comes_to_their_sum(client):
    made = client.post("/orders", json={"currency": "MXN", "line_items": LINES})
    assert made.status_code == 200, made.text
    assert made.json()["amount"] == 9300
    assert client.get(f"/orders/{made.json()['id']}").json()["amount"] == 9300


def test_a_cart_of_priced_items_answered_as_a_page_comes_to_their_sum(client):
    made = client.post("/carts", json={"items": LINES})
    assert made.status_code == 200, made.text
    assert [item["quantity"] for item in made.json()["items"]["data"]] == [3, 1]
    assert made.json()["amount"] == 9300
    assert client.get(f"/carts/{made.json()['id']}").json()["amount"] == 9300
