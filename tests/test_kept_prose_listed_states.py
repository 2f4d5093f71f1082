"""A resource made whose state is free text starts in the first state its description lists in code spans
(tests/published_specs/prose-listed-states/): a return is made, and read back, `pending`. Stripe's refund, whose
`status` "can be `pending`, `requires_action`, `succeeded`, `failed`, or `canceled`", was made `sample`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "prose-listed-states",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "prose-listed-states")


def test_a_return_made_is_in_the_first_state_its_prose_lists(client):
    made = client.post("/returns", data={"amount": "300"}).json()
    assert made["status"] == "pending", made
    assert client.get(f"/returns/{made['id']}").json()["status"] == "pending"
