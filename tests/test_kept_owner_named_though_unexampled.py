"""A resource made under its owner's path (tests/published_specs/owner-named-though-unexampled/): `POST
/members/{memberId}/orders` answers an order whose schema declares `memberId`, though the first example leaves
it out (Mollie's `POST /v2/customers/{customerId}/payments`). The answer, and the order read back, name the
member it was made for. Runs on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import module_database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines
from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "owner-named-though-unexampled",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "owner-named-though-unexampled")


def test_an_order_made_under_a_member_names_it(client):
    member = client.post("/members", json={"name": "Ann"}).json()
    made = client.post(f"/members/{member['id']}/orders", json={"amount": "3.00", "description": "tea"})
    assert made.status_code == 201
    order = made.json()
    assert order["memberId"] == member["id"]
    assert client.get(f"/orders/{order['id']}").json()["memberId"] == member["id"]
