"""A child made under an owner the path names by an id word (tests/published_specs/owner-word-ids/:
`{orderBankRef}`) is answered with an id of its own in that word (`bankRef`), one per creation, not the
example's for every refund."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "owner-word-ids",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "owner-word-ids")


def test_each_child_has_its_own_reference_and_names_its_owner(client):
    first = client.post("/orders/ORDER1/refunds", json={"amount": 5, "note": "a"}).json()
    second = client.post("/orders/ORDER1/refunds", json={"amount": 7, "note": "b"}).json()
    assert first["orderBankRef"] == second["orderBankRef"] == "ORDER1"
    assert first["bankRef"] != second["bankRef"]
    assert "Q4ZW6X8C0V2B4N6M" not in (first["bankRef"], second["bankRef"])
