"""A payment naming only how its payer pays (tests/published_specs/paid-with-details/: `payment_details`, the
caller the payee) moves money one way, from the payer: one of 0 yen or less is refused in the API's own error form
(its 422) and makes nothing, as a movement naming both its ends is; one of 1 yen and more is made. Taken as the
schema allowed, KOMOJU's payment of -5 yen was made and answered `captured`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "paid-with-details",)}
CARD = {"type": "credit_card", "number": "4111111111111111"}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "paid-with-details")


@pytest.mark.parametrize("amount", [-5, 0])
def test_a_payment_of_no_money_is_refused_and_makes_nothing(client, amount):
    before = client.get("/payments").json()["total"]
    refused = client.post("/payments", json={"amount": amount, "currency": "JPY", "payment_details": CARD})
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "invalid_request"
    assert "amount" in refused.json()["error"]["message"]
    assert client.get("/payments").json()["total"] == before


def test_a_payment_of_money_is_made(client):
    made = client.post("/payments", json={"amount": 1, "currency": "JPY", "payment_details": CARD})
    assert made.status_code == 200 and made.json()["amount"] == 1, made.text
