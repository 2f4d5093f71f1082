"""Temporary ids a client names what it makes by, mapped to the server's own
(tests/published_specs/temporary-client-ids): a thing sent as `#jam`, with a jar whose `thing_id` is `#jam`, is
answered under an id of the server's, the jar naming it by that id too, and the answer's `id_pairs` list each
`{client_thing_id, thing_id}`. The sandbox answered the example's pairs and kept the `#` ids (Square's catalog
upsert, `id_mappings`), redrawn in their own shape (`#jam` -> `#xbdq`, `#jam_small` -> `#xbdq_small`), so a
client mapping its temporary ids to real ones found none of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "temporary-client-ids",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "temporary-client-ids")


def _pairs(answer: dict) -> dict:
    return {pair["client_thing_id"]: pair["thing_id"] for pair in answer["id_pairs"]}


def test_an_upsert_answers_server_ids_for_temporary_ones_and_maps_them(client):
    sent = {"idempotency_key": "k-jam", "thing": {"id": "#jam", "kind": "GOOD", "label": "Jam", "jars": [
        {"id": "#jam_small", "thing_id": "#jam", "label": "Small"}, {"id": "#jam_large", "thing_id": "#jam", "label": "Large"}]}}
    made = client.post("/shelf/thing", json=sent)
    assert made.status_code == 200, made.text
    answer = made.json()
    pairs = _pairs(answer)
    assert set(pairs) == {"#jam", "#jam_small", "#jam_large"}
    assert not any(server.startswith("#") for server in pairs.values()) and len(set(pairs.values())) == 3
    thing = answer["thing"]
    assert thing["id"] == pairs["#jam"] and thing["label"] == "Jam"
    assert [(jar["id"], jar["thing_id"]) for jar in thing["jars"]] == [
        (pairs["#jam_small"], pairs["#jam"]), (pairs["#jam_large"], pairs["#jam"])]
    read = client.get(f"/shelf/thing/{thing['id']}")
    assert read.status_code == 200, read.text
    assert read.json()["thing"]["jars"] == thing["jars"]
    assert "#" not in read.text
    again = client.post("/shelf/thing", json=sent)  # its idempotency key: the same answer
    assert again.json() == answer


def test_an_upsert_of_a_thing_by_its_server_id_maps_nothing(client):
    made = client.post("/shelf/thing", json={"idempotency_key": "k-tea", "thing": {"id": "#tea", "kind": "GOOD", "label": "Tea"}})
    tea = made.json()["thing"]["id"]
    changed = client.post("/shelf/thing", json={"idempotency_key": "k-tea-2", "thing": {"id": tea, "kind": "GOOD", "label": "Green tea"}})
    assert changed.status_code == 200, changed.text
    assert changed.json()["thing"]["id"] == tea and changed.json()["id_pairs"] == []
    assert client.get(f"/shelf/thing/{tea}").json()["thing"]["label"] == "Green tea"


def test_a_batch_answers_the_things_it_sent_under_server_ids_and_keeps_them(client):
    sent = {"idempotency_key": "k-batch", "batches": [
        {"things": [{"id": "#pear", "kind": "GOOD", "label": "Pear", "aisle_id": "#fruit"}]},
        {"things": [{"id": "#fruit", "kind": "AISLE", "label": "Fruit"}]}]}
    made = client.post("/shelf/batch-upsert", json=sent)
    assert made.status_code == 200, made.text
    answer = made.json()
    pairs = _pairs(answer)
    assert set(pairs) == {"#pear", "#fruit"}
    assert [(thing["id"], thing["label"], thing.get("aisle_id")) for thing in answer["things"]] == [
        (pairs["#pear"], "Pear", pairs["#fruit"]), (pairs["#fruit"], "Fruit", None)]
    read = client.get(f"/shelf/thing/{pairs['#pear']}")
    assert read.status_code == 200, read.text
    assert read.json()["thing"]["aisle_id"] == pairs["#fruit"] and read.json()["thing"]["label"] == "Pear"
    found = {thing["id"] for thing in client.post("/shelf/search", json={"limit": 100}).json()["things"]}
    assert {pairs["#pear"], pairs["#fruit"]} <= found
