"""Resources an action makes inside the resource it answers (tests/published_specs/actions-made-in-parent-lists/):
holding a cart answers the cart, its new hold in `holds`, the list named for the action's noun. The hold is kept
under its own kind (read at `/holds/{id}`, released there) and the cart with it. Runs on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import module_database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines
from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "actions-made-in-parent-lists",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "actions-made-in-parent-lists")


def test_what_an_action_makes_in_its_parent_is_kept_under_its_kind(client):
    cart = client.post("/carts", json={"amount": {"currency": "EUR", "value": "120"}}).json()
    assert cart["holds"] == [] if "holds" in cart else True
    held = client.post(f"/carts/{cart['id']}/hold", json={"amount": {"currency": "EUR", "value": "80"}})
    assert held.status_code == 201
    assert held.json()["id"] == cart["id"]
    holds = held.json()["holds"]
    assert len(holds) == 1
    hold = holds[0]
    assert hold["id"] != cart["id"] and hold["status"] == "ACTIVE"
    assert hold["amount"] == {"currency": "EUR", "value": "80"}  # (what the action sent)
    read = client.get(f"/holds/{hold['id']}")
    assert read.status_code == 200 and read.json() == hold
    assert client.get(f"/carts/{cart['id']}").json()["holds"] == [hold]
    released = client.post(f"/holds/{hold['id']}/release")
    assert released.status_code == 200 and released.json()["status"] == "RELEASED"
    assert client.get(f"/holds/{hold['id']}").json()["status"] == "RELEASED"


def test_each_action_makes_one_more(client):
    """A second hold joins the first; its amount, where the action sends none, is the cart's."""
    cart = client.post("/carts", json={"amount": {"currency": "JPY", "value": "500"}}).json()
    first = client.post(f"/carts/{cart['id']}/hold", json={"amount": {"currency": "JPY", "value": "200"}}).json()["holds"]
    both = client.post(f"/carts/{cart['id']}/hold", json={}).json()["holds"]
    assert len(both) == 2 and both[0] == first[0] and both[1]["id"] != first[0]["id"]
    assert both[1]["amount"] == {"currency": "JPY", "value": "500"}
    assert client.get(f"/holds/{both[1]['id']}").json() == both[1]
