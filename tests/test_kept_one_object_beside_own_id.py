"""An answer holding its own id at its top is the resource itself, not an envelope of its one object
(tests/published_specs/one-object-beside-own-id/): a session made with an amount and a return URL is read back with
them at its top, and its `payment`, the free-form object of what it leads to, holds none of them. Read as the
session's envelope, KOMOJU's session was read back with `payment: {amount, currency, return_url, mode}`, the
fields sent to make it, where its creation had answered `payment: {}`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "one-object-beside-own-id",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "one-object-beside-own-id")


def test_a_resources_one_object_holds_nothing_sent_to_make_it(client):
    sent = {"amount": 1200, "currency": "JPY", "return_url": "https://shop.example/back"}
    made = client.post("/sessions", json=sent).json()
    read = client.get(f"/sessions/{made['id']}").json()
    assert {key: read[key] for key in sent} == sent, read
    assert read["id"] == made["id"] and read["payment"] == made["payment"], (made, read)
    assert not set(sent) & set(read["payment"] or {}), read
