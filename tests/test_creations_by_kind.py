"""Creations answered from a spec's examples get ids of their own, in the shape and under the name the spec
gives them (tests/published_specs/creations-by-kind/): a URN whose namespace stays (Brazil's open finance
consents), a code named for its resource (Paystack's `customer_code`, read at `/customer/{code}`), an id named
by the read's path parameter under a path of parameters (NextGenPSD2's payments), with the answer's links
and `Location` naming the new resource. Two creations with other bodies are two resources, with or without
an idempotency key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "creations-by-kind",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "creations-by-kind")


def test_two_consents_are_two_urns_of_the_banks_namespace_awaiting_authorisation(client):
    made = [client.post("/consents", json={"permissions": [name]}) for name in ("ACCOUNTS_READ", "RESOURCES_READ")]
    assert all(answer.status_code == 201 for answer in made), [answer.text for answer in made]
    ids = [answer.json()["data"]["consentId"] for answer in made]
    assert ids[0] != ids[1] and all(re.fullmatch(r"urn:bank:[A-Z0-9]+", value) for value in ids), ids
    assert {answer.json()["data"]["status"] for answer in made} == {"AWAITING_AUTHORISATION"}


def test_a_code_named_for_its_resource_is_its_own_and_read_back(client):
    made = [client.post("/customer", json={"email": email}).json()["data"]["customer_code"]
            for email in ("ann@example.com", "ben@example.com")]
    assert made[0] != made[1] and all(code.startswith("CUS_") for code in made), made
    read = client.get(f"/customer/{made[0]}").json()["data"]
    assert read["customer_code"] == made[0], read


def test_a_payment_named_by_its_reads_parameter_links_to_itself(client):
    made = [client.post("/v1/payments/sepa-credit-transfers", json={"amount": amount}) for amount in ("1.00", "2.00")]
    ids = [answer.json()["paymentId"] for answer in made]
    assert ids[0] != ids[1] and "1234-wertiq-983" not in ids, ids
    for answer, own in zip(made, ids):
        assert answer.json()["_links"]["status"]["href"] == \
            f"/banks/creations-by-kind/v1/payments/sepa-credit-transfers/{own}/status", answer.text
        assert answer.headers["location"].endswith(f"/banks/creations-by-kind/v1/payments/sepa-credit-transfers/{own}"), \
            answer.headers
    # Sent again without an idempotency key, the same body makes another payment, as a bank would; under one
    # key, the same request gets the same answer.
    again = client.post("/v1/payments/sepa-credit-transfers", json={"amount": "1.00"})
    assert again.json()["paymentId"] not in ids
    keyed = [client.post("/v1/payments/sepa-credit-transfers", json={"amount": "3.00"}, headers={"X-Request-ID": "same-1"})
             for _ in range(2)]
    assert keyed[0].json()["paymentId"] == keyed[1].json()["paymentId"]


def test_a_list_made_for_what_the_request_names_is_about_it(client):
    """Belvo's `POST /accounts {"link": X}` answers the link's accounts: they named another link."""
    accounts = client.post("/accounts", json={"link": "link-7"})
    assert accounts.status_code == 201 and accounts.json(), accounts.text
    assert {item["link"] for item in accounts.json()} == {"link-7"}, accounts.text


def test_a_creation_whose_example_lacks_its_id_and_status_gets_them(client):
    """PayPal's order creation documents the request as its example: the order came back without an id, and
    its SDK's flow stopped at the first `order.id`."""
    made = [client.post("/v2/checkout/orders", json={"intent": intent}) for intent in ("CAPTURE", "AUTHORIZE")]
    assert all(answer.status_code == 201 for answer in made), [answer.text for answer in made]
    orders = [answer.json() for answer in made]
    assert all(re.fullmatch(r"[A-Z0-9]+", order["id"]) and order["status"] == "CREATED" for order in orders), orders
    assert orders[0]["id"] != orders[1]["id"], orders
    read = client.get(f"/v2/checkout/orders/{orders[0]['id']}")
    assert read.status_code == 200 and read.json()["id"] == orders[0]["id"], read.text


def test_a_drawn_code_takes_the_shape_its_reads_parameter_shows(client):
    """Paystack documents no example for a plan's code, only for the read's path parameter (`PLN_...`): codes
    were drawn as bare letters, which no Paystack client takes for a plan's."""
    made = [client.post("/plan", json={"name": name}).json()["data"]["plan_code"] for name in ("gold", "silver")]
    assert made[0] != made[1] and all(re.fullmatch(r"PLN_[a-z0-9]{15}", code) for code in made), made


def test_a_link_in_an_answer_names_the_resource_the_request_named_under_the_mount(client):
    """NextGenPSD2's cancellation example links to another payment's status, under a `/psd2` prefix the
    sandbox does not serve: a client following `_links` polled the wrong payment, or nothing."""
    cancelled = client.delete("/v1/payments/sepa-credit-transfers/PAY-777")
    assert cancelled.status_code == 202, cancelled.text
    href = cancelled.json()["_links"]["status"]["href"]
    assert href == "/banks/creations-by-kind/v1/payments/sepa-credit-transfers/PAY-777/status", href
    # (the link answers as the payment's read does: a view of a resource is there while the resource is)
    followed = client.get(href.removeprefix("/banks/creations-by-kind"))
    assert followed.status_code == client.get("/v1/payments/sepa-credit-transfers/PAY-777").status_code, followed.text


def test_an_id_drawn_anew_stands_where_another_cannot(client):
    """A creation's second id field fixed by its enum (`widget_code`) cannot be drawn anew: the id beside it
    still is, each id kept where it alone fits."""
    made = [client.post("/widgets", json={"name": name}).json() for name in ("a", "b")]
    assert made[0]["id"] != made[1]["id"] and all(re.fullmatch(r"wdg_\d{7}", w["id"]) for w in made), made
    assert {w["widget_code"] for w in made} == {"WGT_FIXED"}, made
