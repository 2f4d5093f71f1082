"""Lists of kinds no call makes, drawn: one collection, each item as its read answers it (tests/published_specs/drawn-collections/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "drawn-collections",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "drawn-collections")


def test_a_drawn_item_reads_by_its_id_as_its_list_shows_it(client):
    """Brex's cash accounts were listed with one balance and name and read by their ids with others: a list drawn
    from its own seed, each read from its path's."""
    listed = client.get("/v2/coffers")
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert len(items) >= 2
    for item in items:
        read = client.get(f"/v2/coffers/{item['id']}")
        assert read.status_code == 200 and read.json() == item, (item, read.text)
        assert client.get(f"/v2/coffers/{item['id']}").json() == item  # and again


def test_an_enveloped_item_named_by_its_own_id_field_reads_as_listed(client):
    """Listed by `vaultId` in a `data` envelope, read at `/vaults/{vaultId}` as `{data: {...}}`."""
    for vault in client.get("/vaults").json()["data"]["vaults"]:
        read = client.get(f"/vaults/{vault['vaultId']}")
        assert read.status_code == 200 and read.json()["data"] == vault, (vault, read.text)

