"""Where made-up data is from (sandbox/bindings/regions.py): yen, Japan and kana by default, the spec's own
currency, country, language and telephone numbers where its examples show another currency."""

from __future__ import annotations

import random
from pathlib import Path

from sandbox.bindings import load_bank, regions
from sandbox.bindings.fallback import generate

CUSTOMER = {"type": "object", "required": ["name", "phone", "country", "currency", "language", "memo"],
            "properties": {"name": {"type": "string"}, "phone": {"type": "string"}, "country": {"type": "string"},
                           "currency": {"type": "string"}, "language": {"type": "string"}, "memo": {"type": "string"}}}


def spec_with(**examples) -> dict:
    """A spec whose one example names `examples` (a currency, a country) beside the customer drawn."""
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"Customer": CUSTOMER,
                                       "Payment": {"type": "object", "example": {"amount": "10.00", **examples}}}}}


def drawn(spec: dict, count: int = 30) -> list:
    return [generate(spec, CUSTOMER, random.Random(seed)) for seed in range(count)]


def test_a_spec_showing_euros_and_the_netherlands_is_answered_in_them():
    spec = spec_with(currency="EUR", country="NL")
    assert regions.of(spec) == regions.Region("EUR", "NL", "en", "31", False)
    for customer in drawn(spec):
        assert (customer["currency"], customer["country"], customer["language"]) == ("EUR", "NL", "en")
        assert customer["phone"].startswith("+31") and customer["phone"][1:].isdigit()
        assert customer["name"].isascii() and customer["memo"].isascii()


def test_a_currency_alone_names_its_country_and_a_north_american_number_is_a_fictional_one():
    spec = spec_with(currency_code="USD")
    customer = drawn(spec, 1)[0]
    assert (customer["currency"], customer["country"]) == ("USD", "US")
    assert customer["phone"].startswith("+1") and customer["phone"][5:10] == "55501"


def test_a_spec_saying_nothing_or_yen_is_a_japanese_banks():
    for spec in ({}, spec_with(currency="JPY"), spec_with()):
        assert regions.of(spec) is regions.JAPAN
    customers = drawn(spec_with(currency="JPY"), 60)
    assert {c["currency"] for c in customers} == {"JPY"} and {c["country"] for c in customers} == {"JP"}
    assert all(c["phone"].startswith("03-") for c in customers)
    assert any(not c["name"].isascii() for c in customers)  # half-width kana now and then, as a Japanese bank's


def test_a_list_of_every_code_says_nothing_of_the_apis_currency():
    spec = spec_with()
    spec["components"]["schemas"]["Quote"] = {"type": "object", "properties": {
        "currency": {"type": "string", "enum": ["aed", "cad", "eur", "usd"]}}}
    assert regions.of(spec) is regions.JAPAN
    spec = spec_with()
    spec["components"]["schemas"]["Quote"] = {"type": "object", "properties": {
        "currency": {"type": "string", "enum": ["GBP"]}}}
    regions._known.clear()
    assert regions.of(spec).currency == "GBP" and regions.of(spec).country == "GB"


def test_a_currency_whose_default_is_given_in_words_names_the_region():
    """Brex's `Money.currency` has no example nor default, only "Default to USD if not specified" in its
    description: its balances, limits and transfers were drawn in yen, beside a US routing number."""
    api = load_bank(Path(__file__).parent / "published_specs" / "currency-default-in-words")
    assert (regions.of(api.spec).currency, regions.of(api.spec).country) == ("USD", "US")
    for seed in range(10):
        wallet = generate(api.spec, {"$ref": "#/components/schemas/Wallet"}, random.Random(seed))
        assert wallet["balance"]["currency"] == "USD" and wallet.get("owner_country", "US") == "US", wallet
