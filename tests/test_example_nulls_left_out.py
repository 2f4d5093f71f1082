"""An example's null for an optional field whose schema takes none (tests/published_specs/example-nulls-left-out/).

Cashfree's `OrderEntity` example writes `terminal_data: null` for an object that is not nullable: the whole
example was replaced by an order generated from the schema (`order_status` drawn, `order_meta` filled with
`payment_methods_filters` of empty card filters), which cashfree-pg 6.0.1 could not parse. Leaving the null
out keeps the author's order.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from oauth_flows import self_use_token

FOLDER = Path(__file__).parent / "published_specs" / "example-nulls-left-out"
LIVE_SERVER = {"specs": (FOLDER,)}


@pytest.fixture(scope="module")
def client(live, admin):
    yield from bank_client(live, "example-nulls-left-out", self_use_token(live.url, admin))


def test_an_answer_keeps_the_example_without_its_null(client):
    made = client.post("/orders", json={"order_amount": 1.5})
    assert made.status_code == 200, made.text
    body = made.json()
    assert body["order_status"] == "ACTIVE" and body["meta"] == {"payment_methods": "cc"}, body
    assert "terminal" not in body and body["order_amount"] == 1.5, body


def test_a_drawn_read_is_the_example_without_its_null(client):
    read = client.get("/orders/order_unknown")
    assert read.status_code == 200, read.text
    assert read.json()["order_status"] == "ACTIVE" and "filters" not in read.json()["meta"], read.text


def test_check_says_so():
    from sandbox.bindings.check import check_folders

    text = repr(check_folders([FOLDER]))
    assert "the nulls it gives optional fields that take none left out" in text, text
