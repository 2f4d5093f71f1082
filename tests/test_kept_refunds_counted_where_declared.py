"""A refund counts in what it gives back where that one's schema declares the money refunded of it and the draw
left it out (tests/published_specs/refunds-counted-where-declared/): a tender refunded 300, then 200, of 1000
says `refunded_money` 300, then 500, in its currency, and lists each refund's id in its `refund_ids`. Square's
payment, whose example has no `refunded_money`, was read back without it, and without its `refund_ids`, after
two refunds."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "refunds-counted-where-declared",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "refunds-counted-where-declared")


def _refund(client, tender: str, amount: int) -> str:
    body = {"idempotency_key": str(uuid.uuid4()), "tender_id": tender, "amount_money": {"amount": amount, "currency": "USD"}}
    return client.post("/refunds", json=body).json()["refund"]["id"]


def test_a_tender_refunded_says_how_much_was_and_by_which_refunds(client):
    made = client.post("/tenders", json={"idempotency_key": str(uuid.uuid4()),
                                         "amount_money": {"amount": 1000, "currency": "USD"}}).json()["tender"]
    assert "refunded_money" not in made and "refund_ids" not in made, made
    first = _refund(client, made["id"], 300)
    tender = client.get(f"/tenders/{made['id']}").json()["tender"]
    assert (tender["refunded_money"], tender["refund_ids"]) == ({"amount": 300, "currency": "USD"}, [first]), tender
    second = _refund(client, made["id"], 200)
    tender = client.get(f"/tenders/{made['id']}").json()["tender"]
    assert (tender["refunded_money"], tender["refund_ids"]) == ({"amount": 500, "currency": "USD"}, [first, second])
