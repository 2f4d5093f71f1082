"""Writers queueing on one workspace: the writer lock (store/locks.py) against SQLite's busy handler.

    .venv/bin/python bench/writers_bench.py [--transfers 1500] [--processes 1,2,4] [--rounds 2]

Each of N processes (spawned, as `serve --workers N` spawns its workers) runs `transfers.create` with
an Idempotency-Key, one after another, into the same workspace file (default profile, clock frozen
at a business-day 10:00, every payer its own account so no transfer bounces). Two ways of waiting
for the write lock, alternated round by round on the same machine:

- lock: the sandbox as it is: writers queue on the workspace's writer lock (in-process lock and
  `flock`), then `BEGIN IMMEDIATE`;
- busy: the writer lock switched off in the bench's processes, so writers wait in SQLite's busy
  handler (sleeps of 1, 2, 5, 10, ... 100 ms between tries), as they did before.

Prints, per variant and process count, the total transfers/s (median of the rounds) and the p50/p99
of one transfer's time as its caller sees it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import statistics
import tempfile
import time
from contextlib import nullcontext
from datetime import datetime

from sandbox.actions import accounts, transfers
from sandbox.domain.calendar import JST
from sandbox.domain.clock import FixedClock
from sandbox.workspaces import Workspaces

CLOCK = FixedClock(datetime(2026, 11, 5, 10, 0, tzinfo=JST))


def writer(data_dir: str, payer: dict, payee: dict, count: int, tag: str, locked: bool, start, out) -> None:
    if not locked:
        from sandbox.store import locks

        locks.held = lambda db: nullcontext()  # the bench's own process only: SQLite's busy handler decides
    ctx = Workspaces(data_dir, CLOCK).context("writers")
    to = {"bank_code": payee["bank_code"], "branch_code": payee["branch_code"], "account_type": payee["account_type"],
          "account_number": payee["account_number"], "name": payee["holder_kana"]}
    transfers.create(ctx, from_account_id=payer["id"], to=to, amount=1, idempotency_key=f"{tag}-warm")
    start.wait()
    times = []
    began = time.perf_counter()
    for n in range(count):
        t0 = time.perf_counter()
        transfers.create(ctx, from_account_id=payer["id"], to=to, amount=1, idempotency_key=f"{tag}-{n}")
        times.append(time.perf_counter() - t0)
    out.put((began, time.perf_counter(), times))


def round_of(data_dir: str, pairs: list, processes: int, count: int, locked: bool, tag: str) -> tuple[float, list]:
    spawn = multiprocessing.get_context("spawn")
    start, out = spawn.Event(), spawn.Queue()
    workers = [spawn.Process(target=writer, args=(data_dir, *pairs[n], count, f"{tag}-{n}", locked, start, out))
               for n in range(processes)]
    for worker in workers:
        worker.start()
    time.sleep(2.0)  # every process has opened the workspace and made its first transfer
    start.set()
    results = [out.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = max(r[1] for r in results) - min(r[0] for r in results)
    return processes * count / elapsed, [t for r in results for t in r[2]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=1500, help="transfers per process per round")
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="writers-bench-")
    try:
        spaces = Workspaces(data_dir, CLOCK)
        spaces.create("writers", as_of="2026-11-04")
        listed = accounts.list_accounts(spaces.context("writers"), limit=500)["accounts"]
        rich = sorted((a for a in listed if a["customer_kind"] == "corporate" and a["status"] == "active"),
                      key=lambda a: -a["balance"])
        payee = next(a for a in listed if a["customer_kind"] == "individual" and a["status"] == "active")
        pairs = [(payer, payee) for payer in rich]
        counts = [int(n) for n in args.processes.split(",")]
        figures: dict = {}
        for round_ in range(args.rounds):
            for processes in counts:
                for locked in (True, False):
                    rate, times = round_of(data_dir, pairs, processes, args.transfers, locked,
                                           f"r{round_}-{processes}-{int(locked)}")
                    figures.setdefault((processes, locked), []).append((rate, times))
        print(f"{args.transfers} keyed transfers per process per round, {args.rounds} rounds, one workspace file")
        print(f"{'processes':>9} {'waiting on':<26} {'transfers/s':>11} {'p50 ms':>7} {'p99 ms':>7}")
        for (processes, locked), runs in figures.items():
            rate = statistics.median(r for r, _ in runs)
            times = sorted(t for _, ts in runs for t in ts)
            p50, p99 = times[len(times) // 2] * 1000, times[int(len(times) * 0.99)] * 1000
            label = "writer lock (flock)" if locked else "SQLite busy handler"
            print(f"{processes:>9} {label:<26} {rate:>11,.0f} {p50:>7.2f} {p99:>7.2f}")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
