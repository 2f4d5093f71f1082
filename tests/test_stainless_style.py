"""Specs as Stainless writes them (tests/published_specs/stainless-style/): a card read at `/cards/{card_token}`
holds its id in `token`, so every card was answered with the example's one token and kept under another; a
list's next-page cursor travels in `X-After-Cursor`, which was always left out, so an SDK's auto-paging stopped
at the first page; a `$ref` with `nullable: true` beside it on a required self-reference (a reversal's
`reversed_by`) had no value that fits, and a deep object with `minProperties` and only optional fields was
drawn `{}` (each a 500); a discriminator whose values name no schema made `check` call a good answer unservable."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.bindings.check import check_folders

from live_server import bank_client

FOLDER = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (FOLDER / "stainless-style",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "stainless-style")


def test_cards_read_by_card_token_each_have_their_own_token_and_keep_their_changes(client):
    made = [client.post("/cards", json={"memo": f"card {n}"}).json() for n in range(3)]
    tokens = [card["token"] for card in made]
    assert len(set(tokens)) == 3, tokens
    assert client.patch(f"/cards/{tokens[0]}", json={"memo": "renamed"}).status_code == 200
    assert [client.get(f"/cards/{token}").json()["memo"] for token in tokens] == ["renamed", "card 1", "card 2"]
    listed = [card["token"] for card in client.get("/cards", params={"page_size": 10}).json()["data"]]
    assert listed[-3:] == tokens, listed


def test_a_page_cursor_in_a_header_leads_to_the_next_page(client):
    made = [client.post("/entries", json={"amount": n}).json()["id"] for n in range(5)]
    seen, params = [], {"per_page": 2}
    for _ in range(10):
        page = client.get("/entries", params=params)
        seen += [entry["id"] for entry in page.json()]
        cursor = page.headers.get("x-after-cursor")
        if not cursor:
            break
        params = {"per_page": 2, "after_cursor": cursor}
    assert seen == made, seen


def test_a_nullable_self_reference_and_a_deep_min_properties_object_are_answered(client):
    answer = client.get("/reversals/rv-1")
    assert answer.status_code == 200, answer.text
    body, depth = answer.json(), 0
    while body["reversed_by"] is not None:
        body, depth = body["reversed_by"], depth + 1
    assert depth < 20
    assert len(answer.json()["papers"]["bundle"]["folder"]["sheet"]["file"]) >= 2


def test_check_serves_every_operation_of_the_folder():
    bank = check_folders([FOLDER / "stainless-style"])["banks"][0]
    assert [row for row in bank["operations"] if row["served_from"] == "unservable"] == []


def test_a_page_says_its_size_as_asked_and_the_count_of_kept_items_in_its_headers(client):
    """`X-Per-Page` echoes `?per_page=` (a header named as a query parameter the request sent), and
    `X-Total-Count` counts the kept resources the list pages through (they were drawn: 474, 911)."""
    made = [client.post("/entries", json={"amount": n}).json()["id"] for n in range(3)]
    page = client.get("/entries", params={"per_page": 2})
    assert page.headers["x-per-page"] == "2"
    assert int(page.headers["x-total-count"]) >= len(made)
    everything = client.get("/entries", params={"per_page": 500})
    assert int(everything.headers["x-total-count"]) == len(everything.json())
