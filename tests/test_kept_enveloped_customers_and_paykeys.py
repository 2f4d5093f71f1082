"""Enveloped customers and paykeys answered as kept (tests/published_specs/enveloped-customers-and-paykeys/, as
Straddle's): a customer's review holds the customer made, not the example's; a paykey holds a token of its own,
not "sample"; a paykey cancelled, its states naming no cancellation, is `inactive`, not left `pending`; a page's
meta says it is sorted as asked, else by its parameter's default, not `sort_by: sample`; and each answer's
`response_type` says what it holds (`object`, `array`), not a drawn `error` of a paykey made."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "enveloped-customers-and-paykeys",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "enveloped-customers-and-paykeys")


@pytest.fixture(scope="module")
def customer(client):
    made = client.post("/v1/customers", json={"name": "Aiko Mori", "email": "aiko@example.test"})
    assert made.status_code == 201, made.text
    return made.json()["data"]


def _paykey(client, customer, number):
    made = client.post("/v1/bridge/bank_account", json={"customer_id": customer["id"], "account_number": number,
                                                         "routing_number": "021000021"})
    assert made.status_code == 201, made.text
    return made.json()["data"]


def test_a_customers_review_holds_the_customer_made(client, customer):
    review = client.get(f"/v1/customers/{customer['id']}/review")
    assert review.status_code == 200, review.text
    details = review.json()["data"]["customer_details"]
    assert (details["id"], details["name"], details["email"]) == (customer["id"], "Aiko Mori", "aiko@example.test")


def test_a_paykey_holds_a_token_of_its_own(client, customer):
    first, second = _paykey(client, customer, "000111222"), _paykey(client, customer, "000333444")
    assert "sample" not in (first["paykey"], second["paykey"]) and first["paykey"] != second["paykey"], (first, second)
    assert client.get(f"/v1/paykeys/{first['id']}").json()["data"]["paykey"] == first["paykey"]


def test_a_paykey_cancelled_is_out_of_service(client, customer):
    paykey = _paykey(client, customer, "000555666")
    cancelled = client.put(f"/v1/paykeys/{paykey['id']}/cancel", json={"reason": "closed by its owner"})
    assert cancelled.status_code == 200 and cancelled.json()["data"]["status"] == "inactive", cancelled.text
    assert client.get(f"/v1/paykeys/{paykey['id']}").json()["data"]["status"] == "inactive"


def test_a_page_says_how_it_is_sorted(client, customer):
    _paykey(client, customer, "000777888")
    page = client.get("/v1/paykeys", params={"customer_id": customer["id"]}).json()
    assert (page["meta"]["sort_by"], page["meta"]["sort_order"]) == ("created_at", "asc"), page["meta"]
    asked = client.get("/v1/paykeys", params={"sort_by": "label", "sort_order": "desc"}).json()
    assert (asked["meta"]["sort_by"], asked["meta"]["sort_order"]) == ("label", "desc"), asked["meta"]


def test_each_answer_says_what_it_holds(client, customer):
    paykey = _paykey(client, customer, "000999000")
    for answer in (client.get(f"/v1/customers/{customer['id']}"), client.get(f"/v1/customers/{customer['id']}/review"),
                   client.get(f"/v1/paykeys/{paykey['id']}"),
                   client.post("/v1/customers", json={"name": "Ken Abe", "email": "ken@example.test"}),
                   client.put(f"/v1/paykeys/{paykey['id']}/cancel", json={})):
        assert answer.json()["response_type"] == "object", answer.text
    assert client.get("/v1/paykeys").json()["response_type"] == "array"
