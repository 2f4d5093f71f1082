"""Objects a made resource holds that are resources of its own kind, by the same schema and with ids of their own,
are kept as such (tests/published_specs/held-of-their-kind/): a kit's parts are read at the kind's read and found
by a search of their type. Kept only inside the kit, a read of a part's id answered a drawn piece, and a search
for parts found none (Square's item variations, `CatalogObject`s inside the item's `CatalogObject`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "held-of-their-kind",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "held-of-their-kind")


def test_the_parts_a_kit_holds_are_pieces_of_their_own(client):
    made = client.post("/pieces", json={"piece": {"id": "kit-1", "type": "SET", "name": "Cart", "set_data": {"parts": [
        {"id": "wheel-1", "type": "PART", "name": "Wheel"}, {"id": "axle-1", "type": "PART", "name": "Axle"}]}}})
    assert made.status_code == 200, made.text
    wheel = client.get("/pieces/wheel-1")
    assert wheel.status_code == 200, wheel.text
    assert {key: wheel.json()["piece"][key] for key in ("id", "type", "name")} == {"id": "wheel-1", "type": "PART", "name": "Wheel"}
    parts = client.post("/pieces/search", json={"object_types": ["PART"]}).json()["objects"]
    assert sorted((part["id"], part["name"]) for part in parts) == [("axle-1", "Axle"), ("wheel-1", "Wheel")]
    sets = client.post("/pieces/search", json={"object_types": ["SET"]}).json()["objects"]
    assert [piece["id"] for piece in sets] == ["kit-1"]
