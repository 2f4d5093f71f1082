"""A query parameter naming an account (`storeAccount`) names what a read is about, as the others do
(tests/published_specs/account-named-queries): Adyen's `GET /storedPaymentMethods?merchantAccount=M&
shopperReference=S` answered the shopper sent and the example's `YOUR_MERCHANT_ACCOUNT`, the name being read as
one that shapes a page (it ends in `count`, as `count` does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "account-named-queries",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "account-named-queries")


def test_the_account_a_read_names_is_answered(client):
    answer = client.get("/savedCards", params={"storeAccount": "KioskWest", "holderReference": "h-7"})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["storeAccount"], answer.json()["holderReference"]) == ("KioskWest", "h-7")
