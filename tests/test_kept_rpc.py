"""Kept resources of an RPC-style API (tests/published_specs/kept-rpc/): a customer made is read back by the
code its read's path names (`/customer/{code}` reads `customer_code`, not the numeric `id`), with what was
sent to make it in the read's envelope, and a call named
by a verb beside the kind's path that is no making verb (`/customer/flag`, Paystack's `set_risk_action`) makes
no new customer."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kept-rpc",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kept-rpc")


def test_a_customer_is_read_back_by_the_code_its_read_names(client):
    made = client.post("/customer", json={"email": "ada@example.org", "phone": "+81-3-1234-5678"}).json()["data"]
    read = client.get(f"/customer/{made['customer_code']}").json()["data"]
    assert read["email"] == "ada@example.org" and read["customer_code"] == made["customer_code"]
    assert read["id"] == made["id"]
    # sent bare, answered in an envelope that left it out, read in the envelope: as sent
    assert "phone" not in made and read["phone"] == "+81-3-1234-5678"


def test_a_call_acting_on_a_customer_makes_no_new_one(client):
    made = client.post("/customer", json={"email": "bo@example.org"}).json()["data"]
    before = [c["customer_code"] for c in client.get("/customer").json()["data"]]
    assert client.post("/customer/flag", json={"customer": made["customer_code"], "flag": "deny"}).status_code == 200
    after = [c["customer_code"] for c in client.get("/customer").json()["data"]]
    assert after == before and made["customer_code"] in after
