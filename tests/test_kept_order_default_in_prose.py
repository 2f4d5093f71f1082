"""A list whose direction parameter says in its description that it defaults to descending order runs newest
first when not asked otherwise (tests/published_specs/order-default-in-prose, as Mollie's `sort`: "Defaults to
descending order, meaning the results are ordered from newest to oldest"); kept payments had been listed
oldest first, and a client reading the first page for the latest payment got the first one made."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "order-default-in-prose",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "order-default-in-prose")


def test_newest_first_unless_asked_ascending(client):
    made = [client.post("/readings", json={"celsius": c}).json()["id"] for c in (18.5, 19.0, 21.5)]
    assert [r["id"] for r in client.get("/readings").json()["readings"]] == made[::-1]
    assert [r["id"] for r in client.get("/readings", params={"sort": "asc"}).json()["readings"]] == made
    assert [r["id"] for r in client.get("/readings", params={"sort": "desc", "limit": 2}).json()["readings"]] == made[:0:-1]
