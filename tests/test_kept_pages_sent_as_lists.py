"""Items sent as a bare list and answered as a page of them (tests/published_specs/pages-sent-as-lists/): an order
made with `lines` and `charges` lists answers and reads back each as its page (`object`, `has_more`, `data`), the
items sent in its `data`. The pages are `allOf`s naming no `type`, which a bare list fits as JSON Schema reads them:
Conekta's order was answered with `charges` as the list sent, and its generated SDK refused every order answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "pages-sent-as-lists",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "pages-sent-as-lists")


def _page(page) -> list:
    assert isinstance(page, dict) and page["object"] == "list" and isinstance(page["has_more"], bool), page
    return page["data"]


def test_items_sent_as_a_list_are_answered_and_read_back_as_a_page_of_them(client):
    sent = {"currency": "MXN", "lines": [{"name": "Tamal", "quantity": 3, "unit_price": 2500},
                                         {"name": "Atole", "quantity": 1, "unit_price": 1800}],
            "charges": [{"amount": 9300, "method": "spei"}]}
    made = client.post("/orders", json=sent)
    assert made.status_code == 200, made.text
    for order in (made.json(), client.get(f"/orders/{made.json()['id']}").json()):
        lines = _page(order["lines"])
        assert [(line["name"], line["quantity"], line["unit_price"]) for line in lines] == \
            [("Tamal", 3, 2500), ("Atole", 1, 1800)]
        charges = _page(order["charges"])
        assert [(charge["amount"], charge["method"]) for charge in charges] == [(9300, "spei")]
