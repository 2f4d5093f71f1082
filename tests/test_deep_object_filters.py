"""A list filtered by an object of field filters sent as a deepObject (`?filter[display_name]=Zed`, as Apideck's
unified APIs filter theirs) lists only what each field asks for (tests/published_specs/deep-object-filters/): the
object was read as no filter at all, and every customer was listed for one asked by its name."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

FOLDER = Path(__file__).parent / "published_specs" / "deep-object-filters"
LIVE_SERVER = {"specs": (FOLDER,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "deep-object-filters")


def test_each_field_of_a_deep_object_filter_narrows_the_list(client):
    made = {name: client.post("/doohickeys", json={"display_name": name, "status": status}).json()["data"]["id"]
            for name, status in (("Ann", "active"), ("Bob", "inactive"), ("Cat", "active"))}
    named = client.get("/doohickeys", params={"filter[display_name]": "Bob"}).json()["data"]
    assert [item["id"] for item in named] == [made["Bob"]], named
    active = client.get("/doohickeys", params={"filter[status]": "active"}).json()["data"]
    assert sorted(item["id"] for item in active) == sorted([made["Ann"], made["Cat"]]), active
    both = client.get("/doohickeys", params={"filter[status]": "active", "filter[display_name]": "Bob"}).json()["data"]
    assert both == [], both
