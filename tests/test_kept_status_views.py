"""A resource's state read at a path of its own below it (`GET /permits/{id}/status`) is the state the resource
is kept in (tests/published_specs/status-views/): a consent just made `received` was read back `valid` there, the
example's, while its own read said `received` (NextGenPSD2's `GET /v1/consents/{consentId}/status`, and a
payment's `transactionStatus` RCVD answered ACCP at `.../{paymentId}/status`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "status-views",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "status-views")


def test_the_state_read_below_a_resource_is_the_one_it_was_made_in(client):
    made = client.post("/permits", json={"validUntil": "2027-03-01"})
    assert made.status_code == 201, made.text
    permit = made.json()
    assert client.get(f"/permits/{permit['permitId']}").json()["permitStatus"] == permit["permitStatus"]
    status = client.get(f"/permits/{permit['permitId']}/status")
    assert status.status_code == 200, status.text
    assert status.json()["permitStatus"] == permit["permitStatus"] == "received"


def test_the_state_in_an_envelope_is_the_kept_one(client):
    made = client.post("/shipments", json={"weight": 3}).json()["shipment"]
    status = client.get(f"/shipments/{made['id']}/status").json()["shipment"]
    assert status["state"] == made["state"] == "booked"
    assert status["id"] == made["id"]


def test_the_state_of_a_permit_never_made_is_not_found_and_of_one_deleted_its_ending(client):
    made = client.post("/permits", json={}).json()
    never = client.get("/permits/prm-never-made/status")
    assert never.status_code == 404 and set(never.json()) <= {"code", "text"}, never.text
    assert client.delete(f"/permits/{made['permitId']}").status_code == 204
    # (its states name who ended it: deleted by its client, it is `terminatedByTpp`, read on so)
    ended = client.get(f"/permits/{made['permitId']}/status")
    assert ended.status_code == 200 and ended.json()["permitStatus"] == "terminatedByTpp", ended.text
