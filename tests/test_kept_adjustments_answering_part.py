"""An adjustment of a kept payment answering part of it (tests/published_specs/wallet-payment-adjustments/:
`{reference, state, amount, aggregate}` of a payment read with more) acts on the payment kept under the
client's own reference; a test helper under a prefix of its own (`POST /test/payments/{reference}/approve`)
moves it. Before, the ePayment API's capture was taken for no action at all: each answered a drawn state and
left the payment as made, its approval left it `CREATED`, its cancel never ended it, and the capture's
`modificationAmount` became the payment's amount."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "wallet-payment-adjustments",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "wallet-payment-adjustments")


def _nok(value: int) -> dict:
    return {"currency": "NOK", "value": value}


def _made(client, approved: bool = True) -> str:
    reference = f"order-{uuid.uuid4().hex[:12]}"
    made = client.post("/wallet/v1/payments", json={"amount": _nok(10000), "reference": reference,
                                                    "paymentDescription": "Two books"})
    assert made.status_code == 201 and made.json()["reference"] == reference, made.text
    if approved:
        assert client.post(f"/wallet/v1/test/payments/{reference}/approve").status_code == 200
    return reference


def test_the_test_helper_approves_the_payment_into_its_held_state(client):
    reference = _made(client, approved=False)
    assert client.get(f"/wallet/v1/payments/{reference}").json()["state"] == "CREATED"
    assert client.post(f"/wallet/v1/test/payments/{reference}/approve").status_code == 200
    assert client.get(f"/wallet/v1/payments/{reference}").json()["state"] == "AUTHORIZED"


def test_a_capture_answers_the_payment_kept_and_keeps_its_amount(client):
    reference = _made(client)
    captured = client.post(f"/wallet/v1/payments/{reference}/capture", json={"modificationAmount": _nok(3000)})
    assert captured.status_code == 200, captured.text
    assert captured.json()["reference"] == reference
    assert captured.json()["state"] == "AUTHORIZED" and captured.json()["amount"] == _nok(10000)
    read = client.get(f"/wallet/v1/payments/{reference}").json()
    assert read["state"] == "AUTHORIZED" and read["amount"] == _nok(10000)
    assert read["paymentDescription"] == "Two books"


def test_a_cancel_ends_the_payment_and_nothing_is_captured_after(client):
    reference = _made(client)
    cancelled = client.post(f"/wallet/v1/payments/{reference}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "TERMINATED"
    assert client.get(f"/wallet/v1/payments/{reference}").json()["state"] == "TERMINATED"
    refused = client.post(f"/wallet/v1/payments/{reference}/capture", json={"modificationAmount": _nok(100)})
    assert refused.status_code == 409 and refused.headers["content-type"].startswith("application/problem+json")
    assert set(refused.json()) >= {"type", "title"}


def test_what_was_done_adds_up_and_no_more_is_taken(client):
    reference = _made(client)
    path = f"/wallet/v1/payments/{reference}"
    assert client.get(path).json()["aggregate"] == {"capturedAmount": _nok(0), "refundedAmount": _nok(0)}
    assert client.post(f"{path}/capture", json={"modificationAmount": _nok(3000)}).json()["aggregate"]["capturedAmount"] == _nok(3000)
    beyond = client.post(f"{path}/capture", json={"modificationAmount": _nok(7001)})
    assert beyond.status_code == 400 and set(beyond.json()) >= {"type", "title"}
    assert client.post(f"{path}/capture", json={"modificationAmount": _nok(7000)}).json()["aggregate"]["capturedAmount"] == _nok(10000)
    assert client.get(path).json()["aggregate"] == {"capturedAmount": _nok(10000), "refundedAmount": _nok(0)}


def test_an_adjustment_of_an_unknown_reference_is_the_specs_404(client):
    _made(client)
    refused = client.post("/wallet/v1/payments/order-never-made/capture", json={"modificationAmount": _nok(100)})
    assert refused.status_code == 404 and set(refused.json()) >= {"type", "title"}
