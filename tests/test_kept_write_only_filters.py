"""A list's query parameter naming a field the resource only takes, never answers (`writeOnly`), filters by
what each one was sent with, and leaves out none for not holding it (tests/published_specs/write-only-list-filter,
as Mollie's `testmode`: its lists take `?testmode`, default false, and its payment schema declares the field
write-only). The default filled in was read as asking for resources holding `false`, none held it, and every
list of payments, of a customer's payments and of a payment's refunds answered empty to Mollie's own SDK."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "write-only-list-filter",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "write-only-list-filter")


def test_a_write_only_field_filters_only_what_was_sent_with_it(client):
    made = [client.post("/parcels", json={"weight": weight}).json()["id"] for weight in (1, 2)]
    rehearsed = client.post("/parcels", json={"weight": 3, "rehearsal": True}).json()["id"]
    listed = client.get("/parcels")
    assert listed.status_code == 200, listed.text
    assert sorted(p["id"] for p in listed.json()["parcels"]) == sorted(made)
    # (one sent with it is listed where the query asks for its value; those sent without it hold no value to compare)
    assert rehearsed in [p["id"] for p in client.get("/parcels", params={"rehearsal": "true"}).json()["parcels"]]
