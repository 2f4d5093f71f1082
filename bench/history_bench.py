"""Flat with history: what a transfer costs in a fresh workspace and after 100,000 transfers in it.

    .venv/bin/python bench/history_bench.py [--history 100000] [--transfers 2000] [--runs 3]

One process, the core alone (`transfers.create`), on the default workspace with the clock frozen at a
business-day 10:00, so every transfer of the history was requested "in the last hour" — the worst
case for a count over the payer's recent transfers. All transfers go from one corporate payer to one
payee with an Idempotency-Key each, as a self-use connector (the serving bench's caller), so the
approval policy's reads (paid this payee before?), the daily total and the key lookup all run.

After 300 untimed transfers (warming the caches), it times `--runs` runs of `--transfers` transfers, writes `--history` more transfers from the same
payer, and times the runs again; the ratio of the medians is the figure (target: within 10 %). It also
times the approval policy's two reads for a third-party connector (the class the frequency rule
applies to) at both points, and the count the policy used to run (every transfer of the payer since an
hour ago, with no bound and no index on the request time) at 100,000 transfers.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import datetime, timedelta

from sandbox.actions import accounts, approvals, transfers
from sandbox.domain.calendar import JST
from sandbox.domain.clock import FixedClock
from sandbox.workspaces import Workspaces

NOW = datetime(2026, 11, 5, 10, 0, tzinfo=JST)
OLD_COUNT = "SELECT count(*) FROM transfers NOT INDEXED WHERE from_account_id = ? AND requested_at >= ?"


def timed_runs(ctx, payer: dict, payee: dict, count: int, runs: int, tag: str) -> list[float]:
    to = {"bank_code": payee["bank_code"], "branch_code": payee["branch_code"], "account_type": payee["account_type"],
          "account_number": payee["account_number"], "name": payee["holder_kana"]}
    rates = []
    for run in range(runs):
        started = time.perf_counter()
        for n in range(count):
            transfers.create(ctx, from_account_id=payer["id"], to=to, amount=1, idempotency_key=f"{tag}-{run}-{n}")
        rates.append(count / (time.perf_counter() - started))
    return rates


def policy_reads(ctx, payer: dict, payee: dict, repeat: int = 2000) -> float:
    """Microseconds for the approval policy's reads, as a third-party connector (frequency rule on)."""
    ctx.connector_class = "third-party"
    prepared = {"payer": payer, "payee": {**payee, "account_number": payee["account_number"]}, "now": NOW}
    started = time.perf_counter()
    for _ in range(repeat):
        approvals.reasons(ctx, prepared, {"amount": 1})
    ctx.connector_class = "self-use"
    return (time.perf_counter() - started) / repeat * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, default=100_000)
    parser.add_argument("--transfers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="history-bench-")
    try:
        spaces = Workspaces(data_dir, FixedClock(NOW))
        spaces.create("history", as_of="2026-11-04")
        ctx = spaces.context("history", "cn_history")
        ctx.connector_class = "self-use"
        listed = accounts.list_accounts(ctx, limit=500)["accounts"]
        payer = max((a for a in listed if a["customer_kind"] == "corporate" and a["status"] == "active"),
                    key=lambda a: a["balance"])
        payee = next(a for a in listed if a["bank_code"] == payer["bank_code"] and a["customer_kind"] == "individual"
                     and a["status"] == "active")
        ctx.customer_id, ctx.reach = payer["customer_id"], None
        timed_runs(ctx, payer, payee, 300, 1, "warm-up")  # untimed: the caches and the first statements
        fresh = timed_runs(ctx, payer, payee, args.transfers, args.runs, "fresh")
        reads_fresh = policy_reads(ctx, payer, payee)
        started = time.perf_counter()
        timed_runs(ctx, payer, payee, args.history, 1, "history")
        filled = time.perf_counter() - started
        after = timed_runs(ctx, payer, payee, args.transfers, args.runs, "after")
        reads_after = policy_reads(ctx, payer, payee)
        since = (NOW - timedelta(hours=1)).isoformat(timespec="seconds")
        started = time.perf_counter()
        for _ in range(20):
            ctx.db.conn.execute(OLD_COUNT, (payer["id"], since)).fetchone()
        old_count_us = (time.perf_counter() - started) / 20 * 1e6
        total = ctx.db.conn.execute("SELECT count(*) FROM transfers WHERE from_account_id = ?", (payer["id"],)).fetchone()[0]
        print(f"payer {payer['id']} ({payer['bank_code']}), {total:,} transfers from it at the end; "
              f"history of {args.history:,} written in {filled:.0f} s")
        print(f"fresh workspace:     median {statistics.median(fresh):,.0f} transfers/s "
              f"(runs: {', '.join(f'{r:,.0f}' for r in fresh)}); approval policy reads {reads_fresh:.0f} us")
        print(f"after the history:   median {statistics.median(after):,.0f} transfers/s "
              f"(runs: {', '.join(f'{r:,.0f}' for r in after)}); approval policy reads {reads_after:.0f} us")
        ratio = statistics.median(after) / statistics.median(fresh)
        print(f"after / fresh = {ratio:.2f}x (target: within 10 %, >= 0.90x)")
        print(f"the unbounded count of the payer's last hour, as it was, at {total:,} transfers: {old_count_us:,.0f} us")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
