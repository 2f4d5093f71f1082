"""Moments named by the verb's stem are the moments of making and changing
(tests/published_specs/verb-stem-moments: a parcel's `create_time` and `update_time`, as PayPal names them).
Only participles (`created_at`, `updated`) were known: PayPal's catalog products made one after the other were
answered with drawn `create_time`s, hours apart and out of order, and another `update_time` on each."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "verb-stem-moments",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "verb-stem-moments")


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_create_time_is_when_it_was_made_and_update_time_when_it_changed(client):
    first = client.post("/parcels", json={"label": "a"})
    second = client.post("/parcels", json={"label": "b"})
    assert first.status_code == second.status_code == 201, first.text
    a, b = first.json(), second.json()
    assert a["create_time"] == a["update_time"] and b["create_time"] == b["update_time"], (a, b)
    assert _at(a["create_time"]) <= _at(b["create_time"])
    assert abs((_at(b["create_time"]) - _at(a["create_time"])).total_seconds()) < 60
    read = client.get(f"/parcels/{a['id']}").json()
    assert read["create_time"] == a["create_time"], read
    changed = client.patch(f"/parcels/{a['id']}", json={"label": "c"}).json()
    assert changed["create_time"] == a["create_time"] and _at(changed["update_time"]) >= _at(a["update_time"])
    listed = {parcel["id"]: parcel for parcel in client.get("/parcels").json()["parcels"]}
    assert listed[b["id"]]["create_time"] == b["create_time"]
