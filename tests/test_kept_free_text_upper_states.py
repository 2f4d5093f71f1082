"""A state in free text written in capitals (tests/published_specs/free-text-upper-states/): an action's verb
leaves it in its participle in the same case (Square's payment `complete`: `COMPLETED`, not `completed`, which
a client comparing with the API's own states never matches). Runs on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import module_database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines
from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "free-text-upper-states",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "free-text-upper-states")


def test_a_free_text_state_in_capitals_stays_in_capitals(client):
    made = client.post("/charges", json={"amount": 100}).json()
    assert made["status"] == "APPROVED"
    assert client.post(f"/charges/{made['id']}/complete").json()["status"] == "COMPLETED"
    assert client.get(f"/charges/{made['id']}").json()["status"] == "COMPLETED"
    other = client.post("/charges", json={"amount": 5}).json()
    assert client.post(f"/charges/{other['id']}/cancel").json()["status"] == "CANCELED"
