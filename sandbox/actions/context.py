"""What every action runs with: the workspace database, the clock and who is calling."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Callable

import sqlite_utils

from ..domain.abuse import Signal
from ..domain.banks import BankRules
from ..domain.clock import Clock
from ..domain.errors import SandboxError


@dataclass
class Context:
    db: sqlite_utils.Database
    clock: Clock
    workspace: str = "default"
    connector_id: str | None = None
    # A bank's own API sees only that bank's accounts (and what hangs off them); None sees all.
    bank_code: str | None = None
    # The accounts the caller may act on as its own (a connector's token reaches only these, so any
    # other answers "not found"); None for the bank's staff and the development header, who reach all.
    reach: frozenset | None = None
    # Suspended connectors: their scheduled transfers wait, when they fall due, until they are resumed.
    held: frozenset = frozenset()
    # The calling connector's class (self-use, third-party); None for bank staff and development calls.
    connector_class: str | None = None
    # The customer the connector acts for: a self-use connector's company, or the customer who consented
    # to a third party; None for bank staff and development calls.
    customer_id: str | None = None
    # What scenario rules asked of this call: "name_mismatch", "step_up", "return_transfer" -> (days, reason, id).
    scenario: dict = field(default_factory=dict)
    # Hands a business-logic signal to the bank's abuse monitor and answers the action of a rule it
    # trips ("step_up", ...) or None; set by the HTTP layer for a connector's call, None otherwise.
    watch: Callable[[Signal, str], str | None] | None = field(default=None, repr=False)
    # How many of the calling connector's webhook endpoints ask for events of a type (`stripe:customer.created`):
    # what an event says is pending delivery; set by the HTTP layer for a connector's call, None otherwise.
    endpoints: Callable[[str], int] | None = field(default=None, repr=False)
    # How many of the endpoints each event of the workspace was due to have had it delivered ({event id: count}):
    # what an event read later says is still pending; set by the HTTP layer, None otherwise.
    delivered: Callable[[list], dict] | None = field(default=None, repr=False)
    # Whether any scenario rule is armed, when the workspace already knows (None: ask the database).
    armed: bool | None = None
    # Banks, their internal accounts, branches and which accounts each customer owns are seeded once
    # and never change within a workspace's generation: read on first use, and shared by every context
    # of the same generation that the workspace hands out (Workspaces.context). `seeded` holds answers
    # read from such rows, by a key its reader chooses.
    _banks: dict = field(default_factory=dict, repr=False)
    _internal: dict = field(default_factory=dict, repr=False)
    seeded: dict = field(default_factory=dict, repr=False)

    def now(self) -> datetime:
        return self.clock.now()

    def sees(self, bank_code: str | None) -> bool:
        return self.bank_code is None or bank_code == self.bank_code

    def reaches(self, account_id: str) -> bool:
        return self.reach is None or account_id in self.reach

    def sees_account(self, account_id: str) -> bool:
        """Whether this context may see the account (always, outside a bank's own API)."""
        if self.bank_code is None:
            return True
        row = self.db.conn.execute("SELECT bank_code FROM accounts WHERE id = ?", (account_id,)).fetchone()
        return row is not None and row[0] == self.bank_code

    def bank(self, code: str) -> dict | None:
        """The sandbox bank with this code (row as a dict), or None for a bank outside the sandbox."""
        if not self._banks:  # all of them in one read: a workspace has a handful, and a transfer needs two
            self._banks.update({row[0]: {"code": row[0], "slug": row[1], "name": row[2], "name_kana": row[3],
                                         "rules": _rules(row[0], row[4])}
                                for row in self.db.conn.execute("SELECT code, slug, name, name_kana, rules FROM banks")})
        return self._banks.get(code)

    def internal_account(self, bank_code: str, purpose: str) -> str:
        """The id of a bank's internal ledger account: fee_income, clearing, suspense or opening."""
        key = (bank_code, purpose)
        if key not in self.internal_accounts():
            raise LookupError(f"bank {bank_code} has no {purpose} account")
        return self._internal[key]

    def internal_accounts(self) -> dict:
        """Every bank's internal accounts, {(bank code, purpose): id}, read in one go (a few per bank;
        a transfer needs two to four). Seeded once, they can be read before a write lock is taken."""
        if not self._internal:
            self._internal.update({(bank, use): id_ for bank, use, id_ in self.db.conn.execute(
                "SELECT bank_code, purpose, id FROM accounts WHERE kind = 'internal'")})
        return self._internal

    def signal(self, bank_code: str, signal: Signal) -> str | None:
        """Report `signal` under bank `bank_code`'s abuse rules; the action now in force for it, or None."""
        return self.watch(signal, bank_code) if self.watch is not None else None

    def rules(self, code: str) -> BankRules:
        bank = self.bank(code)
        if bank is None:
            raise SandboxError("unknown_bank", f"bank {code} is not a sandbox bank")
        return bank["rules"]


@lru_cache(maxsize=256)
def _rules(code: str, text: str) -> BankRules:
    return BankRules.from_dict(code, json.loads(text))


def require(data: dict, *names: str) -> None:
    """Refuse input that lacks a required field, naming the first one missing."""
    for name in names:
        if data.get(name) in (None, ""):
            raise SandboxError("invalid_request", f"{name} is required", field=name)


def optional_text(value, field: str, max_length: int = 140) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > max_length:
        raise SandboxError("invalid_request", f"{field} must be text of at most {max_length} characters", field=field)
    return value
