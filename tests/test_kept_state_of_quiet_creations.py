"""A resource made by a creation that answers only its id is read back in the state a new one starts in
(tests/published_specs/state-of-quiet-creations/): kept without a state, each read drew one, and a job just made
was read back `failed` or `completed`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "state-of-quiet-creations",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "state-of-quiet-creations")


def test_a_resource_made_quietly_starts_in_its_first_state(client):
    for name in ("a", "b", "c", "d"):
        made = client.post("/jobs", json={"name": name})
        assert made.status_code == 201 and set(made.json()) == {"id"}
        read = client.get(f"/jobs/{made.json()['id']}").json()
        assert read["status"] == "pending" and read["name"] == name


def test_a_state_the_client_sent_is_kept(client):
    made = client.post("/jobs", json={"name": "x", "status": "completed"}).json()
    assert client.get(f"/jobs/{made['id']}").json()["status"] == "completed"
