"""A resource waiting for something by name, given it by an action's body, goes on to its next state; and a request
for a payment wrapped as `{data: {attributes: {...}}}` asks for more than nothing
(tests/published_specs/attached-payment-methods): PayMongo's payment intent, sent a payment method by
`POST /payment_intents/{id}/attach`, stayed `awaiting_payment_method`, and one of -100 centavos was made, as was
a refund of -1000."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "attached-payment-methods",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "attached-payment-methods")


def _intent(client, amount=250000):
    return client.post("/payment_intents", json={"data": {"attributes": {"amount": amount, "currency": "PHP"}}})


def test_an_intent_given_the_payment_method_it_awaits_goes_on_to_its_next_state(client):
    made = _intent(client).json()["data"]
    assert made["attributes"]["status"] == "awaiting_payment_method"
    attached = client.post(f"/payment_intents/{made['id']}/attach",
                           json={"data": {"attributes": {"payment_method": "pm_gcash_1"}}})
    assert attached.status_code == 200, attached.text
    assert attached.json()["data"]["id"] == made["id"]
    assert attached.json()["data"]["attributes"] == {"amount": 250000, "currency": "PHP", "status": "awaiting_next_action"}
    assert client.get(f"/payment_intents/{made['id']}").json()["data"]["attributes"]["status"] == "awaiting_next_action"


def test_an_attach_without_the_payment_method_is_refused_and_moves_nothing(client):
    made = _intent(client).json()["data"]
    refused = client.post(f"/payment_intents/{made['id']}/attach", json={"data": {"attributes": {"return_url": "x"}}})
    assert refused.status_code == 400 and refused.json()["errors"], refused.text
    assert client.get(f"/payment_intents/{made['id']}").json()["data"]["attributes"]["status"] == "awaiting_payment_method"


@pytest.mark.parametrize("amount", [-100, 0])
def test_an_intent_of_nothing_or_less_is_refused_in_the_apis_errors(client, amount):
    refused = _intent(client, amount)
    assert refused.status_code == 400, refused.text
    assert refused.json()["errors"][0]["code"] == "invalid_request"
    assert "data.attributes.amount" in refused.json()["errors"][0]["detail"]


def test_a_refund_of_nothing_or_less_is_refused_whatever_it_names(client):
    refused = client.post("/refunds", json={"data": {"attributes": {"amount": -1000, "payment_id": "pay_1"}}})
    assert refused.status_code == 400, refused.text
    assert "data.attributes.amount" in refused.json()["errors"][0]["detail"]
    made = client.post("/refunds", json={"data": {"attributes": {"amount": 1000, "payment_id": "pay_1"}}})
    assert made.status_code == 200 and made.json()["data"]["attributes"]["amount"] == 1000, made.text
