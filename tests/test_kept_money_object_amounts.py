"""An amount sent as a bare number is the value of the money object its answer holds under the same name
(tests/published_specs/money-object-amounts/): Moov's refund of 1000 of a transfer, sent `{"amount": 1000}`, was
answered and listed with the example's `amount: {currency: USD, value: 1204}`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "money-object-amounts",)}

ORDER = "3f2c7a52-4b8e-4f57-9a55-0c1d2e3f4a5b"


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "money-object-amounts")


def test_a_number_sent_is_the_value_of_the_money_answered(client):
    made = client.post(f"/orders/{ORDER}/refunds", json={"amount": 1000})
    assert made.status_code == 200, made.text
    assert made.json()["amount"]["value"] == 1000, made.json()
    assert isinstance(made.json()["amount"]["currency"], str)
    listed = client.get(f"/orders/{ORDER}/refunds").json()
    assert [refund["amount"]["value"] for refund in listed] == [1000], listed
    read = client.get(f"/orders/{ORDER}/refunds/{made.json()['refundID']}").json()
    assert read["amount"]["value"] == 1000, read
