"""Resources a POST makes, a GET lists and a DELETE removes by id, though no GET reads one by one
(tests/published_specs/unread-kinds/): the list shows what was made, and not what was deleted."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "unread-kinds",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "unread-kinds")


def test_what_is_made_is_listed_and_what_is_deleted_is_not(client):
    made = [client.post("/savedCards", json={"holderRef": "h-1", "lastFour": four}) for four in ("1111", "2222")]
    assert [r.status_code for r in made] == [201, 201]
    ids = [r.json()["id"] for r in made]
    assert len(set(ids)) == 2
    other = client.post("/savedCards", json={"holderRef": "h-2", "lastFour": "3333"}).json()["id"]
    listed = client.get("/savedCards", params={"holderRef": "h-1"}).json()["savedCards"]
    assert [(c["id"], c["lastFour"]) for c in listed] == [(ids[0], "1111"), (ids[1], "2222")]
    assert client.delete(f"/savedCards/{ids[0]}", params={"holderRef": "h-1"}).status_code == 204
    assert [c["id"] for c in client.get("/savedCards", params={"holderRef": "h-1"}).json()["savedCards"]] == [ids[1]]
    assert other in [c["id"] for c in client.get("/savedCards").json()["savedCards"]]
