"""A search answered from its schema, whose request BODY takes the page's cursor (`POST /parcels/search` with
`{"cursor": ...}`, as Square's searches of orders, customers and catalog objects page) and whose example holds a
cursor: the drawn page is the last, with no cursor. Before, only a query parameter named `cursor` was read as
the page's cursor, so the example's cursor came back on every page and tap-square's order sync paged forever
(500 searches in a minute, never finishing). The folder is tests/published_specs/body-cursor-search."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from oauth_flows import self_use_token

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "body-cursor-search",)}
SEARCH = "/banks/body-cursor-search/parcels/search"


@pytest.fixture
def headers(live, admin):
    return {"Authorization": f"Bearer {self_use_token(live.url, admin)}"}


def test_a_pager_sending_the_cursor_in_the_body_stops(live, headers):
    body, pages = {"limit": 10}, 0
    for _ in range(5):
        page = httpx.post(f"{live.url}{SEARCH}", headers=headers, json=body, timeout=30)
        assert page.status_code == 200, page.text
        pages += 1
        if not page.json().get("cursor"):
            break
        body = {"limit": 10, "cursor": page.json()["cursor"]}
    assert pages == 1
    assert page.json().get("cursor") in (None, "")
