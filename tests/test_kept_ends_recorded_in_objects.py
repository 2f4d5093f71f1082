"""A state set by a change, recorded in an object named for it (tests/published_specs/ends-recorded-in-objects/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "ends-recorded-in-objects",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "ends-recorded-in-objects")


def test_a_cancellation_set_by_a_change_is_dated_when_it_was_made(client):
    """Brazil's Pix payment cancelled by `PATCH /pix/payments/{paymentId}` answered, and was read back with, the
    example's `cancellation.cancelledAt` of 2021-05-21, not the moment of the sandbox clock it was cancelled at."""
    made = client.post("/remittances", json={"amount": "10.00"})
    assert made.status_code == 201, made.text
    made = made.json()
    path = f"/remittances/{made['remittanceId']}"
    cancelled = client.patch(path, json={"status": "CANC", "cancellation": {"cancelledBy": "11111111111"}})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "CANC", cancelled.text
    for body in (cancelled.json(), client.get(path).json()):
        assert body["cancellation"]["cancelledBy"] == "11111111111", body
        assert body["cancellation"]["cancelledAt"] >= made["creationDateTime"], body
