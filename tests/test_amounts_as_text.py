"""A money object's amount given as text beside its currency (tests/published_specs/amounts-as-text/, whose
`value` says only "a string containing an exact monetary amount", as Mollie's `amount: {currency, value}` does) is
a decimal number: `{currency: EUR, value: "ten"}` is refused in the API's own error object, where it was made and
read back so; a decimal is made as sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from sandbox.bindings.loader import load_bank

FOLDER = Path(__file__).parent / "published_specs" / "amounts-as-text"
LIVE_SERVER = {"specs": (FOLDER,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "amounts-as-text")


def test_an_amount_that_is_no_number_is_refused_and_a_decimal_is_made(client):
    for value in ("ten", "10,00", "", "1e3"):
        refused = client.post("/charges", json={"amount": {"currency": "EUR", "value": value}, "description": "x"})
        assert 400 <= refused.status_code < 500, (value, refused.text)
        assert refused.json()["detail"] and refused.json()["status"] == refused.status_code, refused.text
    made = client.post("/charges", json={"amount": {"currency": "EUR", "value": "12.50"}, "description": "Order 13"})
    assert made.status_code == 201, made.text
    assert client.get(f"/charges/{made.json()['id']}").json()["amount"] == {"currency": "EUR", "value": "12.50"}


def test_check_names_the_amounts_read_as_decimals():
    warnings = load_bank(FOLDER).warnings
    assert any("money object's amount" in w and "decimal" in w for w in warnings), warnings
