"""A published spec with no binding, served with the resources it makes kept, against Prism's static mock of it.

    .venv/bin/python bench/kept_bench.py [--seconds 6] [--connections 16] [--prism DIR]

Serves tests/published_specs/kept-resources (payments made, read, listed, changed; no binding) with
`bank-sandbox serve --specs` (open access: the development caller's default workspace) and, when it is
installed under `--prism` (`npm install @stoplight/prism-cli` there), Prism's mock of the same spec, and
drives each in turn with wrk: a creation (`POST /payments`, a fresh Idempotency-Key each: every request
makes and keeps a payment), a read of a payment made (Prism: of any id), and a page of 20 of the list
(which the sandbox answers from the kept payments: thousands of them by then, of which a list
pages through the 200 made last). Prints requests/s, p50/p99
and the sandbox/Prism ratios. Prism keeps nothing: the ratio is the price of being stateful.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

import httpx
import yaml

from http_bench import free_port, serve_folder, stop, wait, wrk

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "tests" / "published_specs"
FOLDER = SPECS / "kept-resources"
PAYMENT = {"amount": 1200, "reference": "bench"}


def start_sandbox(work: Path) -> tuple[subprocess.Popen, str]:
    return serve_folder(work, FOLDER, "kept-bench")


def start_prism(work: Path, folder: Path) -> tuple[subprocess.Popen, str] | None:
    prism = folder / "node_modules" / ".bin" / "prism"
    if not prism.exists():
        print(f"skipping Prism: {prism} is missing (npm install @stoplight/prism-cli in {folder})")
        return None
    port = free_port()
    spec = yaml.safe_load((FOLDER / "openapi.yaml").read_text(encoding="utf-8"))
    spec["servers"] = [{"url": f"http://127.0.0.1:{port}"}]
    path = work / "prism.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    process = subprocess.Popen([str(prism), "mock", str(path), "-h", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait(f"{base}/payments/any", 120)
    return process, base


def drive(name: str, base: str, args, work: Path, headers: dict) -> dict:
    made = httpx.post(f"{base}/payments", json=PAYMENT, headers=headers, timeout=30)
    if made.status_code != 201:
        raise SystemExit(f"{name}: POST /payments answered {made.status_code} {made.text[:300]}")
    results = {}
    for label, method, path, body in (("create", "POST", "/payments", PAYMENT),
                                      ("read", "GET", f"/payments/{made.json()['id']}", None),
                                      ("list 20", "GET", "/payments?limit=20", None)):
        results[label] = wrk(f"{base}{path}", method, body, args.seconds, args.connections, work, headers=headers)
        print(f"  {name:<8} {label:<8} {results[label]['rps']:>7.0f} req/s  p50 {results[label]['p50_ms']:.1f} ms"
              f"  p99 {results[label]['p99_ms']:.1f} ms  non-2xx {results[label]['non_2xx']}", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--prism", type=Path, default=Path("/tmp/prism-bench"),
                        help="folder where @stoplight/prism-cli is npm-installed (default /tmp/prism-bench)")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        process, base = start_sandbox(work)
        try:
            results["sandbox"] = drive("sandbox", base, args, work, {})  # open access: the development caller
        finally:
            stop([process])
        peer = start_prism(work, args.prism)
        if peer is not None:
            try:
                results["Prism"] = drive("Prism", peer[1], args, work, {"Authorization": "Bearer bench"})
            finally:
                stop([peer[0]])
    if "Prism" in results:
        for label in results["sandbox"]:
            print(f"{label:<8} sandbox / Prism: {results['sandbox'][label]['rps'] / results['Prism'][label]['rps']:.2f}x")


if __name__ == "__main__":
    main()
