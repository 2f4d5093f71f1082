"""A DELETE of a resource's path answered `202` with its status and no more (NextGenPSD2's payment cancellation:
`{transactionStatus, _links}`) cancels it: the answer and every later read say its cancelled state (`CANC`, an
ISO 20022 code), at its path and its status path. It had been kept as a deletion, and the payment cancelled read
404 (tests/published_specs/cancelled-by-delete-status)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "cancelled-by-delete-status",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "cancelled-by-delete-status")


def test_a_delete_answering_the_status_cancels_and_keeps_the_resource(client):
    for amount in ("12.50", "99.00"):
        made = client.post("/v1/instructions", json={"amount": amount, "payee": "Corner shop"})
        assert made.status_code == 201, made.text
        made_id = made.json()["instructionId"]
        cancelled = client.delete(f"/v1/instructions/{made_id}")
        assert cancelled.status_code == 202 and cancelled.json()["orderStatus"] == "CANC", cancelled.text
        read = client.get(f"/v1/instructions/{made_id}")
        assert read.status_code == 200, read.text
        assert read.json()["orderStatus"] == "CANC" and read.json()["amount"] == amount
        status = client.get(f"/v1/instructions/{made_id}/status")
        assert status.status_code == 200 and status.json()["orderStatus"] == "CANC", status.text


def test_a_resource_never_made_is_not_cancelled(client):
    assert client.delete("/v1/instructions/ins-never-made").status_code == 404
