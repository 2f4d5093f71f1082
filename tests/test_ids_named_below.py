"""A resource made where no GET reads it, known in the paths below by a word-named reference
(tests/published_specs/ids-named-below/: `POST /orders`, then `/orders/{orderBankRef}/refunds`), is answered
with that reference of its own (`bankRef`), one per creation: every order had the example's one, as Adyen's
payments each answered the example's pspReference, and the captures of two payments named one payment."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "ids-named-below",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "ids-named-below")


def test_each_order_has_its_own_reference_and_its_refunds_name_it(client):
    first = client.post("/orders", json={"amount": 5, "shopRef": "B-1"})
    second = client.post("/orders", json={"amount": 5, "shopRef": "B-2"})
    assert first.status_code == second.status_code == 200, (first.text, second.text)
    ours = first.json()["bankRef"], second.json()["bankRef"]
    assert ours[0] != ours[1] and "H7KD93JS02KD8Q1Z" not in ours
    refund = client.post(f"/orders/{ours[0]}/refunds", json={"amount": 2}).json()
    assert refund["orderBankRef"] == ours[0] and refund["bankRef"] not in ours
