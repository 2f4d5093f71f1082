"""An amount sent under a name saying what it is for is the amount of what is made
(tests/published_specs/qualified-sent-amounts/): a reversal of 1000 of a transfer, sent as `refund_amount`, was
answered, and kept, with the example's amount of 150."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "qualified-sent-amounts",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "qualified-sent-amounts")


def test_an_amount_sent_under_a_qualified_name_is_the_amount_made(client):
    payment = client.post("/payments", json={"amount": 2500}).json()
    made = client.post(f"/payments/{payment['id']}/give_backs", json={"give_back_amount": 1000, "note": "late"})
    assert made.status_code == 201, made.text
    assert made.json()["amount"] == 1000 and made.json()["note"] == "late", made.json()
    listed = client.get(f"/payments/{payment['id']}/give_backs").json()["data"]
    assert [item["amount"] for item in listed] == [1000], listed
