"""A creation that says when its resource starts makes it running where that is now or past, waiting where it is
later (tests/published_specs/started-when-sent/): Lago's `POST /subscriptions` with no `subscription_at` ("The
start date for the subscription"; left out, now) and Square's with no `start_date` were answered `pending`, the
state of one waiting to start, with the example's start of 2022."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "started-when-sent",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "started-when-sent")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_creation_sent_no_start_starts_now(client):
    made = client.post("/memberships", json={"membership": {"external_id": "m-1"}})
    assert made.status_code == 200, made.text
    membership = made.json()["membership"]
    now = datetime.fromisoformat(made.headers["x-sandbox-time"])
    assert membership["status"] == "active", membership
    assert abs((_moment(membership["membership_at"]) - now).total_seconds()) < 5, membership
    assert abs((_moment(membership["started_at"]) - now).total_seconds()) < 5, membership
    assert client.get("/memberships/m-1").json()["membership"]["status"] == "active"


def test_a_creation_starting_later_waits_and_one_started_before_runs(client):
    later = client.post("/memberships", json={"membership": {"external_id": "m-2", "membership_at": "2099-01-01T00:00:00Z"}})
    assert later.json()["membership"]["status"] == "pending", later.text
    assert later.json()["membership"]["started_at"] is None and later.json()["membership"]["membership_at"] == "2099-01-01T00:00:00Z"
    before = client.post("/memberships", json={"membership": {"external_id": "m-3", "membership_at": "2020-01-01T00:00:00Z"}})
    assert before.json()["membership"]["status"] == "active", before.text
    assert _moment(before.json()["membership"]["started_at"]) == _moment("2020-01-01T00:00:00Z")


def test_a_start_date_sent_or_not_says_whether_it_runs(client):
    assert client.post("/rentals", json={"plot": "4"}).json()["status"] == "ACTIVE"
    assert client.post("/rentals", json={"plot": "5", "start_date": "2099-03-01"}).json()["status"] == "PENDING"
