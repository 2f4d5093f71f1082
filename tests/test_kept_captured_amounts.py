"""What a resource says of how much of it was captured follows its capture
(tests/published_specs/captured-amounts/): a debit made captured says all of its amount was
(`amount_captured`), one held says none was, and its capture, in part or whole, says how much, also read back.
Stripe's charge made with `capture=false` answered `captured: false` beside the draw's `amount_captured: 602`,
and kept it when captured for 1500."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "captured-amounts",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "captured-amounts")


def _captured(debit: dict) -> tuple:
    return debit["captured"], debit["amount_captured"]


def test_a_debit_made_says_how_much_of_it_was_captured(client):
    assert _captured(client.post("/debits", data={"amount": "2000"}).json()) == (True, 2000)
    held = client.post("/debits", data={"amount": "2000", "capture": "false"}).json()
    assert _captured(held) == (False, 0)
    assert _captured(client.get(f"/debits/{held['id']}").json()) == (False, 0)


def test_a_capture_says_how_much_it_captured_in_part_or_whole(client):
    part = client.post("/debits", data={"amount": "2000", "capture": "false"}).json()
    assert _captured(client.post(f"/debits/{part['id']}/capture", data={"amount": "1500"}).json()) == (True, 1500)
    assert _captured(client.get(f"/debits/{part['id']}").json()) == (True, 1500)
    whole = client.post("/debits", data={"amount": "2000", "capture": "false"}).json()
    assert _captured(client.post(f"/debits/{whole['id']}/capture").json()) == (True, 2000)
    assert _captured(client.get(f"/debits/{whole['id']}").json()) == (True, 2000)
