"""A field named for the last four digits of a number the client sent holds that number's last four
(tests/published_specs/sent-in-one-field-answered-bare/, `lastFourAccountNumber` beside a sent `accountNumber`):
Moov's bank account linked with the number 0004321567000 said it ended in the example's 6789."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

SLUG = "sent-in-one-field-answered-bare"
LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / SLUG,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, SLUG)


def test_the_last_four_digits_are_those_of_the_number_sent(client):
    sent = {"holderName": "Jane Doe", "accountNumber": "0004321567000", "routingNumber": "123456780",
            "accountKind": "checking"}
    made = client.post("/owners/ow_1/deposit-accounts", json={"account": sent})
    assert made.status_code == 200, made.text
    assert made.json()["lastFourAccountNumber"] == "7000", made.text
    read = client.get(f"/owners/ow_1/deposit-accounts/{made.json()['depositAccountID']}")
    assert read.json()["lastFourAccountNumber"] == "7000", read.text
