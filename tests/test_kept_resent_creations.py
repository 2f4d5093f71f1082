"""A creation sent again with the id its client gives the resource (`outer_id` of a member read at
`/members/{outer_member_id}`; Lago's `POST /customers` with the same `external_id` creates or updates) changes the
kept one: what it sends is merged over it, its answer keeps the server's own ids, and the read answers the change.
Before, the second answer said the change under a new server id, and the read still answered the first
(tests/published_specs/ids-without-their-kind/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "ids-without-their-kind",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "ids-without-their-kind")


def test_a_creation_sent_again_with_the_clients_id_changes_the_kept_one(client):
    first = client.post("/members", json={"member": {"outer_id": "m-9", "nickname": "A"}})
    assert first.status_code == 200, first.text
    again = client.post("/members", json={"member": {"outer_id": "m-9", "nickname": "B"}})
    assert again.status_code == 200, again.text
    house = first.json()["member"]["example_id"]
    assert (again.json()["member"]["nickname"], again.json()["member"]["example_id"]) == ("B", house)
    read = client.get("/members/m-9")
    assert read.status_code == 200, read.text
    assert (read.json()["member"]["nickname"], read.json()["member"]["example_id"]) == ("B", house)
    assert [m["outer_id"] for m in client.get("/members").json()["members"]].count("m-9") == 1


def test_a_change_sent_as_a_creation_keeps_what_it_leaves_out_until_deleted(client):
    client.post("/members", json={"member": {"outer_id": "m-10", "nickname": "Kept"}})
    again = client.post("/members", json={"member": {"outer_id": "m-10"}})
    assert again.status_code == 200, again.text
    assert again.json()["member"]["nickname"] == "Kept"
    assert client.get("/members/m-10").json()["member"]["nickname"] == "Kept"

    # (one deleted is not there to change: made again under the id, it is a new one, with a server id of its own)
    made = client.get("/members/m-10").json()["member"]["example_id"]
    assert client.delete("/members/m-10").status_code == 200
    again = client.post("/members", json={"member": {"outer_id": "m-10", "nickname": "New"}}).json()["member"]
    assert again["example_id"] != made
    read = client.get("/members/m-10").json()["member"]
    assert (read["nickname"], read["example_id"]) == ("New", again["example_id"])
