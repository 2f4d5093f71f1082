"""A resource read at `/members/{outer_member_id}` holds that id as `outer_id`: the parameter names the kind
(`member`), the answer's field does not (Lago's customers, read at `/customers/{external_customer_id}`, answer
`external_id`). Before, the member was kept under an id of the sandbox's own: its read answered the spec's
example member, its delete left it listed (tests/published_specs/ids-without-their-kind/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "ids-without-their-kind",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "ids-without-their-kind")


def test_a_member_is_read_listed_and_deleted_by_the_id_its_client_gave(client):
    made = client.post("/members", json={"member": {"outer_id": "m-1", "nickname": "Ada"}})
    assert made.status_code == 200, made.text
    assert made.json()["member"]["outer_id"] == "m-1"
    read = client.get("/members/m-1")
    assert read.status_code == 200, read.text
    assert (read.json()["member"]["outer_id"], read.json()["member"]["nickname"]) == ("m-1", "Ada")
    assert [m["outer_id"] for m in client.get("/members").json()["members"]] == ["m-1"]
    gone = client.delete("/members/m-1")
    assert gone.status_code == 200, gone.text
    assert gone.json()["member"]["nickname"] == "Ada"
    assert client.get("/members/m-1").status_code == 404
    assert client.get("/members").json()["members"] == []


def test_each_member_made_has_a_house_id_of_its_own(client):
    """`example_id`, the id the house gives a member in its own name (the API's host is `api.example.test`; Lago's
    `lago_id`), names no kind: each creation draws its own, not the example's one for all."""
    first = client.post("/members", json={"member": {"outer_id": "m-2"}}).json()["member"]["example_id"]
    second = client.post("/members", json={"member": {"outer_id": "m-3"}}).json()["member"]["example_id"]
    assert first != second
    assert client.get("/members/m-3").json()["member"]["example_id"] == second
