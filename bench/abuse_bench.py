"""What the business-logic abuse rules cost a transfer: the same governed transfer POST with the rules on and off.

    .venv/bin/python bench/abuse_bench.py [--seconds 8] [--connections 16] [--rounds 4] [--pairs 1000]

Starts two `bank-sandbox serve` processes on fresh data directories, the clock frozen at a business
day's 10:00 (transfers execute at once), both fully governed (OAuth token, plan, capacity, request
log): *on* with the default rules (docs/abuse.md), *off* with `SANDBOX_ABUSE_RULES=0`. A company's
self-use connector sends 1-yen transfers through 楓銀行's API to one payee, a fresh Idempotency-Key
each, so on the *on* server every call goes through the gate's hold check, the transfer's
structuring and new-payee checks and the answer's retry and refusal checks. wrk (Debian's `wrk`
package) drives each in turn for `--rounds` rounds, which of the two goes first alternating (the
second of a pair otherwise pays for the first's background writes); medians are printed with the
cost, 1 - on / off, and the refusals each request log recorded. Then one connection sends `--pairs`
single transfers to each server in turn and compares the median latencies, a figure a busy machine
disturbs far less. The target is at most 5%.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from governance_bench import ADMIN, PLANS, serve
from http_bench import REQUESTS, fill, stop, wrk

SETTLE_S = 2.0  # a pause before each run, for the other server's background writes to finish


def connector_token(base: str) -> tuple[str, dict, dict]:
    """A self-use connector of 楓銀行's richest company: (access token, payer, payee)."""
    admin = {"Authorization": f"Bearer {ADMIN}"}
    accounts = httpx.get(f"{base}/sandbox/v1/workspaces/default/accounts", params={"limit": 500, "bank_code": "0990"},
                         headers=admin, timeout=30).json()["accounts"]
    companies = sorted((a for a in accounts if a["customer_kind"] == "corporate"), key=lambda a: -a["balance"])
    payer = companies[0]
    payee = next(a for a in companies if a["customer_id"] != payer["customer_id"])
    connector = httpx.post(f"{base}/sandbox/v1/connectors", headers=admin, timeout=30, json={
        "workspace": "default", "name": "bench", "class": "self-use", "customer_id": payer["customer_id"]}).json()
    token = httpx.post(f"{base}/oauth/token", data={"grant_type": "client_credentials"}, timeout=30,
                       auth=(connector["client_id"], connector["client_secret"])).json()["access_token"]
    return token, payer, payee


def pairs(servers: dict, count: int) -> dict:
    """Median latency of single transfers sent to each server in turn (which goes first alternates).

    Whatever else the machine is doing hits both alike, so the difference survives a loaded machine
    better than two throughput runs taken one after the other.
    """
    latencies = {name: [] for name in servers}
    clients = {name: httpx.Client(headers=headers, timeout=30) for name, (_, _, headers) in servers.items()}
    try:
        for n in range(count):
            for name in (("off", "on") if n % 2 == 0 else ("on", "off")):
                url, body, _ = servers[name]
                started = time.perf_counter()
                answer = clients[name].post(url, json=body, headers={"Idempotency-Key": f"pair-{n}"})
                latencies[name].append(time.perf_counter() - started)
                if answer.status_code not in (200, 201, 202):
                    raise SystemExit(f"a paired transfer answered {answer.status_code} on {name}: {answer.text[:300]}")
    finally:
        for client in clients.values():
            client.close()
    return {name: statistics.median(values) for name, values in latencies.items()}


def refusals(base: str) -> dict:
    """How many calls each refusal (status, canonical code) answered, from the server's request log."""
    counts, before = {}, None
    while True:
        page = httpx.get(f"{base}/sandbox/v1/workspaces/default/requests", timeout=60,
                         params={"limit": 1000, **({"before": before} if before else {})},
                         headers={"Authorization": f"Bearer {ADMIN}"}).json()
        for call in page["requests"]:
            if call["status"] >= 300:
                key = f"{call['status']} {call['error_code']}"
                counts[key] = counts.get(key, 0) + 1
        before = page["next_before"]
        if before is None:
            return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--pairs", type=int, default=1000, help="Transfers per server for the paired latency figure.")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    work = Path(tempfile.mkdtemp(prefix="abuse-bench-"))
    (work / "plans.yaml").write_text(PLANS, encoding="utf-8")
    processes, servers = [], {}
    try:
        for name, env in (("on", {}), ("off", {"SANDBOX_ABUSE_RULES": "0"})):
            process, base = serve(work, name, env)
            processes.append(process)
            token, payer, payee = connector_token(base)
            _, path, body = REQUESTS["kaede"]["transfer"]
            body = fill(body, {"payer": payer, "payee": payee})
            check = httpx.post(f"{base}{path}", json=body, timeout=30,
                               headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "bench-check"})
            if check.status_code not in (200, 201, 202):
                raise SystemExit(f"the transfer answered {check.status_code} on {name}: {check.text[:300]}")
            servers[name] = (base + path, body, {"Authorization": f"Bearer {token}"})
        figures = {"off": [], "on": []}
        for round_ in range(args.rounds):
            # Whichever runs second in a round meets the first's leftovers (its request log being written, its
            # WAL checkpointed): the order alternates, so each side goes first in half the rounds.
            for name in (("off", "on") if round_ % 2 == 0 else ("on", "off")):
                time.sleep(SETTLE_S)
                url, body, headers = servers[name]
                figures[name].append(wrk(url, "POST", body, args.seconds, args.connections, work, headers=headers))
        paired = pairs(servers, args.pairs)
        alerts = httpx.get(f"{servers['on'][0].split('/banks/')[0]}/sandbox/v1/workspaces/default/alerts",
                           headers={"Authorization": f"Bearer {ADMIN}"}, timeout=30).json()["alerts"]
        print(f"transfer POST (kaede, 1 yen, one payee), {args.connections} connections, {args.seconds} s x "
              f"{args.rounds} rounds, 2 wrk threads, one server worker each, 127.0.0.1")
        print(f"{'rules':<6} {'req/s (median)':>15} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
        medians = {}
        for name, runs in figures.items():
            medians[name] = statistics.median(r["rps"] for r in runs)
            print(f"{name:<6} {medians[name]:>15.0f} {statistics.median(r['p50_ms'] for r in runs):>8.1f} "
                  f"{statistics.median(r['p99_ms'] for r in runs):>8.1f} {sum(r['non_2xx'] for r in runs):>8}")
        print(f"cost of the rules: {1 - medians['on'] / medians['off']:.1%} (target <= 5%); alerts raised: {len(alerts)}")
        for name, (url, _, _) in servers.items():
            print(f"refusals ({name}): {refusals(url.split('/banks/')[0])}")
        print(f"one connection, {args.pairs} pairs of transfers sent on / off in turn: median latency "
              f"{paired['on'] * 1000:.3f} ms on, {paired['off'] * 1000:.3f} ms off, cost {paired['on'] / paired['off'] - 1:.1%}")
    finally:
        stop(processes)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
