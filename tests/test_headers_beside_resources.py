"""A header object of the API's own beside a resource's fields is no envelope of the resource
(tests/published_specs/headers-beside-resources/: `requestHeader` sent, `responseHeader` answered). What was sent
to make the resource was read as held in the answer's header, and its read answered drawn values: PolishAPI's
payment made with `tppTransactionId` tpp-1 was read back by `getPayment` with another, drawn."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "headers-beside-resources",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "headers-beside-resources")


def test_an_order_is_read_back_as_sent_beside_its_header(client):
    made = client.post("/orders", json={"requestHeader": {"requestId": "r-1"}, "orderRef": "ord-2291", "quantity": 4})
    assert made.status_code == 201, made.text
    read = client.get(f"/orders/{made.json()['orderId']}").json()
    assert (read["orderRef"], read["quantity"]) == ("ord-2291", 4), read
    assert "orderRef" not in read["responseHeader"], read
