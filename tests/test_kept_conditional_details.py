"""An answer's object said to be there only on a condition (tests/published_specs/conditional-details) is not
drawn for a payment whose request named no such condition: made without asking for the Swiftpay network, the
payment was made and read with the example's `swiftpayDetails`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "conditional-details",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "conditional-details")


def test_an_object_present_on_a_condition_never_asked_for_is_left_out(client):
    made = client.post("/payments", json={"amount": 1200, "channel": "standard"})
    assert made.status_code == 201, made.text
    assert "swiftpayDetails" not in made.json(), made.json()
    read = client.get(f"/payments/{made.json()['id']}")
    assert read.status_code == 200, read.text
    assert "swiftpayDetails" not in read.json(), read.json()


def test_an_object_present_on_a_condition_the_request_named_may_be_answered(client):
    made = client.post("/payments", json={"amount": 1200, "channel": "swift-pay"})
    assert made.status_code == 201, made.text
    read = client.get(f"/payments/{made.json()['id']}").json()
    assert read["channel"] == "swift-pay"
    assert "swiftpayDetails" in made.json() or "swiftpayDetails" in read, (made.json(), read)
