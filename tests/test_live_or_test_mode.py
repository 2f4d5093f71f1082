"""A field that takes a live mode and a trial one (tests/published_specs/live-or-test-mode/: `mode: live | test`, as
Mollie's objects say, and `environment: PRODUCTION | SANDBOX`) is answered in the trial one, shown as an example or
drawn: a sandbox moves no real money. Before, an order made here was answered and read back `mode: live` (the
example's), as if it were; a field of other values (`channel: web | pos`) is answered as before. So is a boolean
named for live mode (`livemode`) false, where the example shows it true (Conekta's orders)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from live_server import bank_client
from sandbox.bindings.fallback import generate

FOLDER = Path(__file__).parent / "published_specs" / "live-or-test-mode"
LIVE_SERVER = {"specs": (FOLDER,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "live-or-test-mode")


def test_an_order_made_here_is_made_in_test_mode(client):
    made = client.post("/orders", json={"total": "12.00"})
    assert made.status_code == 201, made.text
    assert (made.json()["mode"], made.json()["environment"], made.json()["channel"]) == ("test", "SANDBOX", "web")
    assert client.get(f"/orders/{made.json()['id']}").json()["mode"] == "test"
    assert client.get("/orders/ord_7Hq2s").json()["mode"] == "test"  # (the example's own id, read as drawn)


def test_an_order_made_here_says_it_was_not_made_live(client):
    made = client.post("/orders", json={"total": "12.00"})
    assert made.json()["livemode"] is False, made.text
    assert client.get(f"/orders/{made.json()['id']}").json()["livemode"] is False


def test_a_drawn_mode_is_the_trial_one_and_other_enums_are_drawn_as_ever():
    schema = {"type": "string", "enum": ["production", "sandbox"]}
    assert {generate({}, schema, random.Random(seed)) for seed in range(8)} == {"sandbox"}
    assert {generate({}, {"type": "string", "enum": ["web", "pos"]}, random.Random(seed)) for seed in range(8)} == {"web", "pos"}
