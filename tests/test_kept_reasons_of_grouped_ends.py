"""A reason told of a state its enum names only as part of a wider end (tests/published_specs/reasons-of-grouped-ends/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "reasons-of-grouped-ends",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "reasons-of-grouped-ends")


@pytest.mark.parametrize("key", ["remit-1", "remit-2", "remit-3"])
def test_a_new_resource_has_no_reason_of_an_end_it_has_not_reached(client, key):
    """Brex's transfer was made `PENDING_APPROVAL` with a drawn `cancellation_reason` (INSUFFICIENT_FUNDS): its states
    name no cancellation, which its `FAILED` covers, so the reason was taken for no state's and left as drawn."""
    made = client.post("/v1/remittances", json={"amount": 500}, headers={"Idempotency-Key": key})
    assert made.status_code == 200, made.text
    assert made.json()["status"] != "FAILED" and made.json().get("cancellation_reason") is None, made.text
    read = client.get(f"/v1/remittances/{made.json()['id']}")
    assert read.status_code == 200 and read.json().get("cancellation_reason") is None, read.text
