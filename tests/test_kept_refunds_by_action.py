"""A payment refunded by an action on it (tests/published_specs/refunds-by-action/): `POST /payments/{id}/refund`
of part of it leaves it as it was, listing the refund, and the rest (sent without an amount) leaves it `refunded`,
its refunds adding up to its amount; a refund of more than is left, or of no money, is refused in the API's own
error form and changes nothing; a payment just made lists no refund. Left to the verb alone, KOMOJU's payment of
1000 refunded 300 was answered `refunded`, its next refund of the 700 left refused, a refund of -5 taken, and every
new payment listed a drawn empty refund."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "refunds-by-action",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "refunds-by-action")


def _paid(client, amount: int) -> dict:
    made = client.post("/payments", json={"amount": amount, "currency": "JPY"}).json()
    assert made["amount"] == amount and made["refunds"] == [], made
    return made


def _given_back(payment: dict) -> tuple:
    return payment["status"], [refund["amount"] for refund in payment["refunds"]]


def test_a_refund_in_part_leaves_the_payment_as_it_was_and_the_rest_refunds_it(client):
    paid = _paid(client, 1000)
    state = paid["status"]
    assert _given_back(client.post(f"/payments/{paid['id']}/refund", json={"amount": 300}).json()) == (state, [300])
    assert _given_back(client.get(f"/payments/{paid['id']}").json()) == (state, [300])
    assert _given_back(client.post(f"/payments/{paid['id']}/refund").json()) == ("refunded", [300, 700])
    assert _given_back(client.get(f"/payments/{paid['id']}").json()) == ("refunded", [300, 700])


@pytest.mark.parametrize("amount", [701, 0, -5])
def test_a_refund_beyond_what_is_left_or_of_no_money_is_refused_changing_nothing(client, amount):
    paid = _paid(client, 1000)
    client.post(f"/payments/{paid['id']}/refund", json={"amount": 300})
    refused = client.post(f"/payments/{paid['id']}/refund", json={"amount": amount})
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["code"] == "invalid_amount"
    assert refused.json()["error"]["param"] == "amount"
    assert _given_back(client.get(f"/payments/{paid['id']}").json()) == (paid["status"], [300])
