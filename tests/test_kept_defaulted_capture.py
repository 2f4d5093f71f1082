"""A creation's flag to complete what it makes at once, left out, is its default
(tests/published_specs/defaulted-capture/): a debit whose `capture` "Defaults to `true`" is made succeeded and
captured, one sent `capture=false` is held (its enum has no held state: succeeded, `captured` false); a hold
whose `auto_capture` is `default: false` is made authorized; a booking whose `confirm` defaults to false is in
its first state, not held."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "defaulted-capture",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "defaulted-capture")


def test_a_debit_sent_no_capture_is_captured_as_its_default_says(client):
    made = client.post("/debits", data={"amount": "100"}).json()
    assert made["status"] == "succeeded" and made["captured"] is True
    assert client.get(f"/debits/{made['id']}").json()["status"] == "succeeded"


def test_a_debit_sent_capture_false_is_held_uncaptured(client):
    made = client.post("/debits", data={"amount": "100", "capture": "false"}).json()
    assert made["status"] == "succeeded" and made["captured"] is False
    kept = client.get(f"/debits/{made['id']}").json()
    assert kept["status"] == "succeeded" and kept["captured"] is False
    captured = client.post(f"/debits/{made['id']}/capture").json()
    assert captured["status"] == "succeeded" and captured["captured"] is True
    assert client.get(f"/debits/{made['id']}").json()["captured"] is True


def test_a_hold_whose_capture_defaults_to_false_is_authorized(client):
    assert client.post("/holds", json={"amount": 100}).json()["status"] == "authorized"
    assert client.post("/holds", json={"amount": 100, "auto_capture": True}).json()["status"] == "settled"


def test_a_booking_not_confirmed_is_in_its_first_state(client):
    assert client.post("/bookings", data={}).json()["status"] == "requires_confirmation"
    assert client.post("/bookings", data={"confirm": "false"}).json()["status"] == "requires_confirmation"
    assert client.post("/bookings", data={"confirm": "true"}).json()["status"] == "succeeded"
