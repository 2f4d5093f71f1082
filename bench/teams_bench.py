"""Onboarding 50 teams in one command, then resetting all 50 workspaces at once.

    .venv/bin/python bench/teams_bench.py [--teams 50] [--rounds 3]

Runs `bank-sandbox teams create --count N` on a fresh data directory (a seeded workspace, two
connectors and test users per team; the progress bar goes to stderr), then starts `bank-sandbox
serve` on it and calls `POST /sandbox/v1/reset` (every workspace back to its seeded state) `--rounds`
times after a few transfers in each workspace, printing seconds for the onboarding and milliseconds
per reset of all N. Target: resetting all 50 in under 5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from http_bench import free_port, stop, wait  # noqa: E402

BIN = Path(sys.executable).parent / "bank-sandbox"
ADMIN = "bench-token"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="teams-bench-"))
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}, "SANDBOX_ADMIN_TOKEN": ADMIN,
           "SANDBOX_OPEN_ACCESS": "1", "SANDBOX_CLOCK": "2026-11-06T10:00:00+09:00"}
    started = time.perf_counter()
    subprocess.run([str(BIN), "teams", "create", "--count", str(args.teams), "--data-dir", str(work)], env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    onboarding = time.perf_counter() - started
    port = free_port()
    server = subprocess.Popen([str(BIN), "serve", "--port", str(port), "--data-dir", str(work)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait(f"{base}/healthz")
        admin = {"Authorization": f"Bearer {ADMIN}"}
        names = [w["name"] for w in httpx.get(f"{base}/sandbox/v1/workspaces", headers=admin).json()["workspaces"]]
        resets = []
        with httpx.Client(base_url=base, timeout=120) as client:
            for _ in range(args.rounds):
                for name in names:  # some activity first, so each reset has something to undo
                    accounts = client.get(f"/sandbox/v1/workspaces/{name}/accounts", params={"limit": 2, "bank_code": "0990"},
                                          headers=admin).json()["accounts"]
                    payer, payee = accounts
                    client.post("/hub/v1/transfers", headers={"X-Sandbox-Workspace": name, "Idempotency-Key": str(time.time())},
                                json={"from_account_id": payer["id"], "amount": 1, "to": {
                                    "bank_code": payee["bank_code"], "branch_code": payee["branch_code"],
                                    "account_type": payee["account_type"], "account_number": payee["account_number"],
                                    "name": payee["holder_kana"]}})
                answer = client.post("/sandbox/v1/reset", headers=admin)
                answer.raise_for_status()
                resets.append(answer.json()["elapsed_ms"])
        print(f"{args.teams} teams (workspace, 2 connectors, test users each) onboarded in {onboarding:.1f} s "
              f"({onboarding / args.teams * 1000:.0f} ms a team)")
        print(f"reset of all {len(names)} workspaces: median {statistics.median(resets):.0f} ms, "
              f"max {max(resets):.0f} ms over {args.rounds} rounds (target < 5000 ms)")
    finally:
        stop([server])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
