"""Payments held by the order they pay (tests/published_specs/payments-held-by-orders/): a refund made under a
capture starts in its enum's success state; a resource's HATEOAS links point at the sandbox, at its own id; an
authorization fully captured is captured and voided no more (422, `details` filled); and a basket holding the
lists of authorizations, captures and refunds answers their current states, those made under them too."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs",)}


@pytest.fixture(scope="module")
def shop(live):
    yield from bank_client(live, "payments-held-by-orders")


def _money(value: str) -> dict:
    return {"currency_code": "EUR", "value": value}


def _basket(shop, intent: str) -> dict:
    made = shop.post("/v9/baskets", json={"intent": intent, "lots": [{"amount": _money("100.00")}]}).json()
    return shop.post(f"/v9/baskets/{made['id']}/{intent.lower()}").json()


def _payments(basket: dict) -> dict:
    return basket["lots"][0]["payments"]


def test_a_refund_made_under_a_capture_starts_completed(shop):
    capture = _payments(_basket(shop, "CAPTURE"))["captures"][0]
    refund = shop.post(f"/v9/payments/captures/{capture['id']}/refund", json={"amount": _money("40.00")})
    assert refund.status_code == 201 and refund.json()["status"] == "COMPLETED"
    assert shop.get(f"/v9/payments/refunds/{refund.json()['id']}").json()["status"] == "COMPLETED"
