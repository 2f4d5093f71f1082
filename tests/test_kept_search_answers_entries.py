"""A search whose example answers only entries naming orders (tests/published_specs/search-answers-entries/)
lists the kept orders in full, in the list the page declares for them: squeezed into the example's entries, a
connector reading `orders` (tap-square) synced none."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "search-answers-entries",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "search-answers-entries")


def test_kept_orders_go_to_the_list_the_page_declares_for_them(client):
    made = [client.post("/orders", json={"location_id": "L1", "note": note, "total": 100}).json()["order"]
            for note in ("first", "second")]
    found = client.post("/orders/search", json={}).json()
    assert [(o["id"], o["note"], o["total"]) for o in found["orders"]] == [(m["id"], m["note"], 100) for m in made]
