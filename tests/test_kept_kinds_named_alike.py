"""A creation under a test-helper prefix, of a kind read under the same noun as another (tests/published_specs/kinds-named-alike/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kinds-named-alike",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kinds-named-alike")


def test_a_creation_is_kept_as_the_kind_it_answers_not_another_named_alike(client):
    """Stripe's `create_force_capture` test helper made an issuing transaction that its read then answered drawn
    (another amount, another card): it was taken for a treasury transaction, and kept as nothing."""
    made = client.post("/v1/test_helpers/cards_product/entries/make_refund", json={"amount": 777})
    assert made.status_code == 200 and made.json()["amount"] == 777, made.text
    read = client.get(f"/v1/cards_product/entries/{made.json()['id']}")
    assert read.status_code == 200 and read.json()["amount"] == 777, read.text
