"""A discriminator's mapping naming its schemas by their bare names (tests/published_specs/mappings-by-schema-names/):
answers are held to the shape the discriminator's value names. The validator resolved mapping values as references
only, so the alternatives decided: Conekta's cash payment, whose example writes its `reference` as a number, was
answered so under `object: cash_payment`, fitting the open card shape, and its SDK refused every order."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "mappings-by-schema-names",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "mappings-by-schema-names")


def test_an_answer_is_held_to_the_shape_its_discriminator_value_names(client):
    made = client.post("/payments", json={"amount": 1560})
    assert made.status_code == 200, made.text
    method = made.json()["method"]
    assert method["object"] == "cash_payment" and isinstance(method["reference"], str), method


def test_the_served_spec_names_the_mapped_schemas_by_reference(client):
    served = client.get("/openapi.json").json()
    mapping = served["components"]["schemas"]["Method"]["discriminator"]["mapping"]
    assert mapping == {"cash_payment": "#/components/schemas/CashMethod", "card_payment": "#/components/schemas/CardMethod"}
