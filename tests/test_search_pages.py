"""A search paged by a `page` cursor (tests/published_specs/search-pages/, as Stripe's `/v1/products/search`):
`page=<next_page>` asks for the page after it (it had answered the first page again, and the SDK's auto-paging
never ended), and the page's own `url` is the path it was asked at (its SDK asks that path for the next page;
drawn, it was no path)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "search-pages",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "search-pages")


def test_a_search_pages_through_every_thing_made_once(client):
    made = [client.post("/v1/things", data={"name": f"n{i}"}).json()["id"] for i in range(3)]
    seen, params = [], {"query": "name:'n'", "limit": 1}
    for _ in range(10):
        page = client.get("/v1/things/search", params=params).json()
        assert page["url"] == "/v1/things/search"
        seen += [thing["id"] for thing in page["data"]]
        if not page["has_more"]:
            break
        params = {**params, "page": page["next_page"]}
    assert seen == made
