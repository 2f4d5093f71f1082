"""A page asked for by its number past the first (tests/published_specs/numbered-page-ends, as Australia's Consumer
Data Right pages its lists) links its first page and the one before it by number, beside counters saying it is the
last: `?page=3&page-size=2` had answered `links.first` the page asked and no `prev`, while `meta.totalPages` said 3,
and a client walking back from the last page never left it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "numbered-page-ends",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "numbered-page-ends")


def _asked(url: str) -> dict:
    return {name: values[0] for name, values in parse_qs(urlparse(url).query).items()}


def test_a_page_past_the_first_links_the_first_and_the_one_before(client):
    page = client.get("/wattle/deposits", params={"page": 3, "page-size": 2})
    assert page.status_code == 200, page.text
    links, meta, items = page.json()["links"], page.json()["meta"], page.json()["data"]["deposits"]
    assert meta == {"totalRecords": 4 + len(items), "totalPages": 3}, meta
    assert _asked(links["self"]) == _asked(links["last"]) == {"page": "3", "page-size": "2"}, links
    assert _asked(links["first"]) == {"page": "1", "page-size": "2"}, links
    assert _asked(links["prev"]) == {"page": "2", "page-size": "2"}, links
    assert "next" not in links and all(link.startswith(str(client.base_url)) for link in links.values()), links


def test_the_first_page_is_its_own_first(client):
    page = client.get("/wattle/deposits", params={"page-size": 2}).json()
    assert page["links"]["first"] == page["links"]["self"] == page["links"]["last"], page["links"]
    assert "prev" not in page["links"] and page["meta"]["totalPages"] == 1, page
