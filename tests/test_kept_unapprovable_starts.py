"""A resource whose states name one waiting for an approval that no operation of its API gives
(tests/published_specs/unapprovable-starts: a remittance `PROCESSING, SCHEDULED, PENDING_APPROVAL, FAILED,
PROCESSED`, approved only in a dashboard, as Brex's transfer) is made in the state under way, and read processed
once the sandbox clock has passed its settle time (2 s); it was made PENDING_APPROVAL and stayed so for good. One
its API approves (`POST /payouts/{id}/approve`) is still made waiting for it, and waits."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "unapprovable-starts",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "unapprovable-starts")


def _advance(admin, seconds: int) -> None:
    moved = admin.post("/sandbox/v1/workspaces/default/clock", json={"mode": "advance", "seconds": seconds})
    assert moved.status_code == 200, moved.text


def test_a_remittance_none_approves_is_made_processing_and_read_processed(client, admin):
    made = client.post("/remittances", json={"amount": 1200, "memo": "rent"}).json()
    assert made["status"] == "PROCESSING", made
    assert client.get(f"/remittances/{made['id']}").json()["status"] == "PROCESSING"
    _advance(admin, 3)
    read = client.get(f"/remittances/{made['id']}").json()
    assert read["status"] == "PROCESSED", read
    assert client.get(f"/remittances/{made['id']}").json() == read  # every read says the same


def test_a_payout_its_api_approves_waits_for_its_approval(client, admin):
    made = client.post("/payouts", json={"amount": 500}).json()
    assert made["status"] == "PENDING_APPROVAL", made
    _advance(admin, 3)
    assert client.get(f"/payouts/{made['id']}").json()["status"] == "PENDING_APPROVAL"
