"""Reads of a deposit account's balance, worked out from the transfers the workspace keeps, as that grows.

    .venv/bin/python bench/balance_bench.py [--seconds 5] [--connections 4] [--transfers 3000] [--accounts 100]

Serves tests/published_specs/deposit-balances-follow-transfers (no binding: its balances follow the kept
transfers naming each account) with `bank-sandbox serve --specs` (open access, one worker), opens `--accounts`
accounts and drives `GET /accounts/{id}/balance` of one of them with wrk twice: when the workspace keeps a
transfer for each account, and again once it keeps `--transfers` of them spread over all the accounts (the one
read holding its share). Prints requests/s and p50/p99 of both and their ratio: a read whose work followed the
whole workspace, not the account's own transfers, falls with it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from http_bench import serve_folder, stop, wrk

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "tests" / "published_specs" / "deposit-balances-follow-transfers"
JSON_API = {"Content-Type": "application/vnd.api+json"}


def start_sandbox(work: Path) -> tuple[subprocess.Popen, str]:
    return serve_folder(work, FOLDER, "balance-bench", "--workers", "1")


def transfers(client: httpx.Client, accounts: list[str], count: int) -> None:
    """`count` transfers, round the accounts, 4 at a time."""
    def one(n: int) -> None:
        for _ in range(50):  # (a busy server sheds a request, 503 with a Retry-After: again, as a client would)
            made = client.post("/transfers", json={"account_id": accounts[n % len(accounts)], "amount": -100 - n % 7})
            if made.status_code != 503:
                break
            time.sleep(float(made.headers.get("Retry-After") or 1))
        assert made.status_code == 200, made.text
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, range(count)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--transfers", type=int, default=3000)
    parser.add_argument("--accounts", type=int, default=100)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    work = Path(tempfile.mkdtemp(prefix="balance-bench-"))
    process, base = start_sandbox(work)
    try:
        with httpx.Client(base_url=base, timeout=60, limits=httpx.Limits(max_connections=8)) as client:
            accounts = [client.post("/accounts", headers=JSON_API, json={"data": {"type": "depositAccount", "attributes": {
                "name": f"a{n}"}}}).json()["data"]["id"] for n in range(args.accounts)]
            transfers(client, accounts, len(accounts))
            url = f"{base}/accounts/{accounts[0]}/balance"
            rows = [("1 transfer an account", wrk(url, "GET", None, args.seconds, args.connections, work))]
            transfers(client, accounts, max(args.transfers - len(accounts), 0))
            kept = f"{args.transfers} transfers kept"
            rows.append((kept, wrk(url, "GET", None, args.seconds, args.connections, work)))
            read = client.get(url).json()
        print(f"{'GET /accounts/{id}/balance':<28} {'req/s':>8} {'p50':>10} {'p99':>10}")
        for name, row in rows:
            print(f"{name:<28} {row['rps']:>8.0f} {row['p50_ms']:>8.1f}ms {row['p99_ms']:>8.1f}ms"
                  + (f"  ({row['non_2xx']} not 2xx)" if row["non_2xx"] else ""))
        print(f"ratio {rows[1][1]['rps'] / rows[0][1]['rps']:.2f}x; the account's balance then: {read}")
    finally:
        stop([process])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
