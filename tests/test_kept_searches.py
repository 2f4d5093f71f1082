"""Searches sent as a POST list what was kept (tests/published_specs/kept-searches/): `POST /notes/search` answers
`{notes: [Note], cursor}`, its body paging (`cursor`, `limit`) and filtering (`query.filter.author_email.exact`, a
`created_at` range of `start_at`/`end_at`). Read as no creation and nothing else, it answered its example's drawn
note whatever was written (as Square's customer, catalog and order searches did: tap-square synced 724 made-up
customers and none of the 5 it had made)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kept-searches",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kept-searches")


def _write(client, author: str, title: str) -> dict:
    written = client.post("/notes", json={"title": title, "author_email": author})
    assert written.status_code == 200, written.text
    return written.json()["note"]


def _by(author: str, **paging) -> dict:
    return {**paging, "query": {"filter": {"author_email": {"exact": author}}}}


def test_before_any_note_is_written_the_search_answers_its_example(client):
    # (first in the module: no note is kept yet)
    drawn = client.post("/notes/search", json={})
    assert drawn.status_code == 200, drawn.text
    assert [note["title"] for note in drawn.json()["notes"]] == ["Sample"]


def test_the_search_lists_the_notes_written(client):
    author = f"{uuid.uuid4().hex[:8]}@notes.example.test"
    made = [_write(client, author, "first")["id"], _write(client, author, "second")["id"]]
    found = client.post("/notes/search", json={})
    assert found.status_code == 200, found.text
    listed = [note["id"] for note in found.json()["notes"]]
    assert set(made) <= set(listed) and "Sample" not in {note["title"] for note in found.json()["notes"]}


def test_the_search_pages_by_the_cursor_in_its_body(client):
    author = f"{uuid.uuid4().hex[:8]}@notes.example.test"
    made = [_write(client, author, "one")["id"], _write(client, author, "two")["id"]]
    first = client.post("/notes/search", json=_by(author, limit=1)).json()
    assert [note["id"] for note in first["notes"]] == made[:1] and first["cursor"]
    second = client.post("/notes/search", json=_by(author, limit=1, cursor=first["cursor"])).json()
    assert [note["id"] for note in second["notes"]] == made[1:]
    assert not second.get("cursor")


def test_the_search_filters_by_a_nested_exact_field_and_a_range(client):
    author, other = (f"{uuid.uuid4().hex[:8]}@notes.example.test" for _ in range(2))
    mine, theirs = _write(client, author, "mine"), _write(client, other, "theirs")
    found = client.post("/notes/search", json=_by(author)).json()["notes"]
    assert [(note["id"], note["title"], note["author_email"]) for note in found] == [(mine["id"], "mine", author)]
    assert theirs["id"] not in {note["id"] for note in found}
    since = {"query": {"filter": {"author_email": {"exact": author},
                                  "created_at": {"start_at": "2000-01-01T00:00:00Z", "end_at": "2001-01-01T00:00:00Z"}}}}
    assert client.post("/notes/search", json=since).json()["notes"] == []
    since["query"]["filter"]["created_at"] = {"start_at": "2000-01-01T00:00:00Z"}
    assert [note["id"] for note in client.post("/notes/search", json=since).json()["notes"]] == [mine["id"]]


def test_a_search_body_reads_as_filters_and_bounds():
    from sandbox.bindings.filters import criteria, passes

    body = {"cursor": "c1", "limit": 2, "query": {"filter": {"email_address": {"exact": "a@b.test"},
                                                             "state_filter": {"states": ["OPEN"]},
                                                             "updated_at": {"start_at": "2026-01-01T00:00:00Z",
                                                                            "end_at": "2026-02-01T00:00:00Z"}}}}
    asked = criteria(body)
    assert asked["cursor"] == "c1" and asked["limit"] == 2 and asked["email_address"] == "a@b.test"
    filters = {name: value for name, value in asked.items() if name not in ("cursor", "limit")}
    assert filters["updated_at"] == {"start_at": "2026-01-01T00:00:00Z", "end_at": "2026-02-01T00:00:00Z"}
    note = {"createdat": "2025-06-01T00:00:00Z", "emailaddress": "a@b.test", "state": "OPEN",
            "updatedat": "2026-01-15T09:00:00Z"}
    assert passes(note, filters)  # (the range bounds `updated_at`, not the first field ending in `at`)
    assert not passes({**note, "updatedat": "2026-03-01T00:00:00Z"}, filters)
    assert not passes({**note, "emailaddress": "c@d.test"}, filters)
    assert not passes({**note, "state": "COMPLETED"}, filters)
