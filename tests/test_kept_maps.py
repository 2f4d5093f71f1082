"""A map the client sends (tests/published_specs/kept-maps/): its `metadata` is answered and kept as sent, not
merged with the keys the spec's example for it shows (Modern Treasury's `{"key": "value", "foo": "bar", ...}`
came back beside the connector's own); a merge patch of it adds to what was sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kept-maps",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kept-maps")


def test_a_map_sent_at_creation_is_answered_and_kept_as_sent(client):
    made = client.post("/labels", json={"title": "urgent", "metadata": {"order": "6735"}}).json()
    assert made["metadata"] == {"order": "6735"}
    assert client.get(f"/labels/{made['id']}").json()["metadata"] == {"order": "6735"}
    changed = client.patch(f"/labels/{made['id']}", json={"metadata": {"tier": "gold"}}).json()
    assert changed["metadata"] == {"order": "6735", "tier": "gold"}
    assert client.get(f"/labels/{made['id']}").json()["metadata"] == {"order": "6735", "tier": "gold"}


def test_items_sent_beyond_the_examples_get_ids_of_their_own(client):
    """Two payout items answered from an example of one shared its `item_id` (not a UUID, so not drawn again)."""
    items = client.post("/batches", json={"items": [{"amount": 5}, {"amount": 6}, {"amount": 7}]}).json()["items"]
    assert [item["amount"] for item in items] == [5, 6, 7]
    ids = [item["item_id"] for item in items]
    assert len(set(ids)) == 3 and all(len(i) == len("f1169c0140c57c20") for i in ids)


def test_a_list_the_client_could_send_and_did_not_is_answered_empty(client):
    """A label made without shelves has none (drawn, it had the example's shelf, which Rapyd's SDK then could
    not read); one made with shelves has those."""
    bare = client.post("/labels", json={"title": "plain"}).json()
    assert bare["shelves"] == [] and client.get(f"/labels/{bare['id']}").json()["shelves"] == []
    placed = client.post("/labels", json={"title": "placed", "shelves": [{"aisle": "B1", "level": 1}]}).json()
    assert placed["shelves"] == [{"aisle": "B1", "level": 1}]


def test_an_object_sent_under_one_name_is_answered_under_the_name_its_schema_has_in_the_answer(client):
    """Square's catalog upsert sends `object` and answers `catalog_object` (one schema): it answered the
    example's "Cocoa" to a "Coffee" sent, and read it back so."""
    made = client.post("/catalog/object", json={"idempotency_key": "k-1", "object": {"name": "Coffee", "price": 420}})
    article = made.json()["catalog_object"]
    assert (article["name"], article["price"]) == ("Coffee", 420)
    read = client.get(f"/catalog/object/{article['id']}").json()["catalog_object"]
    assert (read["name"], read["price"]) == ("Coffee", 420)
    # and listed where a page of them is answered, each bare, though read in an envelope (`{catalog_object}`)
    listed = {item["id"]: item["name"] for item in client.get("/catalog/list").json()["objects"]}
    assert listed.get(article["id"]) == "Coffee"
