"""Kept resources where a path alone misleads (tests/published_specs/kept-kinds/): the items of a page that also lists
links, an action answering the read's fields under a schema of its own, a search and another kind's creation
that make nothing, and a PUT that updates but does not bring back a deleted resource."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kept-kinds",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kept-kinds")


def _made(client, name: str) -> dict:
    answer = client.post("/widgets", json={"name": name, "amount": 1200, "color": "blue"})
    assert answer.status_code == 201, answer.text
    return answer.json()["widget"]


def test_a_page_with_links_beside_its_items_lists_the_widgets_made(client):
    made = _made(client, "listed")
    items = client.get("/widgets").json()["items"]
    assert made["id"] in [item["id"] for item in items], items


def test_an_action_answering_the_reads_fields_under_its_own_schema_is_about_the_widget(client):
    made = _made(client, "to cancel")
    cancelled = client.post(f"/widgets/{made['id']}/cancel").json()["widget"]
    assert (cancelled["id"], cancelled["name"], cancelled["amount"]) == (made["id"], "to cancel", 1200)
    assert client.get(f"/widgets/{made['id']}").json()["widget"]["status"] == cancelled["status"]


def test_a_search_under_the_kinds_path_makes_no_widget(client):
    before = len(client.get("/widgets").json()["items"])
    client.post("/widgets/search", json={"query": "mug"})
    assert len(client.get("/widgets").json()["items"]) == before


def test_a_put_does_not_bring_back_a_deleted_widget_made_by_a_post(client):
    made = _made(client, "to delete")
    assert client.delete(f"/widgets/{made['id']}").status_code == 204
    assert client.put(f"/widgets/{made['id']}", json={"color": "green"}).status_code == 404
    assert made["id"] not in [item["id"] for item in client.get("/widgets").json()["items"]]


def test_a_session_of_another_kind_is_not_a_checkout_session(client):
    session = client.post("/portal/sessions", json={"customer": "cus_A"}).json()
    assert session["id"] not in [item["id"] for item in client.get("/checkout/sessions").json()["data"]]
