"""How long a full bulk transfer (総合振込) of 9,999 items takes to accept and to execute, in one process.

    .venv/bin/python bench/bulk_bench.py [--items 9999] [--runs 3]

On the default profile's workspace, with the sandbox clock frozen on a business day: a rich corporate
payer at 楓銀行 sends one batch whose items go round every active customer account of the three sandbox
banks (inside the bank, to the other sandbox banks through clearing) and, one in ten, to real banks
outside the sandbox (through the suspense account). Each run, from a fresh workspace:
- `parse`: the batch as a Zengin file (Shift_JIS, CRLF), read by the codec;
- `accept`: `bulk_transfers.create` from that file, every item checked (payee account and name, fee,
  limits) and written scheduled;
- `execute`: `bulk_transfers.run_due` at the bank's cut-off, the one movement of every item's credit
  and the payer's two debits, committed;
- `verify`: `ledger.verify` over the whole workspace afterwards (it must find nothing).
Target: execution of 9,999 items in under 2 s. The median of `--runs` runs is the figure to quote.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from datetime import datetime

from sandbox.actions import accounts, bulk_transfers
from sandbox.domain import zengin
from sandbox.domain.calendar import JST
from sandbox.domain.clock import FixedClock
from sandbox.store import ledger
from sandbox.workspaces import Workspaces

TARGET_S = 2.0
SUBMITTED = datetime(2026, 11, 5, 10, 0, tzinfo=JST)   # a Thursday, a business day
CUTOFF = datetime(2026, 11, 5, 15, 0, tzinfo=JST)      # 楓銀行's cut-off the same day
OUTSIDE = [("0001", "001"), ("0005", "001"), ("0009", "001")]  # Mizuho, MUFG, SMBC head offices


def batch_file(ctx, items: int) -> tuple[bytes, int]:
    """A Zengin file of `items` payments from the richest corporate account of 楓銀行, and its total."""
    payer_id = ctx.db.conn.execute(
        "SELECT a.id FROM accounts a JOIN customers c ON c.id = a.customer_id WHERE a.kind = 'customer'"
        " AND a.bank_code = '0990' AND c.kind = 'corporate' AND a.status = 'active' ORDER BY a.balance DESC LIMIT 1"
    ).fetchone()[0]
    payer = accounts.load(ctx, payer_id)
    payees = [accounts.load(ctx, row[0]) for row in ctx.db.conn.execute(
        "SELECT id FROM accounts WHERE kind = 'customer' AND status = 'active' AND id <> ? ORDER BY no", (payer_id,))]
    payments = []
    for n in range(items):
        # Both sides of the 30,000-yen fee threshold, about 80 million yen in all: what the payer has.
        amount = 31_000 if n % 20 == 0 else 1_000 + (n * 37) % 10_000
        if n % 10 == 9:
            bank, branch = OUTSIDE[n % len(OUTSIDE)]
            payments.append(zengin.Payment(bank, branch, "1", f"{n:07d}", "ｿﾄ ﾉ ｷﾞﾝｺｳ", amount))
            continue
        payee = payees[n % len(payees)]
        payments.append(zengin.Payment(payee["bank_code"], payee["branch_code"], payee["account_type"],
                                       payee["account_number"], payee["holder_kana"][:30], amount,
                                       reference=f"{n:010d}"))
    header = zengin.Header("0000000001", payer["holder_kana"][:40], "1105", payer["bank_code"], payer["branch_code"],
                           payer["account_type"], payer["account_number"])
    bulk = zengin.BulkFile(header, tuple(payments))
    return zengin.dump(bulk), bulk.total


def run(items: int) -> dict:
    data_dir = tempfile.mkdtemp(prefix="bulk-bench-")
    try:
        spaces = Workspaces(data_dir, FixedClock(SUBMITTED))
        spaces.create("bench", as_of="2026-11-04")
        ctx = spaces.context("bench")
        data, total = batch_file(ctx, items)
        started = time.perf_counter()
        zengin.parse(data)
        parsed = time.perf_counter()
        batch = bulk_transfers.create(ctx, file=data)
        accepted = time.perf_counter()
        ctx.clock = FixedClock(CUTOFF)
        ran = bulk_transfers.run_due(ctx)
        executed = time.perf_counter()
        problems = ledger.verify(ctx.db)
        verified = time.perf_counter()
        done = bulk_transfers.get(ctx, batch["id"])
        assert ran["executed"] == [batch["id"]] and problems == [], (ran, problems)
        assert done["item_counts"]["executed"] == items and done["total_amount"] == total
        return {"bytes": len(data), "parse": parsed - started, "accept": accepted - parsed,
                "execute": executed - accepted, "verify": verified - executed}
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=zengin.MAX_PAYMENTS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    results = [run(args.items) for _ in range(args.runs)]
    print(f"{args.items} items, a {results[0]['bytes']:,}-byte Zengin file, {args.runs} runs (median, min-max):")
    for step in ("parse", "accept", "execute", "verify"):
        values = [r[step] for r in results]
        print(f"  {step:8} {statistics.median(values) * 1000:8.1f} ms   ({min(values) * 1000:.1f}-{max(values) * 1000:.1f})")
    execute = statistics.median(r["execute"] for r in results)
    print(f"execute: {execute:.3f} s for {args.items} items (target < {TARGET_S:.0f} s): "
          f"{'met' if execute < TARGET_S else 'MISSED'}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
