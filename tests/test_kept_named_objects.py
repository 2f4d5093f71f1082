"""A related resource named by its id in a creation and answered whole (tests/published_specs/object-named-by-id/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "object-named-by-id",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "object-named-by-id")


def test_an_object_named_by_its_id_is_answered_as_the_one_named(client):
    """Stripe makes an issuing card with `cardholder=ich_...` and answers the cardholder object: it came back with
    a drawn id, so a card's `cardholder.id` was never the cardholder the client made (nor an authorization's
    `card.id` the card), in the creation's answer, its reads and its changes."""
    holder = client.post("/holders", json={"name": "Ada"}).json()
    made = client.post("/badges", json={"holder": holder["id"], "color": "red"})
    assert made.status_code == 200 and made.json()["holder"]["id"] == holder["id"], made.text
    badge = made.json()["id"]
    assert client.get(f"/badges/{badge}").json()["holder"]["id"] == holder["id"]
    changed = client.post(f"/badges/{badge}", json={"color": "blue"}).json()
    assert (changed["holder"]["id"], changed["color"]) == (holder["id"], "blue"), changed
