"""A list paged by cursor whose page example shows offsets (tests/published_specs/offset-example-cursor-pages/):
its pages say where the next starts in the terms the list takes, `next_cursor`, and no `offset` the list never
reads; an `offset` sent back anyway (a client paging by whichever the page shows) is not read, so a page asked
after a cursor is the one after it, whose next cursor moves on, and the last page names none."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "offset-example-cursor-pages",)}


@pytest.fixture(scope="module")
def gadgets(live):
    yield from bank_client(live, "offset-example-cursor-pages")


@pytest.fixture(scope="module")
def made(gadgets):
    return [gadgets.post("/gadgets", json={"label": f"g{i}"}).json()["id"] for i in range(5)]


def _page(gadgets, **query) -> tuple[list, dict]:
    body = gadgets.get("/gadgets", params=query).json()
    return [item["id"] for item in body["_embedded"]["gadgets"]], body["page"]


def test_a_page_shows_no_offset_the_list_does_not_take(gadgets, made):
    ids, page = _page(gadgets, limit=2)
    assert ids == made[:2] and "offset" not in page and page["next_cursor"] == made[1]


def test_an_undeclared_offset_is_not_read_and_the_cursor_moves_on(gadgets, made):
    ids, page = _page(gadgets, limit=2, offset=1, after_cursor=made[1])
    assert ids == made[2:4] and page["next_cursor"] == made[3]
    seen, query = [], {"limit": 2}
    for _ in range(5):  # sending back all it was given, as a pager that keeps its query does
        ids, page = _page(gadgets, **query)
        seen += ids
        if not page.get("next_cursor"):
            break
        query = {**query, "offset": len(seen), "after_cursor": page["next_cursor"]}
    assert seen == made and "next_cursor" not in page
