"""A HAL page whose example links only `self` and `current` (tests/published_specs/hal-page-links/): a page of
kept gadgets that more follow links the next page, and `current` names the page asked for."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "hal-page-links",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "hal-page-links")


def test_a_page_that_more_follow_links_the_next_and_names_itself_current(client):
    for label in ("one", "two", "three"):
        assert client.post("/gadgets", json={"label": label}).status_code == 200
    first = client.get("/gadgets", params={"page": 1, "pageSize": 2}).json()
    assert [item["label"] for item in first["results"]] == ["one", "two"], first
    links = first["_links"]
    assert "next" in links, links
    assert parse_qs(urlsplit(links["next"]["href"]).query) == {"page": ["2"], "pageSize": ["2"]}, links
    assert parse_qs(urlsplit(links["current"]["href"]).query) == {"page": ["1"], "pageSize": ["2"]}, links
    last = client.get(links["next"]["href"].split("/banks/hal-page-links", 1)[-1]).json()
    assert [item["label"] for item in last["results"]] == ["three"], last
    assert "next" not in last["_links"] or last["_links"]["next"] is None, last
