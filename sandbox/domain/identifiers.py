"""Japanese account coordinates (bank, branch, type, number) and the sandbox's opaque ids."""

from __future__ import annotations

import os
import secrets
import threading
from enum import Enum

from .errors import SandboxError


class AccountType(str, Enum):
    """The Zengin account-type codes."""

    ORDINARY = "1"  # 普通
    CURRENT = "2"  # 当座
    SAVINGS = "4"  # 貯蓄
    OTHER = "9"  # その他

    @property
    def label(self) -> str:
        return LABELS[self.value]


# Each code's name on a passbook, by code: read for every account an answer shows.
LABELS = {"1": "普通", "2": "当座", "4": "貯蓄", "9": "その他"}
_NAMES = {"ordinary": "1", "current": "2", "savings": "4", "other": "9"}
# The canonical codes, as most requests send them: looked up directly, not through the enum's call.
_BY_CODE = {member.value: member for member in AccountType}


def parse_account_type(value) -> AccountType:
    """Accept a Zengin code ('1', 1) or an English name ('ordinary'); refuse anything else."""
    member = _BY_CODE.get(value) if type(value) is str else None
    if member is not None:
        return member
    text = str(value).strip().lower() if value is not None and not isinstance(value, bool) else ""
    text = _NAMES.get(text, text)
    try:
        return AccountType(text)
    except ValueError:
        raise SandboxError(
            "invalid_account_type", f"account type must be one of 1, 2, 4, 9 (or ordinary, current, savings, other), got {value!r}"
        ) from None


def _digits(value, length: int, code: str, what: str) -> str:
    # ASCII digits only: str.isdigit alone would take full-width and other scripts' digits.
    if not (isinstance(value, str) and len(value) == length and value.isascii() and value.isdigit()):
        raise SandboxError(code, f"{what} must be exactly {length} digits, got {value!r}")
    return value


def parse_bank_code(value) -> str:
    return _digits(value, 4, "invalid_bank_code", "bank code")


def parse_branch_code(value) -> str:
    return _digits(value, 3, "invalid_branch_code", "branch code")


def parse_account_number(value) -> str:
    return _digits(value, 7, "invalid_account_number", "account number")


def new_id(prefix: str, randbits=None) -> str:
    """Return an opaque id such as `trf_3f9a…`; `randbits` makes it deterministic for seeding."""
    bits = randbits(64) if randbits else _random_bits(64)
    return f"{prefix}_{bits:016x}"


def new_uuid() -> str:
    """A random (version 4) UUID as text, as `str(uuid.uuid4())` gives, from the same entropy as ids."""
    digits = f"{_random_bits(128) & _UUID_CLEAR | _UUID_SET:032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


# The version (4) and variant (RFC 9562) bits of a random UUID.
_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)


class _Entropy(threading.local):
    """Each thread's unread bytes of the operating system's randomness: ids drawn from one read of a few
    kilobytes, not one system call each (a transfer draws several, every request an interaction id)."""

    def __init__(self):
        self.pool, self.at = b"", 0


_entropy = _Entropy()
_ENTROPY_BYTES = 4096


def _random_bits(bits: int) -> int:
    size = bits // 8
    mine = _entropy
    if mine.at + size > len(mine.pool):
        mine.pool, mine.at = secrets.token_bytes(_ENTROPY_BYTES), 0
    start = mine.at
    mine.at = start + size
    return int.from_bytes(mine.pool[start:start + size], "big")


def _forget_entropy() -> None:
    """A forked child must not draw the bytes its parent will draw too."""
    _entropy.pool, _entropy.at = b"", 0


os.register_at_fork(after_in_child=_forget_entropy)
