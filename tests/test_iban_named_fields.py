"""An IBAN a request sends in a field named for one (tests/published_specs/iban-named-fields/): finAPI declares
`counterpartIban` as plain text, and a money transfer to `XX00BAD` had been made; its check digits (ISO 13616)
are the bank's first check of a payee, refused in the spec's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "iban-named-fields",)}

PAYMENT = {"accountId": 1, "counterpartName": "Alice Example", "amount": 12.3}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "iban-named-fields")


@pytest.mark.parametrize("iban", ["DE13700800000061110500", "GB82 WEST 1234 5698 7654 32", "fi2112345600000785"])
def test_a_payment_to_a_well_formed_iban_is_made(client, iban):
    made = client.post("/payments", json={**PAYMENT, "counterpartIban": iban})
    assert made.status_code == 201, made.text


@pytest.mark.parametrize("iban", ["XX00BAD", "DE13700800000061110501", "DE1370080000006111050", "not an iban"])
def test_a_payment_to_an_iban_whose_check_digits_fail_is_refused_and_not_made(client, iban):
    before = client.get("/payments").json()["payments"]
    refused = client.post("/payments", json={**PAYMENT, "counterpartIban": iban})
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["code"] in ("BAD_REQUEST", "UNKNOWN_ENTITY"), refused.text
    message = refused.json()["errors"][0]["message"]
    assert "counterpartIban" in message and "well-formed IBAN" in message, message
    assert client.get("/payments").json()["payments"] == before
