"""Which way a kept list runs (tests/published_specs/list-order/): newest first where the operation's
description says so (Stripe's "with the most recent customers appearing first"), or where the query asks
(`order=desc`, `sort=-created_at`); else oldest first. Every list ran oldest first: a connector that reads a
newest-first list until it meets its bookmark stopped at the first, oldest, item."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "list-order",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "list-order")


def _texts(answer) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [item["text"] for item in answer.json()["data"]]


def test_a_list_its_spec_says_runs_newest_first_does_and_pages_so(client):
    for text in ("one", "two", "three"):
        client.post("/notes", json={"text": text})
    assert _texts(client.get("/notes")) == ["three", "two", "one"]
    first = client.get("/notes", params={"limit": 2}).json()
    assert [n["text"] for n in first["data"]] == ["three", "two"] and first["has_more"] is True
    rest = client.get("/notes", params={"limit": 2, "starting_after": first["data"][-1]["id"]})
    assert _texts(rest) == ["one"]
    assert _texts(client.get("/notes", params={"order": "asc"})) == ["one", "two", "three"]


def test_a_list_that_says_nothing_runs_oldest_first_unless_asked(client):
    for text in ("a", "b"):
        client.post("/memos", json={"text": text})
    assert _texts(client.get("/memos")) == ["a", "b"]
    assert _texts(client.get("/memos", params={"sort": "-created_at"})) == ["b", "a"]
    assert _texts(client.get("/memos", params={"sort": "created_at"})) == ["a", "b"]
