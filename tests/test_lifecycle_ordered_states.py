"""A resource whose states are listed in the order of its life, opening with a beginning
(tests/published_specs/lifecycle-ordered-states/: `open, pending, authorized, paid, ...`), is made in the first:
Mollie's payments were made, and read back, `pending` (a payment under way), where its examples and its SDK's
`is_open()` expect `open`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "lifecycle-ordered-states",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "lifecycle-ordered-states")


def test_a_payment_is_made_in_the_state_its_life_opens_with(client):
    made = client.post("/payments", json={"amount": 10})
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "open"
    assert client.get(f"/payments/{made.json()['id']}").json()["status"] == "open"
