"""A DELETE of a resource's path whose answer declares no schema but shows the resource in its examples
(tests/published_specs/untyped-cancel-by-delete, as Mollie's bundled spec writes `DELETE /payments/{id}`:
`schema: {}` and the cancelled payment as examples) cancels it: answered as kept, in its withdrawn state, and
read back so. It had been a deletion: Mollie's SDK cancelled a payment and its next read was a 404."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "untyped-cancel-by-delete",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "untyped-cancel-by-delete")


def test_a_delete_answering_the_resource_by_example_cancels_it(client):
    for court in ("centre", "east"):
        made = client.post("/bookings", json={"court": court}).json()
        cancelled = client.delete(f"/bookings/{made['id']}")
        assert cancelled.status_code == 200, cancelled.text
        assert cancelled.json()["id"] == made["id"] and cancelled.json()["court"] == court
        assert cancelled.json()["status"] == "canceled"
        read = client.get(f"/bookings/{made['id']}")
        assert read.status_code == 200 and read.json()["status"] == "canceled", read.text
        assert read.json()["court"] == court
