"""A reused idempotency key whose documented refusal is the resource itself
(tests/published_specs/duplicate-key-answers-made/): the same key sent again with another body answers 409
with the transfer the first request made, as kept, not one drawn from the schema (Moov documents its
transfers' `409` so: "duplicate X-Idempotency-Key"). A conflict documented as an error stays an error."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from live_server import bank_client
from oauth_flows import client_credentials, create_connector

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "duplicate-key-answers-made",)}


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


def test_a_key_is_each_connectors_own(live, admin):
    """Two connectors sending one key with one body (a fixed test key, an interaction id copied from a guide) make
    two payouts: the second is not answered the first one's payout, which was another client's."""
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
    company = next(a["customer_id"] for a in accounts["accounts"] if a["customer_kind"] == "corporate")
    made = []
    for amount in (10, 10):
        connector = create_connector(admin, **{"class": "self-use", "customer_id": company})
        token = client_credentials(live.url, connector)["access_token"]
        for _ in range(2):  # (each one's own retry still replays its own payout)
            answer = httpx.post(f"{live.url}/banks/duplicate-key-answers-made/payouts", json={"amount": amount},
                                headers={"X-Idempotency-Key": "shared-key", "Authorization": f"Bearer {token}"})
            assert answer.status_code == 201, answer.text
            made.append(answer.json()["payoutID"])
    assert made[0] == made[1] and made[2] == made[3] and made[0] != made[2]
