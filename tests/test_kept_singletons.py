"""Resources a path names without an id (tests/published_specs/kept-singletons/): preferences set with PUT, a
plan set with a POST answered 204 under an owner (and deleted: gone), an allow-list set with a POST, each read back
as set; a collection beside them still makes and lists its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kept-singletons",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kept-singletons")


def test_preferences_put_are_read_back(client):
    answer = client.put("/preferences", json={"displayName": "Tulip Co", "theme": "dark"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["displayName"] == "Tulip Co"
    assert client.get("/preferences").json() == {"displayName": "Tulip Co", "theme": "dark"}
    client.put("/preferences", json={"displayName": "Iris Co", "theme": "light"})
    assert client.get("/preferences").json()["displayName"] == "Iris Co"


def test_a_plan_posted_without_an_answer_is_read_back_under_its_owner_only(client):
    assert client.post("/gardens/g-east/watering", json={"everyHours": 6, "zones": ["back", "side"]}).status_code == 204
    plan = client.get("/gardens/g-east/watering").json()
    assert (plan["everyHours"], plan["zones"]) == (6, ["back", "side"]), plan
    other = client.get("/gardens/g-west/watering").json()
    assert other.get("zones") != ["back", "side"], other


def test_a_plan_deleted_is_gone_until_planned_again(client):
    client.post("/gardens/g-north/watering", json={"everyHours": 12, "zones": ["front"]})
    assert client.delete("/gardens/g-north/watering").status_code == 204
    assert client.get("/gardens/g-north/watering").status_code == 404  # was read back as it was
    assert client.get("/gardens/g-south/watering").status_code == 200  # another owner's: untouched
    assert client.post("/gardens/g-north/watering", json={"everyHours": 3, "zones": ["roof"]}).status_code == 204
    assert client.get("/gardens/g-north/watering").json()["zones"] == ["roof"]


def test_an_allowlist_posted_is_read_back(client):
    assert client.post("/allowlist", json={"origins": ["https://bank.test"]}).json() == {"origins": ["https://bank.test"]}
    assert client.get("/allowlist").json() == {"origins": ["https://bank.test"]}


def test_a_collection_is_no_singleton(client):
    made = client.post("/hoses", json={"length": 15}).json()
    assert client.get(f"/hoses/{made['id']}").json()["length"] == 15
    assert made["id"] in [hose["id"] for hose in client.get("/hoses").json()["items"]]
