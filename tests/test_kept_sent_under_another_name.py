"""An object sent to make a resource and answered by its read under another name that begins with the same word
(tests/published_specs/sent-under-another-name/): Enable Banking makes a payment from `payment_request` and reads
it as `payment_details`; read as the example's, the payment answered another amount to another creditor."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "sent-under-another-name",)}

SENT = {"amount": "12.30", "creditor_iban": "FI2112345600000785", "creditor_name": "Alice Example"}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "sent-under-another-name")


def test_a_read_answers_what_was_sent_under_the_name_it_reads_it_by(client):
    made = client.post("/transfers", json={"transfer_request": SENT, "note": {"text": "invoice 7"}, "bank": {"name": "Nordic Example", "country": "FI"}})
    assert made.status_code == 201, made.text
    read = client.get(f"/transfers/{made.json()['transfer_id']}")
    assert read.status_code == 200, read.text
    assert {k: v for k, v in read.json()["transfer_details"].items() if k in SENT} == SENT, read.text
    assert read.json()["bank"] == {"name": "Nordic Example", "country": "FI"}
    # an object of another first word is no renaming: `notes` is not the `note` sent
    assert read.json().get("notes") != {"text": "invoice 7"} and "note" not in read.json()
