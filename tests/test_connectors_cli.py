"""`bank-sandbox connector ...`, and capacity shared by two server workers (`serve --workers 2`).

The connector commands run in this process (click's runner: the same command, its output and exit code,
without a new interpreter per call); the server is a real `bank-sandbox serve` process with two workers.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

import live_server
from oauth_flows import bearer, client_credentials
from sandbox.cli import main
from sandbox.governance.connectors import uuid_form

BIN = Path(sys.executable).parent / "bank-sandbox"


def _run(data_dir, *args, check=True):
    """`bank-sandbox ARGS --data-dir DATA_DIR` in-process, with no SANDBOX_* variable of this machine leaking in."""
    env = {name: None for name in os.environ if name.startswith("SANDBOX_")}
    env["SANDBOX_CLOCK"] = "2026-11-06T10:00:00+09:00"  # a Friday that is no peak day
    result = CliRunner().invoke(main, [*args, "--data-dir", str(data_dir)], env=env)
    if check:
        assert result.exit_code == 0, (result.output, result.exception)
    return result


def _refused(result, exit_code: int, word: str) -> None:
    """A refusal: its exit code and the word on stderr, through sys.exit and not an exception."""
    assert result.exit_code == exit_code and isinstance(result.exception, SystemExit), (result.output, result.exception)
    assert word in result.stderr and "Traceback" not in result.output, result.output


def _corporate(data_dir) -> dict:
    from sandbox.settings import Settings
    from sandbox.workspaces import Workspaces
    from sandbox.actions import accounts

    ctx = Workspaces(Settings(data_dir=data_dir).data_dir).context("default")
    return next(a for a in accounts.list_accounts(ctx, bank_code="0990", limit=500)["accounts"]
                if a["customer_kind"] == "corporate")


def test_cli_connector_lifecycle(tmp_path):
    _run(tmp_path, "workspace", "create", "default")
    company = _corporate(tmp_path)
    created = json.loads(_run(tmp_path, "connector", "create", "--name", "Books", "--class", "self-use",
                              "--customer", company["customer_id"], "--json").stdout)
    assert created["client_secret"] and created["status"] == "active" and created["plan"] == "standard"
    listed = json.loads(_run(tmp_path, "connector", "list", "--json").stdout)
    assert [c["id"] for c in listed] == [created["id"]] and "client_secret" not in listed[0]
    _run(tmp_path, "connector", "suspend", created["id"], "--reason", "test")
    shown = json.loads(_run(tmp_path, "connector", "show", created["id"]).stdout)
    assert shown["status"] == "suspended" and shown["audit"][0]["event"] == "suspended"
    assert shown["capacity"]["effective"] == {"per_second": 20, "per_day": 50000}
    _run(tmp_path, "connector", "resume", created["id"])
    assert json.loads(_run(tmp_path, "connector", "list", "--json").stdout)[0]["status"] == "active"
    _refused(_run(tmp_path, "connector", "create", "--name", "App", "--class", "third-party", check=False), 1,
             "registration_number")
    _refused(_run(tmp_path, "connector", "suspend", "cn_nope", check=False), 1, "connector_not_found")
    # as text: the id, the same id as a UUID (for banks that take only UUIDs), and the secret, shown once
    text = _run(tmp_path, "connector", "create", "--name", "Ledger", "--class", "self-use", "--customer",
                company["customer_id"]).stdout
    connector_id = re.search(r"client_id +(cn_[0-9a-f]{16})", text).group(1)
    assert re.search(r"as a UUID +" + re.escape(uuid_form(connector_id)), text), text
    assert re.search(r"client_secret +\S{40} +\(shown once\)", text), text


@pytest.mark.slow
def test_capacity_holds_across_two_workers(tmp_path):
    _run(tmp_path, "workspace", "create", "default")
    company = _corporate(tmp_path)
    created = json.loads(_run(tmp_path, "connector", "create", "--name", "Burst", "--class", "self-use", "--customer",
                              company["customer_id"], "--json").stdout)
    port = live_server.free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
    env["SANDBOX_CLOCK"] = "2026-11-06T10:00:00+09:00"
    process = subprocess.Popen([str(BIN), "serve", "--workers", "2", "--port", str(port), "--data-dir", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        assert live_server.wait_healthy(base, 90), "the server did not start"
        token = client_credentials(base, created)
        limit = 20  # the standard plan on an ordinary day, as published
        url = f"{base}/banks/kaede/corporation/v1/accounts/balances"
        for attempt in range(3):  # a burst must fit in one wall-clock second; retry if the machine was slow
            time.sleep(1 - time.time() % 1 + 0.01)
            started, statuses = time.time(), []
            # A new connection per call, so the kernel hands them to both workers.
            no_keepalive = httpx.Limits(max_keepalive_connections=0)
            with httpx.Client(headers=bearer(token), timeout=30, limits=no_keepalive) as api:
                for _ in range(limit + 5):
                    response = api.get(url, params={"accountId": company["id"]})
                    statuses.append(response.status_code)
            if int(time.time()) == int(started):
                break
        assert statuses == [200] * limit + [429] * 5, statuses
        # Each worker writes its share of the request log within a fraction of a second.
        admin = {"Authorization": f"Bearer {(tmp_path / 'admin-token').read_text().strip()}"}
        deadline, refused = time.monotonic() + 5, 0
        while refused < 5 and time.monotonic() < deadline:
            log = httpx.get(f"{base}/sandbox/v1/workspaces/default/requests", params={"limit": 1000, "status": 429},
                            headers=admin).json()
            refused = len(log["requests"])
            time.sleep(0.1)
        assert refused >= 5
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert "Traceback" not in output
