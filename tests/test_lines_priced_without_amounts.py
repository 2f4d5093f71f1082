"""Lines that say how many at what price and no amount of their own (tests/published_specs/lines-priced-without-amounts/):
the document holding them, with no total, answers and reads back their sum in its amount, the lines as a list or
as a page of them. Drawn, Conekta's order of one line of 20000 cents was answered and kept `amount: 1560`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from sandbox.bindings.totals import added_up

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



def test_a_key_named_by_nothing_is_not_a_lines_price():
    # A fuzzer's line {"": 5, "Quantity": 2} sent to Xero's purchase orders: the empty key was read as the missing
    # price's, and the line's product then looked for a price that was not there (a 500).
    unpriced = {"currency": "MXN", "line_items": [{"name": "Tamal", "quantity": 3, "": 2500}]}
    answer = {**unpriced, "amount": 1}
    assert added_up(answer, unpriced, lambda _: True, made=True) == answer
    priced = {"currency": "MXN", "line_items": [{**LINES[0], "": 7}, LINES[1]]}
    assert added_up({**priced, "amount": 1}, priced, lambda _: True, made=True)["amount"] == 9300
