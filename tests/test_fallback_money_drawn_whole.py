"""A sum of money is drawn with its amount and its currency wherever it is drawn
(tests/published_specs/money-drawn-whole/): an object whose fields are an amount and a currency, neither required,
drawn deep in an answer is not `{}` (Brex's `Money` in an account's `available_balance`, read by clients as no
balance)."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from sandbox.bindings.fallback import generate

SPEC = yaml.safe_load((Path(__file__).parent / "published_specs" / "money-drawn-whole" / "openapi.yaml").read_text())


def _sums(node, path=""):
    """(where, the object) of each object holding an `amount` or drawn where the spec declares a Money."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("available", "current", "spend"):
                yield f"{path}.{key}", value
            yield from _sums(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _sums(value, f"{path}[{index}]")


def test_a_sum_of_money_deep_in_an_answer_has_its_amount_and_currency():
    schema = SPEC["paths"]["/ledgers"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    found = 0
    for seed in range(5):
        page = generate(SPEC, schema, random.Random(seed), today="2026-12-07")
        for where, money in _sums(page):
            found += 1
            assert money is None or (isinstance(money.get("amount"), int) and isinstance(money.get("currency"), str)), \
                (where, money)
    assert found


def test_a_sum_of_money_is_whole_even_past_the_depth_answers_are_drawn_to():
    money = SPEC["components"]["schemas"]["Money"]
    for depth in (4, 8, 9):
        drawn = generate(SPEC, money, random.Random(depth), depth)
        assert set(drawn) == {"amount", "currency"}, (depth, drawn)
