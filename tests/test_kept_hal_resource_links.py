"""A HAL resource's links name it and the resources it names (tests/published_specs/hal-resource-links/): a
transfer holding a list of messages was answered as a page, its `self` the URL it was posted to, and its
`source` link the example's instrument beside the instrument it was made from."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "hal-resource-links",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "hal-resource-links")


def _path(href: str) -> str:
    return "/" + href.split("/banks/hal-resource-links/", 1)[-1]


def test_a_resource_holding_a_list_links_to_itself_and_what_it_names(client):
    made = client.post("/charges", json={"amount": 2500, "source": "INmineminemineminemine01"})
    assert made.status_code == 201, made.text
    charge = made.json()
    links = charge["_links"]
    assert _path(links["self"]["href"]) == f"/charges/{charge['id']}", links
    assert _path(links["source"]["href"]) == "/instruments/INmineminemineminemine01", links
    assert _path(links["returns"]["href"]) == f"/charges/{charge['id']}/returns", links
    read = client.get(f"/charges/{charge['id']}").json()
    assert _path(read["_links"]["self"]["href"]) == f"/charges/{charge['id']}"
    assert _path(read["_links"]["source"]["href"]) == "/instruments/INmineminemineminemine01"


def test_a_resource_made_under_another_links_to_itself_and_its_parent(client):
    parent = client.post("/charges", json={"amount": 2500, "source": "INmineminemineminemine01"}).json()
    made = client.post(f"/charges/{parent['id']}/returns", json={"return_amount": 1000})
    assert made.status_code == 201, made.text
    links = made.json()["_links"]
    assert made.json()["id"] != parent["id"]
    assert _path(links["self"]["href"]) == f"/charges/{made.json()['id']}", links
    assert _path(links["parent"]["href"]) == f"/charges/{parent['id']}", links
