"""An item of a list links what lies under it by its own id (tests/published_specs/item-links-of-their-own/): a
wallet made answering its id and name alone was listed with its read's example links, to the balances and
transactions of the example's wallet (NextGenPSD2's accounts, each linking the example account's balances)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "item-links-of-their-own",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "item-links-of-their-own")


def test_a_listed_items_links_name_its_own_id(client):
    made = [client.post("/v1/wallets", json={"name": name}).json()["id"] for name in ("Main", "Savings")]
    listed = client.get("/v1/wallets")
    assert listed.status_code == 200, listed.text
    for wallet in listed.json()["wallets"]:
        assert wallet["id"] in made, wallet
        for relation in ("balances", "transactions"):
            assert wallet["_links"][relation]["href"].endswith(f"/v1/wallets/{wallet['id']}/{relation}"), wallet
