"""A list paged by `page` and `records_per_page` (tests/published_specs/records-per-page/): the page holds as
many records as asked, and its `pagination` counts them all (`total_entries`) and the pages they fill
(`total_pages`), so a client looping `while page < total_pages` reads each kept member once."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "records-per-page",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "records-per-page")


def test_records_per_page_sizes_the_page_and_pagination_counts_every_entry(client):
    made = [client.post("/members", json={"member": {"name": name}}).json()["member"]["guid"]
            for name in ("Ann", "Bo", "Cy")]
    first = client.get("/members", params={"page": 1, "records_per_page": 2}).json()
    assert len(first["members"]) == 2, first
    assert first["pagination"] == {"current_page": 1, "per_page": 2, "total_entries": 3, "total_pages": 2}
    second = client.get("/members", params={"page": 2, "records_per_page": 2}).json()
    assert [m["guid"] for m in first["members"] + second["members"]] == made
    assert second["pagination"]["current_page"] == 2 and second["pagination"]["total_pages"] == 2
