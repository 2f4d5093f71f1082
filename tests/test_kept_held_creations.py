"""A creation told not to complete now (tests/published_specs/held-creations/): a payment sent `autocomplete:
false`, or an intent `capture_method: manual`, is made in its state of being authorized and waiting (`APPROVED`,
of a state in free text its prose lists; `requires_capture`), its card `AUTHORIZED`, and its completing action
moves it on; an intent sent `confirm` is made in the state that says it succeeded."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "held-creations",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "held-creations")


def test_a_payment_not_to_be_completed_now_is_approved_until_completed(client):
    made = client.post("/tenders", json={"amount": 100, "autocomplete": False}).json()["tender"]
    assert made["status"] == "APPROVED" and made["card"]["status"] == "AUTHORIZED"
    assert client.get(f"/tenders/{made['id']}").json()["tender"]["status"] == "APPROVED"
    assert client.post(f"/tenders/{made['id']}/complete").json()["tender"]["status"] == "COMPLETED"
    assert client.get(f"/tenders/{made['id']}").json()["tender"]["status"] == "COMPLETED"


def test_a_payment_completed_when_possible_is_completed(client):
    made = client.post("/tenders", json={"amount": 100, "autocomplete": True}).json()["tender"]
    assert made["status"] == "COMPLETED" and made["card"]["status"] == "CAPTURED"


def test_an_intent_confirmed_at_once_succeeds_or_waits_for_its_capture(client):
    assert client.post("/intents", data={"amount": "100", "confirm": "true"}).json()["status"] == "succeeded"
    held = client.post("/intents", data={"amount": "100", "confirm": "true", "capture_method": "manual"}).json()
    assert held["status"] == "requires_capture"
    assert client.get(f"/intents/{held['id']}").json()["status"] == "requires_capture"
    assert client.post(f"/intents/{held['id']}/capture").json()["status"] == "succeeded"
