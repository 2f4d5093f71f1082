"""A HAL page whose `_links` is a map of links by relation (tests/published_specs/links-beside-own-fields/,
`_links: {additionalProperties: Link}`, as Dwolla's lists declare it) links the next page where more follow:
`GET /members?limit=2` of three kept members answered `_links: {}`, and a client following `next` saw two."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

SLUG = "links-beside-own-fields"
LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / SLUG,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, SLUG)


def test_a_page_that_more_follow_links_the_next(client):
    made = set()
    for name in ("Ada", "Grace", "Hedy"):
        answer = client.post("/members", json={"givenName": name, "familyName": "X", "email": f"{name}@x.example",
                                               "type": "guest"})
        assert answer.status_code == 201, answer.text
        made.add(answer.headers["location"].rsplit("/", 1)[-1])
    seen, url, pages = [], "/members?limit=2", 0
    while url and pages < 5:
        page = client.get(url)
        assert page.status_code == 200, page.text
        seen += [item["id"] for item in page.json()["_embedded"]["members"]]
        following = page.json()["_links"].get("next")
        url = "/" + following["href"].split(f"/banks/{SLUG}/", 1)[-1] if following else None
        pages += 1
    assert pages == 2 and set(seen) == made and len(seen) == 3, seen
