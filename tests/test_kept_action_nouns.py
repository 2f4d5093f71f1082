"""Actions named by nouns (tests/published_specs/action-nouns/): `POST /payments/{id}/captures` captures the
payment as `capture` would, though it answers the action's own id (202), and so do `voids` and `cancellations`;
`comments` names no state and changes none. Read as nouns, each left the payment as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "action-nouns",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "action-nouns")


@pytest.mark.parametrize("action, state", [("captures", "Captured"), ("voids", "Voided"),
                                           ("cancellations", "Cancelled")])
def test_an_action_named_by_its_noun_leaves_the_state_its_verb_names(client, action, state):
    payment = client.post("/payments", json={"amount": 6540}).json()
    accepted = client.post(f"/payments/{payment['id']}/{action}", json={})
    assert accepted.status_code == 202 and "action_id" in accepted.json()
    read = client.get(f"/payments/{payment['id']}").json()
    assert read["status"] == state and read["amount"] == 6540


def test_a_noun_naming_no_state_changes_nothing(client):
    payment = client.post("/payments", json={"amount": 100}).json()
    client.post(f"/payments/{payment['id']}/comments", json={})
    assert client.get(f"/payments/{payment['id']}").json()["status"] == payment["status"]
