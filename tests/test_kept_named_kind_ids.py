"""Ids of other kinds a creation did not name (tests/published_specs/named-kind-ids/): a nullable `contact_id`
(the API reads contacts at `/api/1/contacts/{id}`) and what else says of that contact (`contact_code`) are null on
an entry made without one, at its top and in its lines, and read back so (freee's deal made without a partner was
answered and kept the example's `partner_id` 201 and `partner_code` code001, a partner never made); one named is
answered as named, and a nullable text that names nothing stays as drawn."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "named-kind-ids",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "named-kind-ids")


def test_an_entry_made_without_a_contact_names_none(client):
    made = client.post("/api/1/entries", json={"amount": 3300, "lines": [{"amount": 3300}]})
    assert made.status_code == 201, made.text
    entry = made.json()["entry"]
    read = client.get(f"/api/1/entries/{entry['id']}").json()["entry"]
    for answer in (entry, read):
        assert (answer["contact_id"], answer.get("contact_code")) == (None, None), answer
        assert all(line.get("contact_id") is None for line in answer.get("lines") or ()), answer
        assert answer.get("memo") is not None, answer


def test_an_entry_made_with_a_contact_names_it(client):
    entry = client.post("/api/1/entries", json={"amount": 500, "contact_id": 7}).json()["entry"]
    assert entry["contact_id"] == 7
    assert client.get(f"/api/1/entries/{entry['id']}").json()["entry"]["contact_id"] == 7
