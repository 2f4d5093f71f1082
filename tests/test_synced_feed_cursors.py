"""A feed a client syncs by sending back the cursor each answer gave, where every answer requires one
(`next_cursor`, as Plaid's `/transactions/sync` answers it) and the spec's example is opaque or a moment
(tests/published_specs/synced-feed-cursors/): the cursor answered is the sandbox's own, sent back it pages on
from where the feed was (nothing new: empty lists, the same cursor, `has_more` false), and one the sandbox never
gave is refused 400 in the API's error form. The example's cursor was answered on every call, one sent back
answered the first page again, and a cursor made up was taken."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

FOLDER = Path(__file__).parent / "published_specs" / "synced-feed-cursors"
LIVE_SERVER = {"specs": (FOLDER,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "synced-feed-cursors")


def test_a_synced_feed_answers_its_own_cursor_and_pages_on_from_it(client):
    first = client.post("/ledger/entries/sync", json={"ledger_key": "lk-1", "count": 10})
    assert first.status_code == 200, first.text
    cursor = first.json()["next_cursor"]
    assert cursor and cursor != "eyJvZmZzZXQiOjQyfQ+Zm9vYmFyYmF6/cXV4", first.json()
    assert first.json()["has_more"] is False and first.json()["added"], first.json()
    again = client.post("/ledger/entries/sync", json={"ledger_key": "lk-1", "count": 10, "cursor": cursor})
    assert again.status_code == 200, again.text
    page = again.json()
    assert (page["added"], page["modified"], page["removed"], page["has_more"]) == ([], [], [], False), page
    assert page["next_cursor"] == cursor


def test_a_cursor_the_feed_never_gave_is_refused_in_the_apis_error_form(client):
    refused = client.post("/ledger/entries/sync", json={"ledger_key": "lk-1", "cursor": "made-up-cursor"})
    assert refused.status_code == 400, refused.text
    assert set(refused.json()) == {"fault_kind", "fault_code", "fault_message"}, refused.json()
    assert "cursor" in refused.json()["fault_message"]


def test_a_feed_whose_example_cursor_is_a_moment_answers_its_own_too(client):
    first = client.get("/meters/readings").json()
    assert first["next_cursor"] != "2024-05-01T10:00:00Z" and first["readings"], first
    page = client.get("/meters/readings", params={"cursor": first["next_cursor"]}).json()
    assert page == {"readings": [], "next_cursor": first["next_cursor"]}, page
    assert client.get("/meters/readings", params={"cursor": "2024-05-01T10:00:00Z"}).status_code == 400


def test_each_answer_names_its_own_request_where_its_field_says_it_identifies_the_request(client):
    answers = [client.post("/ledger/entries/sync", json={"ledger_key": "lk-2"}) for _ in range(2)]
    ids = [answer.json()["request_id"] for answer in answers]
    assert ids == [answer.headers["x-request-id"] for answer in answers] and len(set(ids)) == 2, ids
