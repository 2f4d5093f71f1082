"""A deposit account's balance is worked out from the transfers naming it, however many the workspace keeps
(tests/published_specs/deposit-balances-follow-transfers/): they are found by the index of the ids kept answers
name (store/schema.names_in), not by reading the 1,000 kept last of each kind, which left out an account's
first transfers once a thousand others had been made (its balance drawn again) and read every kept transfer for
each read of any balance."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sandbox.actions import documents
from sandbox.bindings import remembered
from sandbox.bindings.loader import load_bank
from sandbox.store import schema
from sandbox.store.database import write

from engines import module_database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines

FOLDER = Path(__file__).parent / "published_specs" / "deposit-balances-follow-transfers"
TRANSFER = "/transfers/{transferId}"
AT = "2026-01-05T10:00:00Z"


def _keep(ctx, api, number: int, account: str, amount: int, status: str = "submitted") -> None:
    documents.keep(ctx, api.slug, TRANSFER, f"tr_{number}", {}, {"account_id": account, "amount": amount},
                   {"id": f"tr_{number}", "account_id": account, "amount": amount, "funding": "checking",
                    "status": status}, AT, made=True)


def test_an_accounts_first_transfers_count_after_a_lists_worth_of_others(module_workspace, monkeypatch):
    monkeypatch.setattr(documents, "LISTED", 20)  # (a list's thousand, as twenty: quick to keep more of)
    api, ctx = load_bank(FOLDER), module_workspace.ctx
    _keep(ctx, api, 0, "acc_first", -2000)
    _keep(ctx, api, 1, "acc_first", 300, "pending_submission")
    with write(ctx.db):  # (one transaction: the others are quick to keep)
        for number in range(2, documents.LISTED + 10):
            _keep(ctx, api, number, "acc_other", -5)
    read = {"method": "GET", "path": {"accountId": "acc_first"}, "headers": {}, "query": {}}
    moved = remembered._holder_movements(api, "getBalance", read, ctx)
    assert {key: moved[key] for key in ("paid", "pending", "settled")} == {
        "paid": Decimal(2000), "pending": Decimal(300), "settled": Decimal(0)}
    others = remembered._holder_movements(api, "getBalance", {**read, "path": {"accountId": "acc_other"}}, ctx)
    assert others["paid"] == 5 * (documents.LISTED + 8)
    documents.delete(ctx, api.slug, TRANSFER, "tr_0", AT)  # (one deleted moves nothing)
    assert remembered._holder_movements(api, "getBalance", read, ctx)["paid"] == 0


def test_what_was_kept_before_the_index_is_indexed_by_the_upgrade(module_workspace):
    # A workspace kept transfers under the release before `document_names`: the upgrade indexes them, or a
    # balance read after it leaves them out (the account's balance drawn as if nothing had moved).
    api, ctx = load_bank(FOLDER), module_workspace.ctx
    _keep(ctx, api, 5000, "acc_upgraded", -700)
    with write(ctx.db):
        ctx.db.conn.execute("DELETE FROM document_names")  # (as kept before the index)
        ctx.db.conn.execute(f"PRAGMA user_version = {len(schema.MIGRATIONS) - 1}")
    read = {"method": "GET", "path": {"accountId": "acc_upgraded"}, "headers": {}, "query": {}}
    assert remembered._holder_movements(api, "getBalance", read, ctx) is None  # (nothing found names it)
    schema.migrate(ctx.db)
    assert ctx.db.conn.execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS)
    assert remembered._holder_movements(api, "getBalance", read, ctx)["paid"] == 700
