"""Where a served request's time goes: py-spy samples one sandbox worker while wrk drives one request.

    .venv/bin/python bench/serve_profile.py [--request transfer|balance] [--seconds 10] [--workers 1]
                                            [--out /tmp/serve.svg] [--raw /tmp/serve.txt]

Starts `bank-sandbox serve` as bench/serve_bench.py does (fresh data directory, frozen business-day
clock, a self-use connector's OAuth token), then runs wrk on the request while `py-spy record` samples
the serving process (with `--workers 2`, the first worker). Writes a flame graph (`--out`) and the
collapsed stacks (`--raw`), and prints the share of samples under a few functions of interest and that
share of the worker's CPU time per request (the kernel's count over the wrk run divided by the requests
served), so a before/after table can be read off one run. `--database-url URL` serves from that (empty)
PostgreSQL database instead of SQLite. Samples are of time on CPU; with `--idle`, of wall-clock
time, waits included (then the event loop's idle wait for the next request shows as asyncio). Needs py-spy (`.venv/bin/pip install py-spy`) and wrk.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from governance_bench import PLANS  # noqa: E402
from http_bench import REQUESTS, fill, stop, wrk  # noqa: E402
from serve_bench import connect, start_sandbox  # noqa: E402

BIN = Path(sys.executable).parent
# Each sample goes to the first of these found walking its stack from the innermost frame outwards
# (a substring of the frame's file), so the shares add up to 100 %. SQL runs in C and shows as the
# Python line that called it: the store's modules, or the action that ran its own statement.
PARTS = (
    ("write lock wait", "sandbox/store/locks.py"),
    ("store: ledger, BEGIN/COMMIT", "sandbox/store/"),
    ("core actions (and their SQL)", "sandbox/actions/"),
    ("JMESPath", "jmespath/"),
    ("bindings (mapping, rendering)", "sandbox/bindings/"),
    ("request log", "sandbox/governance/requestlog.py"),
    ("governance (tokens, plan, capacity)", "sandbox/governance/"),
    ("validation", "sandbox/http/validation.py"),
    ("JSON (de)serialisation", "json/"),
    ("sandbox http glue (gate, views, intake)", "sandbox/http/"),
    ("connexion + starlette", "connexion/"),
    ("connexion + starlette", "starlette/"),
    ("uvicorn, h11, event loop", "uvicorn/"),
    ("uvicorn, h11, event loop", "asyncio/"),
)


def workers_of(process: subprocess.Popen) -> list[int]:
    """The process ids serving requests: uvicorn's spawned workers when it has them, else the process."""
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(process.pid)], capture_output=True, text=True).stdout
    serving = [int(pid) for pid in out.split()
               if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]
    return serving or [process.pid]


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) the process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def summarise(raw: Path, per_request_us: float = 0) -> None:
    """Print each part's share of the samples and, given the CPU time per request, that share of it.

    The samples decide the split, the kernel's count of CPU time the total: py-spy also counts a
    thread as busy in some waits (a socket send, the interpreter lock), so samples overstate it.
    """
    totals = collections.Counter()
    samples = 0
    for line in raw.read_text(errors="replace").split("\n"):
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():  # a sample py-spy read torn (a frame's name caught mid-change) spans lines
            continue
        count = int(count)
        samples += count
        frames = stack.split(";")[::-1]
        totals[next((name for frame in frames for name, where in PARTS if where in frame), "other")] += count
    print(f"{samples} samples of the serving process")
    for name in dict.fromkeys([name for name, _ in PARTS] + ["other"]):
        share = totals[name] / max(samples, 1)
        each = f" {share * per_request_us:7.0f} µs" if per_request_us else ""
        print(f"  {name:<42} {100 * share:5.1f} %{each}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--request", default="transfer", choices=sorted(REQUESTS["kaede"]))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--idle", action="store_true",
                        help="also sample waiting threads (sleeps, lock waits): wall-clock time, not CPU")
    parser.add_argument("--database-url", help="serve from this PostgreSQL database (a fresh, empty one) instead of SQLite")
    parser.add_argument("--out", type=Path, default=Path("/tmp/serve-profile.svg"))
    parser.add_argument("--raw", type=Path, default=Path("/tmp/serve-profile.txt"))
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(BIN / "py-spy")
    work = Path(tempfile.mkdtemp(prefix="serve-profile-"))
    (work / "plans.yaml").write_text(PLANS, encoding="utf-8")
    # Nothing shed as busy on a loaded machine: a refusal costs a fraction of a request and would skew the split.
    settings = {"SANDBOX_MAX_QUEUE_MS": "5000", **({"SANDBOX_DATABASE_URL": args.database_url} if args.database_url else {})}
    process, base = start_sandbox(work, "data", args.workers, settings=settings)
    try:
        payer, payee, token = connect(base)
        method, path, body = REQUESTS["kaede"][args.request]
        path, body = fill(path, {"payer": payer, "payee": payee}), fill(body, {"payer": payer, "payee": payee})
        pid = workers_of(process)[0]
        recorders = [subprocess.Popen([spy, "record", "--pid", str(pid), "--duration", str(args.seconds), "--rate", "200",
                                       "--format", form, "--output", str(out), "--nonblocking"]
                                      + (["--idle"] if args.idle else []),
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                     for form, out in (("flamegraph", args.out), ("raw", args.raw))]
        time.sleep(0.5)
        used = cpu_seconds(pid)
        figures = wrk(f"{base}{path}", method, body, args.seconds, args.connections, work,
                      headers={"Authorization": f"Bearer {token}"})
        used = cpu_seconds(pid) - used
        for recorder in recorders:
            recorder.wait(timeout=60)
        requests = figures["rps"] * args.seconds
        print(f"{args.request}, {args.workers} worker(s): {figures['rps']:.0f} req/s, p50 {figures['p50_ms']:.1f} ms, "
              f"p99 {figures['p99_ms']:.1f} ms, non-2xx {figures['non_2xx']}; the worker's CPU time "
              f"{used / requests * 1e6:,.0f} µs per request (/proc, py-spy's own cost included)")
        summarise(args.raw, used / requests * 1e6)
        print(f"flame graph: {args.out}")
    finally:
        stop([process])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
