"""A list paged by its next page's first item (tests/published_specs/first-item-cursor: `?start_id=` takes the
`next_id` of the page before, as PayPal's `GET /v1/payments/payment` does). `start_id` was read as no cursor and
`next_id` stayed drawn on every page, the last and an empty one too: Airbyte's PayPal source, paging until
`next_id` is empty, asked 28,000 pages of one empty week before it was stopped."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "first-item-cursor",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "first-item-cursor")


def test_next_id_names_the_next_pages_first_item_and_the_last_page_has_none(client):
    made = [client.post("/receipts", json={"total": str(n)}).json()["id"] for n in range(3)]
    first = client.get("/receipts", params={"count": 2})
    assert first.status_code == 200, first.text
    assert [r["id"] for r in first.json()["receipts"]] == made[:2]
    assert first.json()["next_id"] == made[2]
    last = client.get("/receipts", params={"count": 2, "start_id": first.json()["next_id"]}).json()
    assert [r["id"] for r in last["receipts"]] == made[2:]
    assert not last.get("next_id"), last


def test_an_empty_page_names_no_next_page(client):
    empty = client.get("/receipts", params={"count": 2, "start_time": "2001-01-01T00:00:00Z",
                                            "end_time": "2001-01-07T00:00:00Z"}).json()
    assert empty.get("receipts") == [] and not empty.get("next_id"), empty
