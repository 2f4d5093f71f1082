"""The moments of a resource just made keep their places in its life (tests/published_specs/moments-kept-in-place/):
those its client did not send move with its making, from the example's day to now (Lago's subscription made today
answered the example's `ending_at` and `current_billing_period_ending_at` of 2022, long before it started); those
it sent stay as sent."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "moments-kept-in-place",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "moments-kept-in-place")


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_new_resources_moments_follow_its_making(client):
    made = client.post("/memberships", json={"membership": {"member_code": "m1"}}).json()["membership"]
    created = _at(made["created_at"])
    assert made["status"] == "active" and _at(made["joined_at"]) == created
    assert _at(made["period_started_at"]) == created
    assert _at(made["period_ending_at"]) - created == timedelta(days=31)
    assert _at(made["ending_at"]) - created == timedelta(days=61)
    read = client.get(f"/memberships/{made['id']}").json()["membership"]
    assert read["ending_at"] == made["ending_at"]


def test_moments_sent_stay_as_sent(client):
    made = client.post("/memberships", json={"membership": {"member_code": "m2", "ending_at": "2030-01-01T00:00:00Z"}}
                       ).json()["membership"]
    assert made["ending_at"] == "2030-01-01T00:00:00Z"
    assert _at(made["period_ending_at"]) - _at(made["created_at"]) == timedelta(days=31)
