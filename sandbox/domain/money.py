"""Integer yen and the double-entry movement: legs that always sum to zero."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from .errors import SandboxError

# No single movement in the sandbox is larger than this (a trillion yen); it keeps amounts well
# inside SQLite's 64-bit integers however many postings an account collects.
MAX_AMOUNT = 1_000_000_000_000


def parse_yen(value, field: str = "amount", *, allow_zero: bool = False) -> int:
    """Return `value` as a positive whole number of yen, or refuse it with `invalid_amount`.

    Accepts ints and strings of ASCII digits (some dialects send amounts as strings); refuses floats,
    booleans, signs, separators and anything over MAX_AMOUNT, so no rounding ever happens.
    """
    if isinstance(value, bool):
        raise SandboxError("invalid_amount", f"{field} must be a whole number of yen", field=field)
    if isinstance(value, str):
        if not value.isascii() or not value.isdigit():
            raise SandboxError("invalid_amount", f"{field} must be a whole number of yen, got {value!r}", field=field)
        digits = value.lstrip("0") or "0"
        if len(digits) > len(str(MAX_AMOUNT)):  # and int() would refuse thousands of digits with a ValueError
            raise SandboxError("invalid_amount", f"{field} must not exceed {MAX_AMOUNT} yen", field=field)
        value = int(digits)
    if not isinstance(value, int):
        raise SandboxError("invalid_amount", f"{field} must be a whole number of yen, got {value!r}", field=field)
    if value < 0 or (value == 0 and not allow_zero):
        raise SandboxError("invalid_amount", f"{field} must be greater than zero, got {value}", field=field)
    if value > MAX_AMOUNT:
        raise SandboxError("invalid_amount", f"{field} must not exceed {MAX_AMOUNT} yen, got {value}", field=field)
    return value


class Leg(NamedTuple):
    """One side of a movement: the signed change to one ledger account, with its passbook text.

    Immutable, as a frozen dataclass would be, but made in half the time: a transfer makes four to six.
    """

    account_id: str
    amount: int
    description: str


@dataclass(frozen=True)
class Movement:
    """A balanced set of legs: the only way money moves."""

    kind: str
    legs: tuple[Leg, ...] = field(default_factory=tuple)

    def __post_init__(self):
        if len(self.legs) < 2:
            raise ValueError(f"a {self.kind} movement needs at least two legs")
        if any(type(leg.amount) is not int for leg in self.legs):
            raise ValueError(f"a {self.kind} movement has a non-integer leg")
        total = sum(leg.amount for leg in self.legs)
        if total != 0:
            raise ValueError(f"a {self.kind} movement's legs sum to {total}, not zero")


def transfer_legs(debit_account: str, credit_account: str, amount: int, debit_text: str, credit_text: str):
    """Return the two legs that move `amount` from one ledger account to another."""
    return (Leg(debit_account, -amount, debit_text), Leg(credit_account, amount, credit_text))
