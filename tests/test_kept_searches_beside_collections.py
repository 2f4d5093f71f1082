"""Searches sent as a POST beside the kinds' collections list what was kept
(tests/published_specs/searches-beside-collections): `POST /shop/search` answers `{goods: [Good], cursor}` of
the goods read at `/shop/goods/{good_id}`, `POST /shop/search-stalls` `{items: [Stall]}` of the stalls read at
`/shop/stalls/{stall_id}`. Only a search at the kind's own collection (`/shop/goods/search`) was read as one;
these answered drawn examples, so Airbyte's Square source (`POST /v2/catalog/search` of
`/v2/catalog/object/{id}`) and PayPal source (`POST /v2/invoicing/search-invoices`) synced none of the catalog
items and invoices made through the API."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "searches-beside-collections",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "searches-beside-collections")


def test_a_search_beside_the_collection_lists_the_goods_made(client):
    made = [client.post("/shop/goods", json={"label": label}).json()["id"] for label in ("tea", "coffee")]
    found = client.post("/shop/search", json={})
    assert found.status_code == 200, found.text
    assert [good["id"] for good in found.json()["goods"]] == made
    first = client.post("/shop/search", json={"limit": 1}).json()
    assert [good["id"] for good in first["goods"]] == made[:1] and first["cursor"]
    second = client.post("/shop/search", json={"limit": 1, "cursor": first["cursor"]}).json()
    assert [good["id"] for good in second["goods"]] == made[1:]


def test_a_search_named_verb_and_kind_lists_the_stalls_made_and_no_goods(client):
    made = client.post("/shop/stalls", json={"name": "north"})
    assert made.status_code == 201, made.text
    found = client.post("/shop/search-stalls", json={})
    assert found.status_code == 200, found.text
    assert [stall["id"] for stall in found.json()["items"]] == [made.json()["id"]]
