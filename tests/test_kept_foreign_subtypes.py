"""An answer names only subtypes its own discriminator maps (tests/published_specs/foreign-subtypes/): an
instrument stored from a `token` was answered, and read back, as a `token`, which no answer subtype is, and strict
deserializers refused it."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "foreign-subtypes",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "foreign-subtypes")


def test_a_request_subtype_the_answer_does_not_map_is_not_echoed(client):
    made = client.post("/instruments", json={"type": "token", "token": "tok_123"})
    assert made.status_code == 201 and made.json()["type"] in ("card", "bank_account"), made.text
    assert client.get(f"/instruments/{made.json()['id']}").json()["type"] in ("card", "bank_account")
