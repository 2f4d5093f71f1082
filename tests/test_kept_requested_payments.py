"""A payment requested of a payer (tests/published_specs/requested-payments) asks for more than nothing, and is
refunded only once paid: a payment request or a refund of -5 or 0 in a currency is refused in the API's own
error form (a refund of them too), and a refund of one still waiting for its payer (`REQUIRES_ACTION`) or failed is refused
`invalid_state`, making nothing; paid, it is refunded in part, then the rest, and not beyond. Xendit's payment
request of -5 IDR was made, and refunds of one never paid summed up to all of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "requested-payments",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "requested-payments")


def _requested(client, amount=100000) -> dict:
    answer = client.post("/payment_requests", json={"reference_id": "order-1", "currency": "IDR", "amount": amount})
    assert answer.status_code == 201, answer.text
    return answer.json()


@pytest.mark.parametrize("amount", [-5, 0, -0.5])
def test_a_payment_request_of_nothing_or_less_is_refused(client, amount):
    answer = client.post("/payment_requests", json={"currency": "IDR", "amount": amount})
    assert answer.status_code == 400, answer.text
    assert answer.json()["error_code"] == "invalid_request" and "amount" in answer.json()["message"]


def test_a_refund_of_a_payment_not_paid_is_refused_and_makes_nothing(client):
    waiting = _requested(client)
    assert waiting["status"] == "REQUIRES_ACTION"
    for body in ({"payment_request_id": waiting["payment_request_id"], "amount": 1000},
                 {"payment_request_id": waiting["payment_request_id"]}):
        answer = client.post("/refunds", json=body)
        assert answer.status_code == 422, answer.text
        assert answer.json()["error_code"] == "invalid_state"
        assert "REQUIRES_ACTION" in answer.json()["message"]
    paid = client.post(f"/payment_requests/{waiting['payment_request_id']}/pay").json()
    assert paid["status"] == "SUCCEEDED"
    whole = client.post("/refunds", json={"payment_request_id": paid["payment_request_id"]})
    assert whole.status_code == 200 and whole.json()["amount"] == 100000, whole.text  # (nothing was taken before)


def test_a_paid_payment_is_refunded_in_part_then_the_rest_and_not_beyond(client):
    made = _requested(client, 100000)
    client.post(f"/payment_requests/{made['payment_request_id']}/pay")
    part = client.post("/refunds", json={"payment_request_id": made["payment_request_id"], "amount": 30000})
    assert part.status_code == 200 and part.json()["amount"] == 30000, part.text
    rest = client.post("/refunds", json={"payment_request_id": made["payment_request_id"]})
    assert rest.status_code == 200 and rest.json()["amount"] == 70000, rest.text
    beyond = client.post("/refunds", json={"payment_request_id": made["payment_request_id"], "amount": 1})
    assert beyond.status_code == 400 and beyond.json()["error_code"] == "invalid_amount", beyond.text
    assert client.get(f"/refunds/{part.json()['refund_id']}").json()["amount"] == 30000


@pytest.mark.parametrize("amount", [-5, 0])
def test_a_refund_of_nothing_or_less_is_refused(client, amount):
    made = _requested(client, 1000)
    client.post(f"/payment_requests/{made['payment_request_id']}/pay")
    answer = client.post("/refunds", json={"payment_request_id": made["payment_request_id"], "amount": amount})
    assert answer.status_code == 400 and answer.json()["error_code"] == "invalid_request", answer.text
    whole = client.post("/refunds", json={"payment_request_id": made["payment_request_id"]})
    assert whole.json()["amount"] == 1000, whole.text  # (what was refused took nothing, nor gave any back)
