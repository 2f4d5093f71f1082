"""A reused idempotency key whose documented refusal is the resource itself
(tests/published_specs/duplicate-key-answers-made/): the same key sent again with another body answers 409
with the transfer the first request made, as kept, not one drawn from the schema (Moov documents its
transfers' `409` so: "duplicate X-Idempotency-Key"). A conflict documented as an error stays an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "duplicate-key-answers-made")


def test_a_reused_key_answers_the_transfer_made_under_it(client):
    made = client.post("/accounts/acc-1/transfers", json={"amount": 1200, "memo": "first"},
                       headers={"X-Idempotency-Key": "dup-1"})
    assert made.status_code == 201
    first = made.json()
    again = client.post("/accounts/acc-1/transfers", json={"amount": 9900, "memo": "second"},
                        headers={"X-Idempotency-Key": "dup-1"})
    assert again.status_code == 409
    assert again.json() == first
    read = client.get(f"/accounts/acc-1/transfers/{first['transferID']}")
    assert read.status_code == 200 and read.json()["amount"] == 1200


def test_the_same_request_under_its_key_is_still_a_replay(client):
    body = {"amount": 300}
    first = client.post("/accounts/acc-2/transfers", json=body, headers={"X-Idempotency-Key": "dup-2"})
    again = client.post("/accounts/acc-2/transfers", json=body, headers={"X-Idempotency-Key": "dup-2"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["transferID"] == first.json()["transferID"]


def test_a_conflict_documented_as_an_error_stays_an_error(client):
    made = client.post("/payouts", json={"amount": 10}, headers={"X-Idempotency-Key": "dup-3"})
    assert made.status_code == 201
    again = client.post("/payouts", json={"amount": 20}, headers={"X-Idempotency-Key": "dup-3"})
    assert again.status_code == 409
    assert "error" in again.json() and "payoutID" not in again.json()
