"""A read whose example holds only the id of what it reads (`{"data": {"id": ...}}`, as Apideck's unified APIs
document theirs) answers what was sent to make the resource, its lists of objects too
(tests/published_specs/lists-left-out-of-examples/): the customer made with `emails` was read back without them."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

FOLDER = Path(__file__).parent / "published_specs" / "lists-left-out-of-examples"
LIVE_SERVER = {"specs": (FOLDER,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "lists-left-out-of-examples")


def test_a_list_of_objects_sent_is_read_back_where_the_example_left_it_out(client):
    emails = [{"email": "zed@example.com", "type": "primary"}, {"email": "billing@example.com", "type": "work"}]
    made = client.post("/things", json={"display_name": "Zed", "emails": emails}).json()["data"]
    read = client.get(f"/things/{made['id']}").json()["data"]
    assert (read["id"], read["display_name"]) == (made["id"], "Zed"), read
    assert [(e["email"], e["type"]) for e in read["emails"]] == [(e["email"], e["type"]) for e in emails], read
