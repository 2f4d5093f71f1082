"""The moments still ahead of a resource when it is made are not before its making (tests/published_specs/
days-ahead-of-making/): a payment made today, its process and estimated delivery days unsent and drawn, was
answered and read back processed and delivered on days before it was made (Brex's transfer). What a creation
this API reads nowhere makes says it was made when it was (Brex's incoming transfer answered a drawn `created_at`).
A payment is listed as it is read, without a drawn reason of an end it has not reached (Brex's transfer was listed
PROCESSED with a `cancellation_reason`, read without one)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from live_server import BUSINESS_MORNING, bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "days-ahead-of-making",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "days-ahead-of-making")


def test_a_payments_days_ahead_are_not_before_its_making(client):
    for amount in range(1, 7):
        made = client.post("/v1/payments", json={"amount": amount})
        assert made.status_code == 200, made.text
        payment = made.json()
        for key in ("process_date", "estimated_delivery_date"):
            assert payment[key] >= payment["created_at"], payment
        assert client.get(f"/v1/payments/{payment['id']}").json() == payment


def test_what_a_creation_read_nowhere_makes_is_made_now(client):
    now = datetime.fromisoformat(BUSINESS_MORNING).timestamp()  # (the server's clock)
    note = client.post("/v1/notes", json={"text": "hi"}).json()
    assert note["created"] >= now, note
    assert datetime.fromisoformat(note["createdAt"].replace("Z", "+00:00")).timestamp() >= now, note


def test_a_listed_payment_has_no_reason_of_an_end_its_read_has_not(client):
    made = [client.post("/v1/payments", json={"amount": amount}).json()["id"] for amount in (11, 12, 13)]
    listed = {item["id"]: item for item in client.get("/v1/payments").json()["items"]}
    for payment_id in made:
        read = client.get(f"/v1/payments/{payment_id}").json()
        assert "cancellation_reason" not in read, read
        assert listed[payment_id] == read, (listed[payment_id], read)
