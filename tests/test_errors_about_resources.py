"""An error that may describe the resource it is about, and a resource that may hold its last error
(tests/published_specs/errors-about-resources/): a payment whose drawn error holds a payment is made, not a 500."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "errors-about-resources",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "errors-about-resources")


def test_a_payment_holding_an_error_about_a_payment_is_made(client):
    made = client.post("/payments", data={"amount": "100"})
    assert made.status_code == 200, made.text
    assert client.get(f"/payments/{made.json()['id']}").json()["amount"] == 100
