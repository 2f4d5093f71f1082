"""An action at a path of another version than the read's acts on the kept resource
(tests/published_specs/actions-under-another-version): a bill made and read at `/v2/bills/{id}` and expired at
`POST /bills/{id}/expire!` (Xendit's invoices) is that bill, left `EXPIRED` and read so; an unknown one is 404.
Unrecognised, the expiry answered a drawn bill of another id and amount, and the bill stayed `PENDING`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "actions-under-another-version",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "actions-under-another-version")


def test_an_action_under_an_older_version_acts_on_the_kept_resource(client):
    made = client.post("/v2/bills", json={"external_id": "order-7", "amount": 250000, "currency": "IDR"}).json()
    assert made["status"] == "PENDING"
    expired = client.post(f"/bills/{made['id']}/expire!")
    assert expired.status_code == 200, expired.text
    assert {key: expired.json()[key] for key in ("id", "external_id", "amount", "status")} == {
        "id": made["id"], "external_id": "order-7", "amount": 250000, "status": "EXPIRED"}
    assert client.get(f"/v2/bills/{made['id']}").json()["status"] == "EXPIRED"
    listed = client.get("/v2/bills", params={"external_id": "order-7"}).json()
    assert [(bill["id"], bill["status"]) for bill in listed] == [(made["id"], "EXPIRED")]


def test_an_action_under_an_older_version_refuses_what_was_never_made(client):
    answer = client.post("/bills/bill-never-made/expire!")
    assert answer.status_code == 404, answer.text
    assert answer.json()["error_code"] == "not_found" and "message" in answer.json()
