"""A page that names the next and the previous page by number (`meta.next_page`, `meta.prev_page`, as Lago's
lists do) names them for the page it is: following `next_page` walks every kept badge once and stops.
Before, every page said the next was page 3 and the previous page 1 (the example's), so a client following
`next_page` skipped page 2 and asked page 3 for ever (tests/published_specs/numbered-next-pages/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "numbered-next-pages",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "numbered-next-pages")


def test_following_next_page_walks_every_page_once(client):
    made = [client.post("/badges", json={"label": f"b{i}"}).json()["id"] for i in range(5)]
    seen, page, metas = [], 1, []
    while page is not None and len(metas) < 10:
        answer = client.get("/badges", params={"page": page, "per_page": 2})
        assert answer.status_code == 200, answer.text
        seen += [badge["id"] for badge in answer.json()["badges"]]
        metas.append(answer.json()["meta"])
        page = answer.json()["meta"].get("next_page")
    assert seen == made
    assert [m["current_page"] for m in metas] == [1, 2, 3]
    assert [m.get("prev_page") for m in metas] == [None, 1, 2]
    assert [m.get("next_page") for m in metas] == [2, 3, None]
