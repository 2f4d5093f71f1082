"""A page of kept resources says more follow where its flag is, two objects down
(tests/published_specs/kept-pages-flagged-two-down/): `meta.paging: {more, next}`, as Paddle Billing's
`meta.pagination: {has_more, next}`. Read only at the top and one object down, every page of kept products kept
the example's `has_more: false` and a `next` URL out of the sandbox, and Paddle's SDK, which pages on
`has_more`, listed 2 of the 3 products it had made."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kept-pages-flagged-two-down",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kept-pages-flagged-two-down")


def test_every_page_but_the_last_says_more_follow_two_objects_down(client):
    made = []
    for label in ("a", "b", "c"):
        answer = client.post("/gadgets", json={"label": label})
        assert answer.status_code == 201, answer.text
        made.append(answer.json()["data"]["id"])
    seen, query, pages = [], {"per_page": 2}, 0
    while True:
        pages += 1
        assert pages <= 5, "the pages never ended"
        page = client.get("/gadgets", params=query)
        assert page.status_code == 200, page.text
        body = page.json()
        seen += [item["id"] for item in body["data"]]
        paging = body["meta"]["paging"]
        if not paging["more"]:
            break
        following = urlsplit(paging["next"])
        assert following.path.endswith("/banks/kept-pages-flagged-two-down/gadgets"), paging
        query = {name: values[0] for name, values in parse_qs(following.query).items()}
    assert set(made) <= set(seen) and len(seen) == len(set(seen)), (made, seen)
    assert pages >= 2


def test_the_last_page_says_none_follow(client):
    body = client.get("/gadgets", params={"per_page": 50}).json()
    assert body["meta"]["paging"]["more"] is False, body
    assert body["meta"]["paging"]["estimated_total"] == len(body["data"]), body
