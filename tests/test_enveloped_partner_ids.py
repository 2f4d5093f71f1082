"""An id the client gives what it creates, sent in the resource's envelope (tests/published_specs/
enveloped-partner-ids/: `{"user": {"id": ...}}`, the resource's own id being its `guid`), is answered as sent,
and a change of the kept resource keeps the ids it was made with."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "enveloped-partner-ids",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "enveloped-partner-ids")


def test_an_id_sent_in_the_envelope_is_answered_as_sent_and_kept_through_a_change(client):
    made = client.post("/users", json={"user": {"id": "crm-42", "email": "a@example.com"}}).json()["user"]
    assert made["id"] == "crm-42"
    assert client.get(f"/users/{made['guid']}").json()["user"]["id"] == "crm-42"
    changed = client.put(f"/users/{made['guid']}", json={"user": {"email": "b@example.com"}}).json()["user"]
    assert (changed["id"], changed["guid"], changed["email"]) == ("crm-42", made["guid"], "b@example.com")


def test_a_change_keeps_the_ids_drawn_at_the_creation(client):
    made = client.post("/users", json={"user": {"email": "c@example.com"}}).json()["user"]
    changed = client.put(f"/users/{made['guid']}", json={"user": {"email": "d@example.com"}}).json()["user"]
    assert (changed["id"], changed["guid"]) == (made["id"], made["guid"])
    assert client.get(f"/users/{made['guid']}").json()["user"]["id"] == made["id"]
