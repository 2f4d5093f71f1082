"""Milliseconds per reset of the 10,000-account workspace (profile `large`) through `Workspaces.reset`.

    .venv/bin/python bench/reset_bench.py [--resets 50]

Seeds the workspace once, then resets it `--resets` times after writing 20 transfers each time (the
usual case: there is something to undo), and `--resets` times with nothing written in between (the
bare file copy). Prints median and p95 against the target (<= 30 ms), and the time to the first
answer after a reset (reset, open the fresh generation, read a balance): what the next request sees.
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import tempfile
import time
from datetime import datetime

from sandbox.actions import accounts, transfers
from sandbox.domain.calendar import JST
from sandbox.domain.clock import FixedClock
from sandbox.workspaces import Workspaces

TARGET_MS = 30.0
CLOCK = FixedClock(datetime(2026, 11, 5, 10, 0, tzinfo=JST))  # a Thursday, a business day
AS_OF = "2026-11-04"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]  # nearest rank


def dirty(spaces: Workspaces, count: int = 20) -> None:
    """Move some money, so a reset has changes to throw away."""
    ctx = spaces.context("large")
    pair = accounts.list_accounts(ctx, bank_code="0990", limit=500)["accounts"]
    payer = max(pair, key=lambda a: a["available_balance"])
    payee = next(a for a in pair if a["id"] != payer["id"])
    for _ in range(count):
        transfers.create(ctx, from_account_id=payer["id"], amount=1000, to={
            "bank_code": payee["bank_code"], "branch_code": payee["branch_code"], "account_type": payee["account_type"],
            "account_number": payee["account_number"], "name": payee["holder_kana"]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resets", type=int, default=50)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="bench-reset-")
    try:
        spaces = Workspaces(data_dir, CLOCK)
        created = spaces.create("large", profile="large", as_of=AS_OF)
        size = spaces.registry.pristine_path("large").stat().st_size / 1e6
        print(f"workspace: {created['accounts']:,} accounts, {created['postings']:,} postings, snapshot {size:.1f} MB")
        account_id = accounts.list_accounts(spaces.context("large"), limit=1)["accounts"][0]["id"]
        medians = []
        # A reset after use is what organisers do; one with nothing written since shows the bare file copy.
        for label, written in (("after 20 transfers", True), ("nothing written", False)):
            resets, first_answers = [], []
            for _ in range(args.resets):
                if written:
                    dirty(spaces)
                started = time.perf_counter()
                spaces.reset("large")
                resets.append((time.perf_counter() - started) * 1000)
                accounts.balance(spaces.context("large"), account_id)
                first_answers.append((time.perf_counter() - started) * 1000)
            assert spaces.context("large").db.conn.execute("SELECT count(*) FROM transfers").fetchone()[0] == 0
            assert not spaces.verify("large")
            medians.append(statistics.median(resets))
            print(f"reset {label:<18}: median {medians[-1]:.1f} ms, p95 {p95(resets):.1f} ms, max {max(resets):.1f} ms "
                  f"over {args.resets} resets; with the first balance read after it: median "
                  f"{statistics.median(first_answers):.1f} ms, p95 {p95(first_answers):.1f} ms")
        verdict = "met" if max(medians) <= TARGET_MS else "NOT met"
        print(f"reset: slowest median {max(medians):.1f} ms; target <= {TARGET_MS:.0f} ms: {verdict}")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
