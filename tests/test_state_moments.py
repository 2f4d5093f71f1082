"""A resource's moments named for its states (`terminated_at`, `canceled_at`, `status_transitions.voided_at`)
say when it reached them (tests/published_specs/state-moments/): a new one has reached none but the one it is in
(null, or left out where its schema takes no null), and an action leaving it in one says the sandbox's now. Drawn
from the examples, Lago's subscription terminated today was answered `terminated_at` 2022-09-14, and a pending one
was already canceled and terminated then."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "state-moments",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "state-moments")


def _now(reply) -> datetime:
    return datetime.fromisoformat(reply.headers["x-sandbox-time"])


def test_a_new_resource_has_reached_no_other_state(client):
    made = client.post("/leases", json={"plot": "7"})
    assert made.status_code == 201, made.text
    lease = made.json()
    assert lease["status"] == "pending"
    assert lease["canceled_at"] is None and lease["terminated_at"] is None, lease
    assert "closed_on" not in lease  # (its schema takes no null, and does not require it)
    assert lease["status_transitions"]["voided_at"] is None, lease


def test_an_action_says_when_it_left_the_resource_in_its_state(client):
    made = client.post("/leases", json={"plot": "8"}).json()
    canceled = client.post(f"/leases/{made['id']}/cancel")
    assert canceled.status_code == 200, canceled.text
    assert canceled.json()["status"] == "canceled"
    at = datetime.fromisoformat(canceled.json()["canceled_at"].replace("Z", "+00:00"))
    assert abs((at - _now(canceled)).total_seconds()) < 5, (at, canceled.headers)
    assert canceled.json()["terminated_at"] is None
    read = client.get(f"/leases/{made['id']}").json()
    assert read["canceled_at"] == canceled.json()["canceled_at"], read
    other = client.post("/leases", json={"plot": "9"}).json()
    voided = client.post(f"/leases/{other['id']}/void")
    assert voided.json()["status"] == "void", voided.text
    assert abs(voided.json()["status_transitions"]["voided_at"] - _now(voided).timestamp()) < 5, voided.json()
    assert voided.json()["canceled_at"] is None  # (a state it never reached)
