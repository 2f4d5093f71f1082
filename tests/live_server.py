"""A real sandbox HTTP server on 127.0.0.1 for tests (uvicorn in a background thread)."""

from __future__ import annotations

import hashlib
import os
import socket
import tempfile
from contextlib import contextmanager
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from sandbox.pytest_plugin import serve
from sandbox.settings import Settings

ADMIN_TOKEN = "test-admin-token-long-enough-for-the-sandbox"
# A Thursday that is a business day; transfers requested at 10:00 execute at once.
BUSINESS_MORNING = "2026-11-05T10:00:00+09:00"



# A plan whose capacity no test reaches, for tests that load a server with many calls (several
# servers share the capacity counters, so the default plan's 10/s would refuse them).
ROOMY_PLANS = """
default: roomy
categories:
  reference: [accounts.*, beneficiaries.*]
  payments: [transfers.*, debits.*]
plans:
  roomy:
    description: Capacity far above a test's load, so no request is throttled.
    categories: [reference, payments]
    capacity: {per_second: 1000000, per_day: 100000000}
    peak: {per_second: 1000000, per_day: 100000000}
    price: {monthly_yen: 0, per_1000_calls_yen: 0}
"""

def roomy_plans() -> Path:
    """A plans file of `ROOMY_PLANS` of its own, for a module's `LIVE_SERVER` (`"plans": roomy_plans()`)."""
    # (made at a module's import, in every test process: one file named by its text, written whole or not at all,
    # not a folder per import left behind)
    path = Path(tempfile.gettempdir()) / f"roomy-plans-{hashlib.sha256(ROOMY_PLANS.encode()).hexdigest()[:12]}.yaml"
    if not path.exists():
        ready = path.with_name(f"{path.name}.{os.getpid()}")
        ready.write_text(ROOMY_PLANS, encoding="utf-8")
        os.replace(ready, path)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    settings: Settings
    app: object
    server: uvicorn.Server
    thread: threading.Thread

    @property
    def workspaces(self):
        return self.app.sandbox.workspaces

    def admin(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=30)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def wait_healthy(url: str, seconds: float = 90) -> bool:
    """Poll `url`/healthz every 50 ms until it answers 200; False when it never does.

    One client for every poll: a new one per poll would load the CA bundle each time (CPU that a
    suite starting dozens of servers on two cores feels).
    """
    deadline = time.monotonic() + seconds
    with httpx.Client(timeout=1) as client:
        while time.monotonic() < deadline:
            try:
                if client.get(f"{url}/healthz").status_code == 200:
                    return True
            except httpx.TransportError:
                pass
            time.sleep(0.05)
    return False


def start(data_dir: Path, clock: str | None = BUSINESS_MORNING, **settings) -> LiveServer:
    """The sandbox on a free port, served in this process as the pytest plugin serves it."""
    # Most suites drive the banks without OAuth (the development caller); the connector suites turn it off.
    settings.setdefault("open_access", True)
    # The suites send wrong tokens and passwords on purpose, all from 127.0.0.1: only test_security's
    # lockout tests run with a real limit on failed sign-ins.
    settings.setdefault("failed_auth_limit", "100000/minute")
    served = serve(data_dir, clock, admin_token=ADMIN_TOKEN, **settings)
    return LiveServer(served.url, served.app.sandbox.settings, served.app, served.server, served.thread)


@contextmanager
def running(data_dir: Path, *, seed_default: bool = True, **settings):
    """A server for a test module's fixture: started (with workspace `default` seeded), then stopped."""
    server = start(data_dir, **settings)
    try:
        if seed_default:
            server.workspaces.ensure("default")
        yield server
    finally:
        server.stop()


def bank_client(live, slug: str, token: str | None = None):
    """An HTTP client of one bank the live server serves (`<live>/banks/<slug>`), for a module's `client`
    fixture to yield from; with `token`, it sends it as a bearer token."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(base_url=f"{live.url}/banks/{slug}", timeout=30, headers=headers) as client:
        yield client
