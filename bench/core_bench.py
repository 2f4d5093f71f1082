"""The core's speed: seeding 10,000 accounts, resetting them, and transfers per second in one process.

    .venv/bin/python bench/core_bench.py [--runs 3] [--transfers 5000]

Targets on a 2-core machine: seeding ~10,000 accounts with 90 days of history in <= 3 s; a reset
of that workspace in <= 30 ms; >= 3,000 transfers/s through `transfers.create` with every rule.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import datetime

from sandbox.actions import accounts, transfers
from sandbox.domain.calendar import JST
from sandbox.domain.clock import FixedClock
from sandbox.store import ledger
from sandbox.workspaces import Workspaces

BUSINESS_MORNING = datetime(2026, 11, 5, 10, 0, tzinfo=JST)


def seed(runs: int) -> Workspaces:
    times, spaces = [], None
    for run in range(runs):
        spaces = Workspaces(tempfile.mkdtemp(prefix="bench-seed-"), FixedClock(BUSINESS_MORNING))
        started = time.perf_counter()
        created = spaces.create("large", profile="large", as_of="2026-11-04")
        times.append(time.perf_counter() - started)
    size = os.path.getsize(spaces.registry.path("large")) / 1e6
    print(f"seed     profile large: {created['accounts']} accounts, {created['postings']} postings, {size:.1f} MB")
    print(f"seed     median {statistics.median(times):.2f} s over {runs} runs (target <= 3 s)")
    return spaces


def reset(spaces: Workspaces, count: int = 50) -> None:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        spaces.reset("large")
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(f"reset    median {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms "
          f"over {count} resets of the 10,000-account workspace (target <= 30 ms)")


def transfer_rate(spaces: Workspaces, count: int, keyed: bool) -> float:
    spaces.reset("large")
    ctx = spaces.context("large")
    payers = [a for a in accounts.list_accounts(ctx, limit=500)["accounts"] if a["available_balance"] > 300_000]
    rng = random.Random(7)
    requests = []
    for n in range(count):
        payer, payee = rng.sample(payers, 2)
        requests.append({
            "from_account_id": payer["id"], "amount": rng.randint(1, 100),
            "to": {"bank_code": payee["bank_code"], "branch_code": payee["branch_code"], "account_type": payee["account_type"],
                   "account_number": payee["account_number"], "name": payee["holder_kana"]},
            **({"idempotency_key": f"bench-{n}"} if keyed else {}),
        })
    started = time.perf_counter()
    for request in requests:
        transfers.create(ctx, **request)
    rate = count / (time.perf_counter() - started)
    problems = ledger.verify(ctx.db)
    assert not problems, problems
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--transfers", type=int, default=5000)
    args = parser.parse_args()
    spaces = seed(args.runs)
    reset(spaces)
    for keyed in (True, False):
        rates = sorted(transfer_rate(spaces, args.transfers, keyed) for _ in range(args.runs))
        label = "with idempotency keys" if keyed else "without keys"
        print(f"transfer median {statistics.median(rates):.0f} transfers/s {label} (best {rates[-1]:.0f}; "
              f"{args.transfers} per run, same and other banks, ledger verified; target >= 3,000)")


if __name__ == "__main__":
    main()
