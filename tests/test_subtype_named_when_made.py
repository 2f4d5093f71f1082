"""A resource made by naming its kind in a discriminator is answered as that kind's subtype
(tests/published_specs/subtype-named-when-made): a base schema mapping each kind to a subtype extending it, or a
`oneOf` of the kinds named by their schemas. The first subtype was drawn whatever was sent: a book payment came
back an ACH payment, with that kind's fields and none of its own (Unit's `POST /payments`), and its SDK read the
wrong class."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "subtype-named-when-made",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "subtype-named-when-made")


@pytest.mark.parametrize("kind, own", [("wirePayment", "imad"), ("cardPayment", "merchant"),
                                       ("bookPayment", "counterpartyAccount")])
def test_a_payment_is_answered_as_the_subtype_its_body_named(client, kind, own):
    made = client.post("/payments", json={"data": {"type": kind, "attributes": {"amount": 1500}}})
    assert made.status_code == 201, made.text
    data = made.json()["data"]
    assert data["type"] == kind and own in data["attributes"], data


@pytest.mark.parametrize("kind, own", [("Foreign", "swift"), ("Domestic", "sortCode")])
def test_a_choice_of_kinds_is_answered_as_the_one_named(client, kind, own):
    made = client.post("/transfers", json={"kind": kind, "amount": 700})
    assert made.status_code == 201, made.text
    assert made.json()["kind"] == kind and own in made.json(), made.json()
