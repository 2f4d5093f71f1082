"""A kept list paged by a `limit` typed `number` and an `after_id` cursor (tests/published_specs/numbered-limit-after-id/).

Xendit's lists take `limit` as a number (read as 2.0) and page on with `after_id`: the size was not read (every
page held everything) and the cursor was read as a filter, so each "next page" was the first again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from oauth_flows import self_use_token

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "numbered-limit-after-id",)}


@pytest.fixture(scope="module")
def client(live, admin):
    yield from bank_client(live, "numbered-limit-after-id", self_use_token(live.url, admin))


def test_pages_hold_the_size_asked_and_go_on_after_the_id(client):
    made = [client.post("/parcels", json={"label": f"p{i}"}).json()["id"] for i in range(3)]
    first = client.get("/parcels", params={"limit": 2}).json()
    assert [p["id"] for p in first["data"]] == made[:2] and first["has_more"] is True, first
    second = client.get("/parcels", params={"limit": 2, "after_id": made[1]}).json()
    assert [p["id"] for p in second["data"]] == made[2:] and second["has_more"] is False, second
