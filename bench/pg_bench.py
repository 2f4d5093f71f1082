"""SQLite against PostgreSQL as the store, in one run on this machine, with the same number of workers.

    .venv/bin/python bench/pg_bench.py [--workers 2] [--seconds 10] [--connections 16] [--resets 20]

For each engine: `bank-sandbox serve` (SQLite files in a fresh data directory, or a fresh PostgreSQL
database) with a self-use connector's real OAuth token and a plan that never refuses, then wrk on
楓銀行's balance GET and 1-yen transfer POST (a fresh Idempotency-Key each; only 2xx answers count, and
neither server sheds load), the engines taking turns for --rounds rounds (the best round of each
counts: a shared machine's noise only ever slows a round down); then, in this process, seeding the
10,000-account profile `large` and resetting it after 20 transfers each time. On
PostgreSQL it also counts the statements the server ran per HTTP transfer (pg_stat_statements) and
the round trips per core transfer (`postgres.counting`, the connection layer's own count); then it
onboards --teams teams with `bank-sandbox teams create --count N` (target: 200 in 60 s) and checks
that deleting one leaves none of its rows.

    .venv/bin/python bench/pg_bench.py --trace [--requests 50]

prints instead where each round trip of an HTTP transfer and balance read comes from (by calling
function), and the statements the server ran for them with their execution time (pg_stat_statements),
with the sandbox served in this process on a throwaway PostgreSQL.

PostgreSQL is a throwaway cluster from the machine's server binaries (tests/engines.py), or the server
of --database-url (it must allow CREATE DATABASE and have pg_stat_statements loaded). The cluster
runs with synchronous_commit=off, as SQLite runs with synchronous=NORMAL in WAL mode: a power cut may
lose the last commits, never the books' consistency.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from engines import Postgres, start_cluster  # noqa: E402
from governance_bench import ADMIN, CLOCK, PLANS  # noqa: E402
from http_bench import REQUESTS, fill, free_port, settled, stop, wait, wrk  # noqa: E402
from reset_bench import AS_OF, CLOCK as BUSINESS_DAY, dirty  # noqa: E402
from serve_bench import connect  # noqa: E402

from sandbox.store import postgres as layer  # noqa: E402
from sandbox.workspaces import Workspaces  # noqa: E402

BIN = Path(sys.executable).parent
TARGETS = {"transfer": 0.7, "balance": 0.8}  # PostgreSQL's rate at least this share of SQLite's
RESET_TARGET_MS, SEED_TARGET_S = 150.0, 5.0


def serve(work: Path, name: str, workers: int, url: str | None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}, "SANDBOX_ADMIN_TOKEN": ADMIN,
           "SANDBOX_PLANS": str(work / "plans.yaml"), **({"SANDBOX_DATABASE_URL": url} if url else {}),
           # Throughput, not load shedding: on a busy machine a late event loop would answer 503s fast.
           "SANDBOX_MAX_QUEUE_MS": "10000", "SANDBOX_MAX_IN_FLIGHT": "1000"}
    process = subprocess.Popen([str(BIN / "bank-sandbox"), "serve", "--port", str(port), "--data-dir", str(work / name),
                                "--clock", CLOCK, "--workers", str(workers)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait(f"{base}/healthz", 120, process)
    settled(process)
    return process, base


def http_rates(work: Path, name: str, url: str | None, args) -> dict:
    """wrk on the balance GET and the transfer POST of one server; and statements per transfer on PostgreSQL."""
    process, base = serve(work, name, args.workers, url)
    cluster = postmaster(url)
    try:
        payer, payee, token = connect(base)
        headers = {"Authorization": f"Bearer {token}"}
        variables = {"payer": payer, "payee": payee}
        results = {}
        for request in ("balance", "transfer"):
            method, path, body = REQUESTS["kaede"][request]
            before = cpu_seconds(process.pid, cluster)
            results[request] = figures = wrk(f"{base}{fill(path, variables)}", method, fill(body, variables),
                                             args.seconds, args.connections, work, headers=headers)
            served = figures["rps"] * args.seconds
            figures["cpu_us"] = {part: (spent - before[part]) / served * 1e6
                                 for part, spent in cpu_seconds(process.pid, cluster).items()}
            figures["rps"] -= figures["non_2xx"] / args.seconds  # answers that were not a success do not count
            split = "  ".join(f"{part} {us:.0f}" for part, us in figures["cpu_us"].items())
            print(f"  {name:<10} {request:<9} {results[request]['rps']:>7.0f} req/s  p50 {results[request]['p50_ms']:.1f} ms"
                  f"  p99 {results[request]['p99_ms']:.1f} ms  non-2xx {results[request]['non_2xx']}"
                  f"  CPU µs/request: {split}", flush=True)
        if url:
            results["statements"] = statements_per_transfer(url, base, headers, variables)
        return results
    finally:
        stop([process])


def postmaster(url: str | None) -> int | None:
    """The process id of the PostgreSQL server at `url` (None for SQLite), from its data directory."""
    if url is None:
        return None
    with psycopg.connect(url, autocommit=True) as conn:
        data = conn.execute("SHOW data_directory").fetchone()[0]
    return int((Path(data) / "postmaster.pid").read_text().split()[0])


def cpu_seconds(server_pid: int, cluster: int | None = None) -> dict:
    """CPU seconds used so far by the server's processes, by PostgreSQL's (the processes of the cluster
    whose postmaster is `cluster`: on a shared machine other clusters' come and go) and by the bench's
    finished children (wrk).

    Per request, they say where an engine's time goes when all of them share two cores: a request on
    PostgreSQL costs the worker's side of each statement and the server's side of it.
    """
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    used: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, fields = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        used[int(entry.name)] = (name, (int(fields[11]) + int(fields[12])) / tick)

    def tree(root: int | None) -> float:
        spent, stack = 0.0, [root] if root else []
        while stack:
            pid = stack.pop()
            spent += used.get(pid, ("", 0.0))[1]
            stack.extend(children.get(pid, ()))
        return spent

    server, postgres = tree(server_pid), tree(cluster)
    wrk_ = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"server": server, "postgres": postgres, "wrk": wrk_.ru_utime + wrk_.ru_stime}


def statements_per_transfer(url: str, base: str, headers: dict, variables: dict, count: int = 200) -> float:
    """Statements PostgreSQL ran per HTTP transfer (everything: token, capacity, ledger, request log)."""
    import psycopg

    method, path, body = REQUESTS["kaede"]["transfer"]
    with psycopg.connect(url, autocommit=True) as conn, httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        conn.execute("SELECT pg_stat_statements_reset()")
        for n in range(count):
            client.post(fill(path, variables), json=fill(body, variables), headers={"Idempotency-Key": f"count-{n}"})
        time.sleep(1.5)  # the request log is written in batches
        calls = conn.execute("SELECT sum(calls) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database "
                             "WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'").fetchone()[0]
    return float(calls) / count


def round_trips_per_core_transfer(spaces: Workspaces, count: int = 200) -> float:
    """Round trips per transfers.create, as the connection layer counts them."""
    with layer.counting() as trips:
        dirty(spaces, count)
    return sum(trips.values()) / count


def trace(server, requests: int) -> None:
    """Round trips per HTTP balance read and transfer, by the function that asked for each."""
    from sandbox.serving import serve as serve_here

    work = Path(tempfile.mkdtemp(prefix="pg-trace-"))
    (work / "plans.yaml").write_text(PLANS, encoding="utf-8")
    url = server.new_database()
    served = serve_here(work / "data", CLOCK, admin_token=ADMIN, database_url=url, plans=work / "plans.yaml")
    try:
        served.app.sandbox.workspaces.ensure("default")
        payer, payee, token = connect(served.url)
        variables = {"payer": payer, "payee": payee}
        with httpx.Client(base_url=served.url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
            for request in ("balance", "transfer"):
                method, path, body = REQUESTS["kaede"][request]

                def send(n: int) -> None:
                    answer = client.request(method, fill(path, variables), json=fill(body, variables) if body else None,
                                            headers={"Idempotency-Key": f"{request}-{n}"})
                    answer.raise_for_status()

                for n in range(5):  # caches warm, statements prepared
                    send(-n - 1)
                time.sleep(1)
                with psycopg.connect(url, autocommit=True) as stats:
                    stats.execute("SELECT pg_stat_statements_reset()")
                    with layer.counting() as trips:
                        for n in range(requests):
                            send(n)
                        time.sleep(0.5)  # the request log's batch (background: its share per request is small)
                    ran = stats.execute(_STATEMENTS).fetchall()
                print(f"{request}: {sum(trips.values()) / requests:.1f} round trips, "
                      f"{sum(calls for _, calls, _ in ran) / requests:.1f} statements per request")
                for caller, calls in trips.most_common():
                    print(f"  {calls / requests:6.2f}  {caller}")
                print("  statements:")
                print("  calls  µs (nested statements counted in their caller too)")
                for query, calls, spent in ran:
                    print(f"  {calls / requests:5.2f} {spent * 1000 / requests:6.0f}  {' '.join(query.split())[:100]}")
    finally:
        served.stop()
        shutil.rmtree(work, ignore_errors=True)


# What the server ran, by statement (the listener's and this count's own statements left out).
_STATEMENTS = ("SELECT query, calls, total_exec_time FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database "
               "WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC")


def onboarding(server, work: Path, teams: int) -> dict:
    """Seconds for `bank-sandbox teams create --count N` on PostgreSQL; then rows left by a deleted team."""
    url = server.new_database()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}, "SANDBOX_ADMIN_TOKEN": ADMIN,
           "SANDBOX_DATABASE_URL": url, "SANDBOX_CLOCK": CLOCK}
    started = time.perf_counter()
    subprocess.run([str(BIN / "bank-sandbox"), "teams", "create", "--count", str(teams), "--data-dir",
                    str(work / "teams")], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    name = f"team-{1:0{max(2, len(str(teams)))}d}"
    process, base = serve(work, "teams-serve", 1, url)
    try:
        httpx.delete(f"{base}/sandbox/v1/workspaces/{name}", headers={"Authorization": f"Bearer {ADMIN}"},
                     timeout=60).raise_for_status()
    finally:
        stop([process])
    with psycopg.connect(url, autocommit=True) as conn:
        schemas = conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname = ANY(%s)", (
            [layer.schema_name(prefix, name) for prefix in ("ws", "wp", "wn", "wb", "wd")],)).fetchone()[0]
        rows = sum(conn.execute(query, (name,)).fetchone()[0] for query in (
            "SELECT count(*) FROM control.workspaces WHERE name = %s",
            "SELECT count(*) FROM governance.connectors WHERE workspace = %s",
            "SELECT count(*) FROM governance.tokens t JOIN governance.connectors c ON c.id = t.connector_id "
            "WHERE c.workspace = %s"))
    print(f"  postgresql {teams} teams onboarded in {seconds:.1f} s ({seconds / teams * 1000:.0f} ms a team); "
          f"deleted {name}: {schemas} schemas and {rows} rows of it left", flush=True)
    return {"seconds": seconds, "left": schemas + rows}


def store_figures(work: Path, name: str, url: str | None, resets: int, gap_s: float) -> dict:
    """Seconds to seed `large` (10,000 accounts), and milliseconds per reset after 20 transfers."""
    spaces = Workspaces(work / f"{name}-store", BUSINESS_DAY, database_url=url, images=None)  # seeded, not copied
    started = time.perf_counter()
    created = spaces.create("large", profile="large", as_of=AS_OF)
    seed_s = time.perf_counter() - started
    figures = {"seed_s": seed_s, "accounts": created["accounts"]}
    if url:
        figures["round_trips"] = round_trips_per_core_transfer(spaces)
    times = []
    for _ in range(resets):
        time.sleep(gap_s)  # organisers reset now and then; on PostgreSQL the next spare is made meanwhile
        dirty(spaces)
        times.append(spaces.reset("large")["elapsed_ms"])
    dirty(spaces)
    figures["back_to_back_ms"] = spaces.reset("large")["elapsed_ms"]  # right after the previous reset
    figures["reset_ms"] = statistics.median(times)
    figures["reset_max_ms"] = max(times)
    figures["first_reset_ms"] = times[0]
    print(f"  {name:<10} seed large {seed_s:.2f} s ({created['accounts']:,} accounts)  reset first "
          f"{times[0]:.1f} ms, median {figures['reset_ms']:.1f} ms, max {figures['reset_max_ms']:.1f} ms, right after another "
          f"{figures['back_to_back_ms']:.1f} ms", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--resets", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--gap", type=float, default=3.0, help="seconds between resets")
    parser.add_argument("--database-url", help="a PostgreSQL server to use instead of a throwaway cluster")
    parser.add_argument("--teams", type=int, default=200, help="teams to onboard on PostgreSQL (0: none)")
    parser.add_argument("--trace", action="store_true", help="only print where each request's round trips come from")
    parser.add_argument("--requests", type=int, default=50, help="requests of each kind that --trace counts over")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    work = Path(tempfile.mkdtemp(prefix="pg-bench-"))
    (work / "plans.yaml").write_text(PLANS, encoding="utf-8")
    server = Postgres(args.database_url) if args.database_url else start_cluster(
        "-c fsync=on -c full_page_writes=on -c shared_preload_libraries=pg_stat_statements -c shared_buffers=256MB")
    try:
        with psycopg.connect(server.admin_url.rpartition("/")[0] + "/template1", autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")  # every new database has it
        if args.trace:
            trace(server, args.requests)
            return
        http, store = {}, {}
        for round_ in range(args.rounds):
            for name in ("sqlite", "postgresql"):
                url = server.new_database() if name == "postgresql" else None
                figures = http_rates(work, f"{name}-{round_}", url, args)
                best = http.setdefault(name, figures)
                for request in TARGETS:
                    if figures[request]["rps"] > best[request]["rps"]:
                        best[request] = figures[request]
        for name in ("sqlite", "postgresql"):
            store[name] = store_figures(work, name, server.new_database() if name == "postgresql" else None, args.resets,
                                        args.gap)
        print(f"\nworkers {args.workers}, wrk {args.connections} connections x {args.seconds} s, on {os.cpu_count()} cores")
        print(f"{'':<12}{'sqlite':>12}{'postgresql':>14}{'ratio':>8}{'target':>9}")
        for request, target in TARGETS.items():
            lite, pg = http["sqlite"][request]["rps"], http["postgresql"][request]["rps"]
            print(f"{request + ' req/s':<12}{lite:>12.0f}{pg:>14.0f}{pg / lite:>8.2f}{'>= ' + str(target):>9}")
            for part in http["sqlite"][request]["cpu_us"]:
                print(f"{'  ' + part + ' µs':<12}{http['sqlite'][request]['cpu_us'][part]:>12.0f}"
                      f"{http['postgresql'][request]['cpu_us'][part]:>14.0f}")
        for key, label, target in (("seed_s", "seed 10k s", SEED_TARGET_S), ("first_reset_ms", "1st reset ms", RESET_TARGET_MS),
                                   ("reset_ms", "reset ms", RESET_TARGET_MS)):
            print(f"{label:<12}{store['sqlite'][key]:>12.2f}{store['postgresql'][key]:>14.2f}{'':>8}{'<= ' + str(target):>9}")
        print(f"PostgreSQL per transfer: {http['postgresql']['statements']:.1f} statements over HTTP (all of them), "
              f"{store['postgresql']['round_trips']:.1f} round trips in the core action")
        if args.teams:
            teams = onboarding(server, work, args.teams)
            print(f"PostgreSQL onboarding: {args.teams} teams in {teams['seconds']:.1f} s (target: 200 in <= 60 s); "
                  f"a deleted team left {teams['left']} schemas and rows")
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
