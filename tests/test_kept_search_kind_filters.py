"""A search sent as a POST filters by a list named for its items' field with a word before it
(tests/published_specs/event-search-kind-filters/): `{"query": {"filter": {"event_types": ["widget.created"]}}}`
lists only the events whose `type` is one of them (Square's event search), `{"filter": {"widget_colours":
["red"]}}` only the red widgets. Unfiltered, a search for one kind of event answered every event kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "event-search-kind-filters",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "event-search-kind-filters")


def test_an_event_search_lists_only_the_types_of_event_asked_for(client):
    made = client.post("/widgets", json={"colour": "blue"}).json()
    client.patch(f"/widgets/{made['id']}", json={"colour": "green"})
    every = client.post("/events", json={"limit": 100}).json()["events"]
    assert {"widget.created", "widget.updated"} <= {event["type"] for event in every}
    found = client.post("/events", json={"limit": 100, "query": {"filter": {"event_types": ["widget.created"]}}}).json()
    assert found["events"] and {event["type"] for event in found["events"]} == {"widget.created"}


def test_a_search_lists_only_the_values_of_a_field_asked_for(client):
    red = client.post("/widgets", json={"colour": "red"}).json()
    client.post("/widgets", json={"colour": "yellow"})
    found = client.post("/widgets/search", json={"filter": {"widget_colours": ["red"]}}).json()["widgets"]
    assert found and {widget["colour"] for widget in found} == {"red"} and red["id"] in {w["id"] for w in found}


def test_a_list_of_ids_of_another_kind_is_no_filter_on_the_items_own_ids(client):
    """`other_ids` names ids of some other kind, not the widgets' own `id`: it leaves none out for that."""
    made = client.post("/widgets", json={"colour": "white"}).json()
    found = client.post("/widgets/search", json={"filter": {"other_ids": ["X1"]}}).json()["widgets"]
    assert made["id"] in {widget["id"] for widget in found}
