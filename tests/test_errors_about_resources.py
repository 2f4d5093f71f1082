"""An error that may describe the resource it is about, and a resource that may hold its last error
(tests/published_specs/errors-about-resources/): a payment whose drawn error holds a payment is made, not a 500; one
never made is refused 404 with the code the spec's prose names for it, its kind and message, and no payment. Stripe's
404 of `GET /v1/charges/ch_nope` held a drawn `payment_intent`, `payment_method`, `setup_intent` and `source`, each
holding a drawn error holding them again, five levels down (12 kB), as the intent's `last_payment_error` is an
error."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "errors-about-resources",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "errors-about-resources")


def test_a_payment_holding_an_error_about_a_payment_is_made(client):
    made = client.post("/payments", data={"amount": "100"})
    assert made.status_code == 200, made.text
    assert client.get(f"/payments/{made.json()['id']}").json()["amount"] == 100


def test_a_missing_resource_is_refused_without_a_drawn_one(client):
    refused = client.get("/payments/pay_nope")
    assert refused.status_code == 404
    error = refused.json()["error"]
    assert set(error) <= {"code", "message", "param", "type"}, error
    assert error["code"] == "resource_missing" and error["type"] == "invalid_request_error"
