"""A resource made under an owner the path names in one case (`{orderId}`) carries it in a field written in
another (`order_id`): drawn, a note named some other order, and so did its list
(tests/published_specs/owner-ids-other-case/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "owner-ids-other-case",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "owner-ids-other-case")


def test_a_resource_made_under_an_owner_names_it_in_a_field_of_another_case(client):
    order = client.post("/orders", json={"total": 1200}).json()
    note = client.post(f"/orders/{order['id']}/notes", json={"text": "leave at the door"}).json()
    assert note["order_id"] == order["id"]
    assert client.get(f"/orders/{order['id']}/notes/{note['id']}").json()["order_id"] == order["id"]
    assert [n["id"] for n in client.get(f"/orders/{order['id']}/notes").json()["data"]] == [note["id"]]
