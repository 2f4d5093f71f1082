"""A state in free text, listed by no enum nor prose, as a kindred schema declares it (tests/published_specs/kindred-states/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kindred-states",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kindred-states")


def test_a_free_text_state_is_one_a_kindred_schema_declares(client):
    """Marqeta's GPA order, `state` a bare string, was made and read back "sample": its program reserve transaction,
    sharing most of its fields, declares `state` PENDING or COMPLETE. An address's two-letter `state` is no such state."""
    made = client.post("/fundingorders", json={"amount": 100, "user_token": "u-1"})
    assert made.status_code == 201 and made.json()["state"] == "PENDING", made.text
    read = client.get(f"/fundingorders/{made.json()['token']}")
    assert read.status_code == 200 and read.json()["state"] == "PENDING", read.text
    address = made.json().get("billing_address") or {}
    assert len(address.get("state", "xx")) <= 2, made.text
