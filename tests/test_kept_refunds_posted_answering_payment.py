"""A refund posted to an order's refunds and answered with the order
(tests/published_specs/refunds-posted-answering-payment/): `POST /orders/{id}/refunds` of part of it counts in its
`amount_refunded` and leaves it partly refunded, the rest leaves it `refunded`; a refund of more than is left, or of
no money, is refused in the API's own error form, at the operation's 422, and changes nothing. Read as an action
named by a noun, Conekta's order refunded 5000 of 20000 kept `amount_refunded: 0` and a refund of 50000 was taken."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "refunds-posted-answering-payment",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "refunds-posted-answering-payment")


def _ordered(client, amount: int) -> dict:
    made = client.post("/orders", json={"amount": amount, "currency": "MXN"}).json()
    assert made["amount"] == amount and made["amount_refunded"] == 0, made
    return made


def _given_back(order: dict) -> tuple:
    return order["status"], order["amount_refunded"]


def test_a_refund_in_part_counts_and_the_rest_refunds_the_order(client):
    order = _ordered(client, 20000)
    refund = client.post(f"/orders/{order['id']}/refunds", json={"amount": 5000, "reason": "requested_by_client"})
    assert refund.status_code == 200, refund.text
    assert _given_back(refund.json()) == ("partially_refunded", 5000)
    assert _given_back(client.get(f"/orders/{order['id']}").json()) == ("partially_refunded", 5000)
    rest = client.post(f"/orders/{order['id']}/refunds", json={"amount": 15000})
    assert _given_back(rest.json()) == ("refunded", 20000)
    assert _given_back(client.get(f"/orders/{order['id']}").json()) == ("refunded", 20000)


@pytest.mark.parametrize("amount", [15001, 0, -5])
def test_a_refund_beyond_what_is_left_or_of_no_money_is_refused_changing_nothing(client, amount):
    order = _ordered(client, 20000)
    client.post(f"/orders/{order['id']}/refunds", json={"amount": 5000})
    refused = client.post(f"/orders/{order['id']}/refunds", json={"amount": amount})
    assert refused.status_code == 422, refused.text
    assert [(detail["code"], detail["param"]) for detail in refused.json()["details"]] == [("invalid_amount", "amount")]
    assert _given_back(client.get(f"/orders/{order['id']}").json()) == ("partially_refunded", 5000)
