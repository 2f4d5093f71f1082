"""A resource put on hold and released by actions of its own, its enum naming the hold `on_hold`
(tests/published_specs/holds-put-on-and-lifted/, as Straddle's charges): held it is read `on_hold`, released it
is where it began."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "holds-put-on-and-lifted",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "holds-put-on-and-lifted")


def test_a_hold_is_on_hold_until_released(client):
    made = client.post("/v1/debits", json={"amount": 1000})
    assert made.status_code == 201, made.text
    debit = made.json()
    assert debit["status"] == "created", debit
    held = client.put(f"/v1/debits/{debit['id']}/hold", json={"reason": "checking"})
    assert held.status_code == 200 and held.json()["status"] == "on_hold", held.text
    assert client.get(f"/v1/debits/{debit['id']}").json()["status"] == "on_hold"
    released = client.put(f"/v1/debits/{debit['id']}/release", json={"reason": "checked"})
    assert released.status_code == 200 and released.json()["status"] == "created", released.text
    assert client.get(f"/v1/debits/{debit['id']}").json()["status"] == "created"
