"""What actions make and what they may act on (tests/published_specs/actions-on-final-states/): a settlement
made by a verb that completes (`POST /holds/{id}/settle`) starts in its enum's success state, `COMPLETED`, not
its first, `PENDING`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs",)}


@pytest.fixture(scope="module")
def holds(live):
    yield from bank_client(live, "actions-on-final-states")


def _money(value: str) -> dict:
    return {"amount": {"currency": "EUR", "value": value}}


def _hold(holds, value: str = "100") -> dict:
    return holds.post("/v1/holds", json=_money(value)).json()


def test_what_a_completing_verb_makes_starts_succeeded(holds):
    settled = holds.post(f"/v1/holds/{_hold(holds)['id']}/settle", json=_money("40"))
    assert settled.status_code == 201 and settled.json()["status"] == "COMPLETED"
    assert holds.get(f"/v1/settlements/{settled.json()['id']}").json()["status"] == "COMPLETED"

