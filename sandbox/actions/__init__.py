"""Core actions: the use cases every bank dialect maps onto.

Each action takes a `Context` and plain input values, and returns plain data (dicts of JSON types).
`ACTIONS` names them for the bindings, e.g. ``transfers.create``.
"""

from __future__ import annotations

from . import accounts, beneficiaries, bulk_transfers, consents, debits, statements, transfers
from .context import Context

ACTIONS = {
    "accounts.list": accounts.list_accounts,
    "accounts.get": accounts.get_account,
    "accounts.balance": accounts.balance,
    "accounts.statement": statements.statement,
    "beneficiaries.inquire": beneficiaries.inquire,
    "transfers.quote_fee": transfers.quote_fee,
    "transfers.create": transfers.create,
    "transfers.get": transfers.get,
    "transfers.list": transfers.list_transfers,
    "transfers.cancel": transfers.cancel,
    "transfers.return": transfers.return_transfer,
    "transfers.run_due": transfers.run_due,
    "bulk_transfers.create": bulk_transfers.create,
    "bulk_transfers.get": bulk_transfers.get,
    "bulk_transfers.items": bulk_transfers.list_items,
    "bulk_transfers.cancel": bulk_transfers.cancel,
    "bulk_transfers.return_item": bulk_transfers.return_item,
    "bulk_transfers.run_due": bulk_transfers.run_due,
    "debits.create_mandate": debits.create_mandate,
    "debits.get_mandate": debits.get_mandate,
    "debits.revoke_mandate": debits.revoke_mandate,
    "debits.create": debits.create_debit,
    "debits.get": debits.get_debit,
    "consents.create": consents.create,
    "consents.get": consents.get,
    "consents.revoke": consents.revoke,
    "consents.funds_check": consents.funds_check,
    "transfers.create_from_consent": consents.create_transfer,
}

__all__ = ["ACTIONS", "Context"]
