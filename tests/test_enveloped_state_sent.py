"""A state sent in an envelope is the state made (tests/published_specs/enveloped-state-sent/): a subscription
made with `{"subscription": {"status": "active"}}` is answered and read back active; one made without a status
starts `pending`, the first its enum lists that reads as a beginning. Only a state sent at the top of the body
counted, so Lago's subscription made active was answered pending."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "enveloped-state-sent",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "enveloped-state-sent")


def test_a_state_sent_in_the_envelope_is_the_state_made(client):
    made = client.post("/subscriptions", json={"subscription": {"code": "sub-1", "plan": "gold", "status": "active"}})
    assert made.status_code == 200, made.text
    assert made.json()["subscription"]["status"] == "active"
    assert client.get("/subscriptions/sub-1").json()["subscription"]["status"] == "active"


def test_a_subscription_made_without_a_state_starts_pending(client):
    made = client.post("/subscriptions", json={"subscription": {"code": "sub-2", "plan": "gold"}})
    assert made.json()["subscription"]["status"] == "pending"
    assert client.get("/subscriptions/sub-2").json()["subscription"]["status"] == "pending"
