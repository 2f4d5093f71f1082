"""What the governance layers cost: a balance inquiry with a real token against the same call without them.

    .venv/bin/python bench/governance_bench.py [--seconds 10] [--connections 16] [--rounds 3]

Starts two `bank-sandbox serve` processes on fresh data directories, the clock frozen at a business
day (not a peak day):

- governed: development access off, so every call carries an OAuth access token (client credentials
  of a self-use connector) through token lookup, connector status, scopes, plan, the shared capacity
  counters, and the request log;
- bare: `SANDBOX_OPEN_ACCESS=1` and `SANDBOX_REQUEST_LOG=0`, the same call without a token, log or
  counters.

The connector's plan (written to a plans file for the run) has a capacity far above what the machine
can serve, so no call is refused and both servers do the same work besides governance. wrk (Debian's
`wrk` package) drives each in turn, alternating for `--rounds` rounds; the medians are printed with the
overhead, 1 - governed / bare. The target is an overhead of at most 25%.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from http_bench import free_port, stop, wait, wrk  # noqa: E402

BIN = Path(sys.executable).parent
ADMIN = "bench-token"
CLOCK = "2026-11-06T10:00:00+09:00"
# The plan every serving bench gives its connector (abuse_bench and serve_bench import it too).
PLANS = """
default: bench
categories:
  reference: [accounts.*, beneficiaries.*]
  payments: [transfers.*, debits.*]
plans:
  bench:
    description: Capacity far above what one machine serves, so nothing is refused.
    categories: [reference, payments]
    capacity: {per_second: 100000000, per_day: 1000000000}
    peak: {per_second: 100000000, per_day: 1000000000}
    price: {monthly_yen: 0, per_1000_calls_yen: 0}
"""


def serve(work: Path, name: str, env_extra: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}, "SANDBOX_ADMIN_TOKEN": ADMIN,
           "SANDBOX_PLANS": str(work / "plans.yaml"), **env_extra}
    process = subprocess.Popen([str(BIN / "bank-sandbox"), "serve", "--port", str(port), "--data-dir", str(work / name),
                                "--clock", CLOCK, "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait(f"{base}/healthz", process=process)
    return process, base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    work = Path(tempfile.mkdtemp(prefix="governance-bench-"))
    (work / "plans.yaml").write_text(PLANS, encoding="utf-8")
    processes = []
    try:
        governed_process, governed = serve(work, "governed", {})
        processes.append(governed_process)
        bare_process, bare = serve(work, "bare", {"SANDBOX_OPEN_ACCESS": "1", "SANDBOX_REQUEST_LOG": "0"})
        processes.append(bare_process)
        admin = {"Authorization": f"Bearer {ADMIN}"}
        accounts = httpx.get(f"{governed}/sandbox/v1/workspaces/default/accounts", params={"limit": 500, "bank_code": "0990"},
                             headers=admin, timeout=30).json()["accounts"]
        account = next(a for a in accounts if a["customer_kind"] == "corporate")
        connector = httpx.post(f"{governed}/sandbox/v1/connectors", headers=admin, timeout=30, json={
            "workspace": "default", "name": "bench", "class": "self-use", "customer_id": account["customer_id"]}).json()
        token = httpx.post(f"{governed}/oauth/token", data={"grant_type": "client_credentials"}, timeout=30,
                           auth=(connector["client_id"], connector["client_secret"])).json()["access_token"]
        path = f"/banks/kaede/corporation/v1/accounts/balances?accountId={account['id']}"
        checks = [httpx.get(f"{governed}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=30),
                  httpx.get(f"{bare}{path}", timeout=30)]
        for check in checks:
            if check.status_code != 200:
                raise SystemExit(f"the balance inquiry answered {check.status_code}: {check.text[:300]}")
        figures = {"governed": [], "bare": []}
        for _ in range(args.rounds):
            for name, base, headers in (("bare", bare, {}), ("governed", governed, {"Authorization": f"Bearer {token}"})):
                figures[name].append(wrk(f"{base}{path}", "GET", None, args.seconds, args.connections, work,
                                         headers=headers))
        logged = httpx.get(f"{governed}/sandbox/v1/workspaces/default/requests", params={"limit": 1}, headers=admin,
                           timeout=30).json()["requests"][0]["id"]
        print(f"balance inquiry (kaede), {args.connections} connections, {args.seconds} s x {args.rounds} rounds, "
              f"2 wrk threads, one server worker each, 127.0.0.1")
        print(f"{'server':<10} {'req/s (median)':>15} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
        medians = {}
        for name, runs in figures.items():
            medians[name] = statistics.median(r["rps"] for r in runs)
            print(f"{name:<10} {medians[name]:>15.0f} {statistics.median(r['p50_ms'] for r in runs):>8.1f} "
                  f"{statistics.median(r['p99_ms'] for r in runs):>8.1f} {sum(r['non_2xx'] for r in runs):>8}")
        print(f"governance overhead: {1 - medians['governed'] / medians['bare']:.1%} (target <= 25%)")
        print(f"calls in the governed server's request log: {logged}")
    finally:
        stop(processes)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
