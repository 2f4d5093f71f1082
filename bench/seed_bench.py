"""Seconds to create a workspace from profile `large` (about 10,000 accounts with 90 days of history).

    .venv/bin/python bench/seed_bench.py [--runs 3]

Each run creates the workspace in a fresh data directory through `Workspaces.create`, with the banks the
shipped bank folders declare, as the server does: Faker customers, accounts, the whole history, the
ledger check, and the pristine snapshot. Prints the median of the runs
against the target (<= 3 s on the project's 2-core machine), then the median of making the same workspace
again once one like it was seeded in the process (made of its image, seeding/images.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from datetime import datetime

from sandbox.bindings import declared_banks, survey
from sandbox.domain.calendar import JST
from sandbox.domain.clock import FixedClock
from sandbox.resources import data_dir as shipped
from sandbox.seeding.images import Images
from sandbox.workspaces import Workspaces

TARGET_S = 3.0
CLOCK = FixedClock(datetime(2026, 11, 5, 10, 0, tzinfo=JST))  # a Thursday, a business day
AS_OF = "2026-11-04"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = []
    banks = declared_banks(survey([shipped("specs")])[0])
    for run in range(1, args.runs + 1):
        data_dir = tempfile.mkdtemp(prefix="bench-seed-")
        try:
            spaces = Workspaces(data_dir, CLOCK, extra_banks=banks, images=None)  # seeded, not made of an image
            started = time.perf_counter()
            created = spaces.create("large", profile="large", as_of=AS_OF)
            times.append(time.perf_counter() - started)
            live = os.path.getsize(spaces.registry.path("large"))
            pristine = os.path.getsize(spaces.registry.pristine_path("large"))
            print(f"run {run}: {times[-1]:.2f} s  ({created['accounts']:,} accounts, {created['customers']:,} customers, "
                  f"{created['postings']:,} postings; file {live / 1e6:.1f} MB, snapshot {pristine / 1e6:.1f} MB)")
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    median = statistics.median(times)
    verdict = "met" if median <= TARGET_S else "NOT met"
    print(f"seed profile large: median {median:.2f} s over {args.runs} runs (min {min(times):.2f}, max {max(times):.2f}); "
          f"target <= {TARGET_S:.0f} s: {verdict}")
    copied = imaged(banks, args.runs)
    print(f"made of the image of one seeded alike (seeding/images.py): median {copied:.3f} s, "
          f"{median / copied:.0f}x faster than seeding")


def imaged(banks, runs: int) -> float:
    """Median seconds to create the same workspace once one like it was seeded in this process (a team's
    workspace after the first of an onboarding): the seeded image written as its file."""
    data_dir = Path(tempfile.mkdtemp(prefix="seed-bench-image-"))
    try:
        spaces = Workspaces(data_dir, CLOCK, extra_banks=banks, images=Images())
        spaces.create("first", profile="large", as_of=AS_OF)
        times = []
        for run in range(runs):
            started = time.perf_counter()
            spaces.create(f"copy{run}", profile="large", as_of=AS_OF)
            times.append(time.perf_counter() - started)
        return statistics.median(times)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
