"""A creation moving money from the source it names to the destination it names, by an amount of nothing or less,
is refused in the API's own error form (tests/published_specs/amounts-moved-between-ends): a transfer of -5.00
USD between two funding sources was made (201), its amount's free text bounded by nothing. One naming no ends (a
ledger's adjustment) takes a negative amount still."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "amounts-moved-between-ends",)}
ENDS = {"source": {"href": "https://api.payouts.example/funding-sources/fs-1"},
        "destination": {"href": "https://api.payouts.example/funding-sources/fs-2"}}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "amounts-moved-between-ends")


@pytest.mark.parametrize("value", ["-5.00", "0", "0.00"])
def test_a_transfer_of_nothing_or_less_is_refused_in_the_apis_words(client, value):
    answer = client.post("/transfers", json={"_links": ENDS, "amount": {"currency": "USD", "value": value}})
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "ValidationError", answer.json()
    assert "amount.value" in answer.json()["message"]


def test_a_transfer_of_a_positive_amount_is_made(client):
    answer = client.post("/transfers", json={"_links": ENDS, "amount": {"currency": "USD", "value": "0.01"}})
    assert answer.status_code == 201, answer.text


def test_a_payout_of_less_than_nothing_is_its_declared_422(client):
    answer = client.post("/payouts", json={"sourceID": "pm_source_0001", "destinationID": "pm_destination_01",
                                           "amount": -500})
    assert answer.status_code == 422, answer.text
    assert client.post("/payouts", json={"sourceID": "pm_source_0001", "destinationID": "pm_destination_01",
                                         "amount": 500}).status_code == 201


def test_an_amount_naming_no_ends_may_be_negative(client):
    answer = client.post("/adjustments", json={"amount": {"currency": "USD", "value": "-5.00"}, "memo": "refund"})
    assert answer.status_code == 201, answer.text
