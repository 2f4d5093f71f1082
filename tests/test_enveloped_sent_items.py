"""A creation sent bare and answered in a `data` envelope (tests/published_specs/enveloped-sent-items/): the ids
the client gave the items of its lists are answered as sent, not drawn anew."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "enveloped-sent-items",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "enveloped-sent-items")


def test_the_ids_of_items_sent_bare_are_answered_as_sent_in_the_envelope(client):
    sent = {"aisle": "low", "crates": [{"id": "c-apple", "weight": 4}, {"id": "c-pear", "weight": 5}]}
    answer = client.post("/shelves/s1/crates", json=sent)
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    assert data["aisle"] == "low", data
    assert [(crate["id"], crate["weight"]) for crate in data["crates"]] == [("c-apple", 4), ("c-pear", 5)], data
