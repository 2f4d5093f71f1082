"""Integer yen and balanced movements (sandbox.domain.money)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from sandbox.domain.errors import SandboxError
from sandbox.domain.money import MAX_AMOUNT, Leg, Movement, parse_yen, transfer_legs


@pytest.mark.parametrize("value, yen", [
    (1, 1),
    (30_000, 30_000),
    ("1000", 1000),
    ("0001000", 1000),                 # leading zeros, as fixed-width dialects send them
    ("0" * 5000 + "7", 7),             # however many of them
    (MAX_AMOUNT, MAX_AMOUNT),
    (str(MAX_AMOUNT), MAX_AMOUNT),
])
def test_money_parse_yen_accepts_whole_yen(value, yen):
    parsed = parse_yen(value)
    assert parsed == yen and type(parsed) is int


@pytest.mark.parametrize("value", [
    0, "0", -1, -30_000, "-1",
    1.5, 1000.0, float("nan"), float("inf"), Decimal("1000"), Fraction(1000, 1),
    "1,000", "1 000", "1000円", "¥1000", "1e3", "0x10", "+1000", " 1000", "1000 ", "", "1_000",
    "１０００", "١٠٠٠", "²",
    True, False, None, [1000], {"amount": 1000},
    MAX_AMOUNT + 1, str(MAX_AMOUNT + 1), 10**30, "9" * 5000,
])
def test_money_parse_yen_refuses_anything_but_whole_positive_yen(value):
    with pytest.raises(SandboxError) as refused:
        parse_yen(value, "transferAmount")
    assert refused.value.code == "invalid_amount"
    assert refused.value.details == {"field": "transferAmount"}


def test_money_parse_yen_allows_zero_only_when_asked():
    assert parse_yen(0, allow_zero=True) == 0
    assert parse_yen("0", allow_zero=True) == 0
    with pytest.raises(SandboxError):
        parse_yen(-1, allow_zero=True)


def test_money_movement_accepts_balanced_legs():
    movement = Movement("transfer", (Leg("acc_a", -1_000, "ﾌﾘｺﾐ"), Leg("acc_b", 890, "ﾌﾘｺﾐ"), Leg("acc_fee", 110, "ﾃｽｳﾘﾖｳ")))
    assert sum(leg.amount for leg in movement.legs) == 0


@pytest.mark.parametrize("legs, why", [
    ((Leg("acc_a", -1_000, "x"), Leg("acc_b", 999, "x")), "sums to -1"),
    ((Leg("acc_a", 1_000, "x"), Leg("acc_b", 1_000, "x")), "sums to 2,000"),
    ((Leg("acc_a", -1_000, "x"), Leg("acc_b", 1_000, "x"), Leg("acc_c", 1, "x")), "three legs off by one"),
    ((Leg("acc_a", 0, "x"),), "one leg"),
    ((), "no legs"),
    ((Leg("acc_a", -1_000.0, "x"), Leg("acc_b", 1_000.0, "x")), "float legs, even balanced"),
    ((Leg("acc_a", -True, "x"), Leg("acc_b", True, "x")), "boolean legs"),
    ((Leg("acc_a", Decimal("-5"), "x"), Leg("acc_b", Decimal("5"), "x")), "decimal legs"),
])
def test_money_movement_refuses_unbalanced_or_non_integer_legs(legs, why):
    with pytest.raises(ValueError):
        Movement("transfer", legs)


def test_money_movement_is_immutable():
    movement = Movement("transfer", transfer_legs("acc_a", "acc_b", 500, "out", "in"))
    with pytest.raises(AttributeError):
        movement.legs = ()


def test_money_transfer_legs_move_the_amount_from_one_account_to_another():
    out, into = transfer_legs("acc_a", "acc_b", 12_345, "ﾌﾘｺﾐ ﾔﾏﾀﾞ", "ﾌﾘｺﾐ ｽｽﾞｷ")
    assert (out.account_id, out.amount, out.description) == ("acc_a", -12_345, "ﾌﾘｺﾐ ﾔﾏﾀﾞ")
    assert (into.account_id, into.amount, into.description) == ("acc_b", 12_345, "ﾌﾘｺﾐ ｽｽﾞｷ")


def test_money_leg_is_immutable():
    leg = Leg("acc_a", -500, "out")
    with pytest.raises(AttributeError):
        leg.amount = 500
    assert (leg.account_id, leg.amount, leg.description) == ("acc_a", -500, "out")
