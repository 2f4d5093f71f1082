"""A state the spec's prose says is final (tests/published_specs/final-state-in-prose/): a kept card CLOSED,
which its state's description says "cannot be undone", or RETIRED, which the changing operation's description
calls "a final action", is changed out of it no more (422, the API's own error form) and keeps its state; a
state said nothing of (PAUSED) is left at will. Answered, a card issuer's card closed was opened again."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "final-state-in-prose",)}


@pytest.fixture(scope="module")
def cards(live):
    yield from bank_client(live, "final-state-in-prose")


def _card(cards) -> str:
    return cards.post("/v2/cards", json={"memo": "lunch"}).json()["token"]


def test_a_state_said_to_be_undoable_is_left_at_will(cards):
    token = _card(cards)
    assert cards.patch(f"/v2/cards/{token}", json={"state": "PAUSED"}).json()["state"] == "PAUSED"
    assert cards.patch(f"/v2/cards/{token}", json={"state": "OPEN"}).json()["state"] == "OPEN"


@pytest.mark.parametrize("final", ["CLOSED", "RETIRED"])
def test_a_state_said_final_is_left_no_more(cards, final):
    token = _card(cards)
    assert cards.patch(f"/v2/cards/{token}", json={"state": final}).json()["state"] == final
    refused = cards.patch(f"/v2/cards/{token}", json={"state": "OPEN", "memo": "again"})
    assert refused.status_code == 422 and final in refused.json()["message"]
    kept = cards.get(f"/v2/cards/{token}").json()
    assert kept["state"] == final and kept["memo"] == "lunch"
    # the same state again, or a change of nothing but the memo, is no leaving
    assert cards.patch(f"/v2/cards/{token}", json={"state": final, "memo": "kept"}).json()["memo"] == "kept"
