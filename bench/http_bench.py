"""Requests per second through the whole stack, against Connexion's own mock server on the same spec.

    .venv/bin/python bench/http_bench.py [--bank kaede] [--seconds 10] [--connections 16]

Starts `bank-sandbox serve` (a fresh data directory, the clock frozen at a business-day 10:00 so
transfers execute at once) and `connexion run SPEC --mock all` on the same bank spec (with its
security requirements and error responses removed: the mock has no token checker and would answer
401, and with two response media types it answers 500 instead of its success example), then
drives both with wrk (Debian's `wrk` package) on 127.0.0.1: a balance inquiry (GET) and a transfer
request (POST). Prints requests/s, p50/p99 latency and the ratio stateful / mock.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TOKEN = "bench-token"

# How each dialect asks for a balance and makes a one-yen transfer. {payer}/{payee...} are filled in.
REQUESTS = {
    "kaede": {
        "balance": ("GET", "/banks/kaede/corporation/v1/accounts/balances?accountId={payer[id]}", None),
        "transfer": ("POST", "/banks/kaede/corporation/v1/transfer/request", {
            "accountId": "{payer[id]}",
            "transfers": [{"transferAmount": "1", "beneficiaryBankCode": "{payee[bank_code]}",
                           "beneficiaryBranchCode": "{payee[branch_code]}", "accountTypeCode": "{payee[account_type]}",
                           "accountNumber": "{payee[account_number]}", "beneficiaryName": "{payee[holder_kana]}"}],
        }),
    },
    "hub": {
        "balance": ("GET", "/hub/v1/accounts/{payer[id]}/balance", None),
        "transfer": ("POST", "/hub/v1/transfers", {
            "from_account_id": "{payer[id]}", "amount": 1,
            "to": {"bank_code": "{payee[bank_code]}", "branch_code": "{payee[branch_code]}",
                   "account_type": "{payee[account_type]}", "account_number": "{payee[account_number]}",
                   "name": "{payee[holder_kana]}"},
        }),
    },
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait(url: str, seconds: float = 60, process: subprocess.Popen | None = None) -> None:
    """Until `url` answers; else stop `process` (the server that should have answered) and end the bench.

    A server left behind whose workers fail at start-up is started again and again by its supervisor, a core
    taken for as long as it lives: every figure measured after it would measure a busier machine.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            break
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    if process is not None:
        stop([process])
    raise SystemExit(f"nothing answered at {url}")


def _cpu_ticks(pid: int) -> int:
    """CPU time (clock ticks) of `pid` and every process below it, from /proc."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
            todo += [int(child) for child in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except (OSError, IndexError, ValueError):  # gone meanwhile
            continue
    return total


def settled(process, seconds: float = 60) -> None:
    """Wait until the server's processes sit idle: every worker has started, not only the first to answer.

    `/healthz` answers as soon as one worker serves; a worker still starting takes no connection, so
    wrk's connections, kept for the whole run, would all stay with the first (one run in a few did so).
    """
    deadline, before = time.monotonic() + seconds, _cpu_ticks(process.pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = _cpu_ticks(process.pid)
        if now - before <= 2:  # at most 20 ms of CPU in half a second, all processes together
            return
        before = now


def fill(value, variables):
    if isinstance(value, str):
        return value.format(**variables)
    if isinstance(value, dict):
        return {k: fill(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, variables) for v in value]
    return value


def wrk(url: str, method: str, body, seconds: int, connections: int, workdir: Path, headers: dict | None = None) -> dict:
    script = workdir / f"{method.lower()}.lua"
    lines = [f'wrk.method = "{method}"', 'wrk.headers["Content-Type"] = "application/json"']
    lines += [f'wrk.headers["{name}"] = "{value}"' for name, value in (headers or {}).items()]
    if body is not None:
        # A Lua long string holds the JSON (UTF-8 and all) byte for byte.
        lines.append(f"wrk.body = [==[{json.dumps(body, ensure_ascii=False)}]==]")
    if method == "POST":
        # A fresh idempotency key per request, so every request makes a transfer (no replays).
        lines += ["init = function(args) math.randomseed(os.time() + math.floor(os.clock() * 1000000)) end",
                  "n = 0",
                  "request = function() n = n + 1",
                  "  local headers = {}",
                  "  for name, value in pairs(wrk.headers) do headers[name] = value end",
                  '  headers["Idempotency-Key"] = n .. "-" .. math.random(1, 2147483647)',
                  "  return wrk.format(nil, nil, headers) end"]
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
                         capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(\w+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    to_ms = lambda m: float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    return {"rps": rate, "p50_ms": to_ms(p50), "p99_ms": to_ms(p99), "non_2xx": int(errors.group(1)) if errors else 0}


def serve_folder(work: Path, folder: Path, token: str, *options: str) -> tuple[subprocess.Popen, str]:
    """`bank-sandbox serve --specs` of the one bank folder `folder` (open access, a data directory under `work`,
    `options` added), once it answers and has settled; (the process, the bank's base URL)."""
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}, "SANDBOX_OPEN_ACCESS": "1",
           "SANDBOX_ADMIN_TOKEN": token + "-" + "x" * 32}
    only = work / "specs"
    only.mkdir()
    (only / folder.name).symlink_to(folder)
    process = subprocess.Popen([str(Path(sys.executable).parent / "bank-sandbox"), "serve", "--port", str(port),
                                *options, "--data-dir", str(work / "data"), "--specs", str(only)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait(f"{base}/healthz", 240, process)
    settled(process)
    return process, f"{base}/banks/{folder.name}"


def stop(processes) -> None:
    """Ask each server to stop as Ctrl-C would; kill the ones that do not within 10 s."""
    for process in processes:
        process.send_signal(signal.SIGINT)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", default="kaede", choices=sorted(REQUESTS))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    work = Path(tempfile.mkdtemp(prefix="http-bench-"))
    spec_folder = ROOT / "specs" / args.bank
    mount = yaml.safe_load((spec_folder / "binding.yaml").read_text()).get("mount") or f"/banks/{args.bank}"
    spec = yaml.safe_load((spec_folder / "openapi.yaml").read_text(encoding="utf-8"))
    spec.pop("security", None)
    for item in spec["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict):
                operation.pop("security", None)
                # The mock cannot choose between a success's JSON and an error's problem+json
                # (it answers 500), and it only ever serves the success example anyway.
                operation["responses"] = {code: response for code, response in operation.get("responses", {}).items()
                                          if str(code).startswith("2")}
    open_spec = work / "openapi.yaml"
    open_spec.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")

    sandbox_port, mock_port = free_port(), free_port()
    env = {**os.environ, "SANDBOX_ADMIN_TOKEN": TOKEN, "SANDBOX_OPEN_ACCESS": "1"}  # no tokens: the bare stack
    processes = [
        subprocess.Popen([str(BIN / "bank-sandbox"), "serve", "--port", str(sandbox_port), "--data-dir", str(work / "data"),
                          "--clock", "2026-11-05T10:00:00+09:00", "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen([str(BIN / "connexion"), "run", str(open_spec), "--mock", "all", "--port", str(mock_port),
                          "--base-path", mount], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    try:
        sandbox, mock = f"http://127.0.0.1:{sandbox_port}", f"http://127.0.0.1:{mock_port}"
        wait(f"{sandbox}/healthz")
        wait(f"{mock}{mount}/ui/")
        accounts = httpx.get(f"{sandbox}/sandbox/v1/workspaces/default/accounts", params={"limit": 500},
                             headers={"Authorization": f"Bearer {TOKEN}"}).json()["accounts"]
        bank_code = yaml.safe_load((spec_folder / "binding.yaml").read_text()).get("bank") or "0990"
        payer = max((a for a in accounts if a["bank_code"] == bank_code and a["customer_kind"] == "corporate"),
                    key=lambda a: a["balance"])
        payee = next(a for a in accounts if a["bank_code"] != bank_code and a["customer_kind"] == "individual")
        variables = {"payer": payer, "payee": payee}
        results = {}
        for name, (method, path, body) in REQUESTS[args.bank].items():
            path, body = fill(path, variables), fill(body, variables)
            check = httpx.request(method, f"{sandbox}{path}", json=body, headers={"Idempotency-Key": "bench-check"})
            if check.status_code >= 300:
                raise SystemExit(f"{name}: the sandbox answered {check.status_code} {check.text[:300]}")
            for target, base in (("sandbox", sandbox), ("mock", mock)):
                results[(name, target)] = wrk(f"{base}{path}", method, body, args.seconds, args.connections, work)
        workspace = httpx.get(f"{sandbox}/sandbox/v1/workspaces/default", headers={"Authorization": f"Bearer {TOKEN}"}).json()
        print(f"bank {args.bank}, {args.connections} connections, {args.seconds} s each, 2 wrk threads, 127.0.0.1")
        print(f"{'request':<10} {'server':<8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
        for (name, target), figures in results.items():
            print(f"{name:<10} {target:<8} {figures['rps']:>9.0f} {figures['p50_ms']:>8.1f} {figures['p99_ms']:>8.1f} {figures['non_2xx']:>8}")
        for name in REQUESTS[args.bank]:
            ratio = results[(name, "sandbox")]["rps"] / results[(name, "mock")]["rps"]
            print(f"{name}: stateful / mock = {ratio:.2f}x")
        print(f"transfers in the workspace afterwards: {workspace.get('transfers')}")
    finally:
        stop(processes)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
