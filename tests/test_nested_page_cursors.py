"""A list whose page says its cursors in an object of their own (`meta.cursors.next`, as Apideck's unified APIs
page): the next page's cursor where more follow, taken back by `?cursor=`, and null on the last page
(tests/published_specs/nested-page-cursors/). The example's cursor was answered on every page, the last too,
and the SDK's pager asked for pages for ever."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

FOLDER = Path(__file__).parent / "published_specs" / "nested-page-cursors"
LIVE_SERVER = {"specs": (FOLDER,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "nested-page-cursors")


def test_a_pager_following_meta_cursors_next_reads_every_gizmo_once_and_stops(client):
    made = [client.post("/gizmos", json={"name": f"g{i}"}).json()["data"]["id"] for i in range(3)]
    seen, query = [], {"limit": 2}
    for _ in range(5):
        page = client.get("/gizmos", params=query).json()
        seen += [item["id"] for item in page["data"]]
        following = page["meta"]["cursors"]["next"]
        if following is None:
            break
        query = {"limit": 2, "cursor": following}
    else:
        pytest.fail(f"the pager never stopped: {seen}")
    assert sorted(seen) == sorted(made), (seen, made)
