"""A reused idempotency key whose documented conflict answer is the resource made under it, in a form the
resource was not first answered in (tests/published_specs/conflict-in-another-form/): the key reused with
another request is refused 409 in the API's error form, never a 500. Answered with the short form under the
full one's status, Moov's refund failed the spec's schema."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "conflict-in-another-form",)}
TRANSFER = "78a63ef0-827b-4cec-9595-d79b3485680c"


@pytest.fixture(scope="module")
def refunds(live):
    yield from bank_client(live, "conflict-in-another-form")


def test_a_key_reused_with_another_request_is_refused_not_failed(refunds):
    key = str(uuid.uuid4())
    first = refunds.post(f"/transfers/{TRANSFER}/refunds", json={"amount": 5}, headers={"x-idempotency-key": key})
    assert first.status_code == 200
    again = refunds.post(f"/transfers/{TRANSFER}/refunds", json={"amount": 5}, headers={"x-idempotency-key": key})
    assert again.status_code == 200 and again.json() == first.json()
    other = refunds.post(f"/transfers/{TRANSFER}/refunds", json={"amount": 7}, headers={"x-idempotency-key": key})
    assert other.status_code == 409, other.text

