"""State that decides an answer is in the store, not in one server's memory or data directory.

Two real `bank-sandbox serve` processes: on PostgreSQL each with its own empty data directory (as
separate hosts), on SQLite sharing one data directory (as the worker processes of one machine). A
console session opened on one is open on the other and ended through either; failed sign-ins made
on both are counted together and lock the address on both; a readiness run filed through one is
listed and read through the other, and so is an open readiness session. Below them, the store's
tables on both engines: a session past its end is gone, failures leave the window as it moves, and
the runs an older release kept as files are filed once.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from datetime import datetime

import httpx
import pytest
from engines import database_url, postgres  # noqa: F401 - fixtures: the store tests run on both engines
from live_server import ADMIN_TOKEN, BUSINESS_MORNING
from replicas import server_pair

from sandbox.actions import clock as clock_actions
from sandbox.actions import scenarios as scenario_actions
from sandbox.domain.calendar import JST
from sandbox.domain.clock import FixedClock
from sandbox.domain.errors import SandboxError
from sandbox.governance.abuse import Monitor
from sandbox.http.lockout import Lockout
from sandbox.http.sessions import StoredSessions
from sandbox.readiness import Archive
from sandbox.store.abuse import AbuseStore
from sandbox.store.server import ServerStore
from sandbox.workspaces import Workspaces

pytestmark = pytest.mark.slow  # two server processes per engine

V1 = "/sandbox/v1"
COOKIE = "sandbox_console"
KAEDE = "/banks/kaede/corporation/v1"
# Failed admin sign-ins allowed per address across both servers (a low limit, so the test is short).
LIMIT = 4


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def pair(request, tmp_path_factory):
    """Two servers sharing one data directory (SQLite) or one database with a data directory each (PostgreSQL)."""
    with server_pair(request, tmp_path_factory, request.param, BUSINESS_MORNING,
                       extra_env={"SANDBOX_FAILED_AUTH_LIMIT": f"{LIMIT}/minute"}) as servers:
        yield servers


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def console(base: str, cookie: str | None = None) -> httpx.Client:
    return httpx.Client(base_url=base, timeout=60, follow_redirects=False, cookies={COOKIE: cookie} if cookie else None)


def admin(base: str) -> httpx.Client:
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=120)


def report(connector: str) -> dict:
    """A readiness report as `readiness run` files it (one check)."""
    return {"plan": "standard", "plan_title": {"en": "Standard"}, "bank": "hub", "connector": connector,
            "class": "self-use", "started_at": "2026-11-05T01:00:00+00:00",
            "checks": [{"id": "happy-path", "result": "passed", "why": "paid once", "concerns": ["payment"],
                        "evidence": [{"method": "POST", "path": "/hub/v1/transfers", "status": 201}]}],
            "summary": {"passed": 1, "failed": 0, "warning": 0, "skipped": 0, "error": 0},
            "check_sheet": [{"concern": "payment", "title": {"en": "Pays"}, "checks": [{"id": "happy-path",
                                                                                       "result": "passed"}]}]}


# -- two servers, one state ------------------------------------------------------------------------

def test_console_session_opened_on_one_server_is_open_on_the_other_and_ends_on_both(pair):
    a, b = pair[0].url, pair[1].url
    with console(a) as browser:
        page = browser.get("/console/sign-in")
        signed_in = browser.post("/console/sign-in", data={"token": ADMIN_TOKEN, "csrf_token": csrf_token(page.text)})
        assert signed_in.status_code in (302, 303), signed_in.text
        cookie = browser.cookies[COOKIE]
    with console(b, cookie) as other:
        page = other.get("/console/")
        assert page.status_code == 200 and 'id="workspaces"' in page.text, page.text[:500]
        out = other.post("/console/sign-out", data={"csrf_token": csrf_token(page.text)})
        assert out.status_code == 302
    for base in (a, b):
        with console(base, cookie) as saved:
            answer = saved.get("/console/")
            assert answer.status_code == 302 and answer.headers["location"].endswith("/console/sign-in"), base


def test_lockout_failed_sign_ins_on_both_servers_lock_the_address_on_both(pair):
    a, b = pair[0].url, pair[1].url
    # Each test run guesses from an address of its own (uvicorn takes X-Forwarded-For from 127.0.0.1).
    guesser = {"X-Forwarded-For": f"192.0.2.{uuid.uuid4().int % 250 + 1}"}
    wrong = {**guesser, "Authorization": "Bearer not-the-admin-token"}
    statuses = [httpx.get(f"{base}{V1}/workspaces", headers=wrong, timeout=60).status_code
                for base in (a, b) * (LIMIT // 2)]
    assert statuses == [401] * LIMIT  # each server saw only half the limit's failures
    for base in (a, b):
        refused = httpx.get(f"{base}{V1}/workspaces", headers={**guesser, "Authorization": f"Bearer {ADMIN_TOKEN}"},
                            timeout=60)
        assert refused.status_code == 429, (base, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert 1 <= int(refused.headers["retry-after"]) <= 60
    with console(b) as browser:  # the console's sign-in counts the same failures
        page = browser.get("/console/sign-in", headers=guesser)
        locked = browser.post("/console/sign-in", headers=guesser,
                              data={"token": ADMIN_TOKEN, "csrf_token": csrf_token(page.text)})
        assert locked.status_code == 429 and "retry-after" in locked.headers
    with admin(a) as others:  # another address is not held back
        assert others.get(f"{V1}/workspaces").status_code == 200


def test_readiness_run_filed_through_one_server_is_listed_and_read_through_the_other(pair):
    a, b = pair[0].url, pair[1].url
    connector = f"shared-state {uuid.uuid4().hex[:8]}"
    with admin(a) as on_a, admin(b) as on_b:
        filed = on_a.post(f"{V1}/readiness/runs", json=report(connector))
        assert filed.status_code == 201, filed.text
        run_id = filed.json()["id"]
        listed = on_b.get(f"{V1}/readiness/runs").json()["runs"]
        assert [r for r in listed if r["id"] == run_id] == [
            {"id": run_id, "plan": "standard", "bank": "hub", "connector": connector,
             "started_at": "2026-11-05T01:00:00+00:00", "summary": report(connector)["summary"]}]
        read = on_b.get(f"{V1}/readiness/runs/{run_id}")
        assert read.status_code == 200 and read.json() == filed.json()
        missing = on_b.get(f"{V1}/readiness/runs/run_{'0' * 16}")
        assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")


def test_readiness_session_started_through_one_server_is_answered_by_the_other(pair):
    a, b = pair[0].url, pair[1].url
    with admin(a) as on_a, admin(b) as on_b:
        started = on_a.post(f"{V1}/readiness/sessions", json={"plan": "standard", "workspace": "shared-readiness"})
        assert started.status_code == 201, started.text
        session = started.json()
        seen = on_b.get(f"{V1}/readiness/sessions/{session['id']}")
        assert seen.status_code == 200, seen.text
        assert {k: seen.json()[k] for k in ("id", "plan", "workspace", "client_id", "check")} == \
               {k: session[k] for k in ("id", "plan", "workspace", "client_id", "check")}
        assert "client_secret" not in seen.json()


# -- the store's tables, on both engines ------------------------------------------------------------

def test_workspace_context_changed_through_one_server_is_in_force_on_the_other_at_its_next_request(pair):
    """Each server keeps a workspace's clock, its armed scenario rules and its banks between requests (on
    PostgreSQL until a change is announced): a clock set, a rule armed or cleared and a reset through one
    server are what the other answers by at its very next request."""
    a, b = pair[0].url, pair[1].url
    workspace = f"{V1}/workspaces/default"
    with admin(a) as on_a, admin(b) as on_b:
        accounts = on_a.get(f"{workspace}/accounts", params={"limit": 500}).json()["accounts"]
        payer = max((x for x in accounts if x["bank_code"] == "0990" and x["customer_kind"] == "corporate"),
                    key=lambda x: x["balance"])
        payee = next(x for x in accounts if x["bank_code"] == "0991" and x["customer_kind"] == "individual")
        connector = on_a.post(f"{V1}/connectors", json={"workspace": "default", "name": "context", "class": "self-use",
                                                        "customer_id": payer["customer_id"]})
        assert connector.status_code == 201, connector.text
        token = httpx.post(f"{a}/oauth/token", data={"grant_type": "client_credentials"}, timeout=60,
                           auth=(connector.json()["client_id"], connector.json()["client_secret"])).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}

        def balance():
            return httpx.get(f"{b}{KAEDE}/accounts/balances", params={"accountId": payer["id"]}, headers=bearer, timeout=60)

        seeded = [balance(), balance()]  # b has read the workspace's context, and keeps it from here on
        assert [answer.status_code for answer in seeded] == [200, 200], seeded[0].text
        assert on_b.get(f"{workspace}/clock").json()["mode"] == "real"

        assert on_a.post(f"{workspace}/clock", json={"mode": "set", "to": "2026-12-24T15:00:00+09:00"}).status_code == 200
        assert on_b.get(f"{workspace}/clock").json()["now"] == "2026-12-24T15:00:00+09:00"
        assert on_a.post(f"{workspace}/clock", json={"mode": "real"}).status_code == 200
        assert on_b.get(f"{workspace}/clock").json()["mode"] == "real"

        assert on_a.post(f"{workspace}/scenarios", json={"pack": "bank-maintenance"}).status_code == 201
        down = balance()
        assert down.status_code == 503 and down.headers["retry-after"] == "600", down.text
        assert on_a.delete(f"{workspace}/scenarios").status_code == 200
        assert balance().status_code == 200

        paid = httpx.post(f"{b}{KAEDE}/transfer/request", headers={**bearer, "Idempotency-Key": uuid.uuid4().hex},
                          timeout=60, json={"accountId": payer["id"], "transfers": [{
                              "transferAmount": "1000", "beneficiaryBankCode": payee["bank_code"],
                              "beneficiaryBranchCode": payee["branch_code"], "accountTypeCode": payee["account_type"],
                              "accountNumber": payee["account_number"], "beneficiaryName": payee["holder_kana"]}]})
        assert paid.status_code < 300, paid.text
        assert balance().json() != seeded[0].json()
        assert on_a.post(f"{workspace}/reset").status_code == 200
        assert balance().json() == seeded[0].json()


def test_stored_sessions_keep_content_until_the_end_and_not_after(tmp_path, database_url):
    sessions = StoredSessions(ServerStore(tmp_path, database_url))
    content = {"admin": "f" * 64, "lang": "en", "_flashes": [("error", "bad token")]}
    assert sessions.set("console:one", content, timeout=60)
    assert sessions.get("console:one") == content  # tuples come back as tuples (Flask's tagged JSON)
    assert not sessions.add("console:one", {"admin": "someone else"}, timeout=60)  # a live id is never taken over
    assert sessions.get("console:one") == content
    assert sessions.set("console:short", {"lang": "ja"}, timeout=1)
    time.sleep(1.2)
    assert sessions.get("console:short") is None and not sessions.has("console:short")
    assert sessions.add("console:short", {"lang": "en"}, timeout=60)  # an ended id may be given again
    assert sessions.delete("console:one") and sessions.get("console:one") is None


def test_lockout_counts_failures_in_a_moving_window_shared_by_every_lockout(tmp_path, database_url):
    store = ServerStore(tmp_path, database_url)
    first, second = Lockout(store, "3/2 seconds"), Lockout(ServerStore(tmp_path, database_url), "3/2 seconds")
    first.failed("admin", "192.0.2.1")
    second.failed("admin", "192.0.2.1")
    assert first.wait("admin", "192.0.2.1") is None
    second.failed("admin", "192.0.2.1")
    assert first.wait("admin", "192.0.2.1") in (1, 2) and second.wait("admin", "192.0.2.1") in (1, 2)
    assert first.wait("customer", "192.0.2.1") is None and first.wait("admin", "192.0.2.2") is None
    time.sleep(2.1)
    assert first.wait("admin", "192.0.2.1") is None  # the failures left the window
    first.failed("admin", "192.0.2.3")  # and are forgotten at the next failure
    assert store.conn.execute("SELECT count(*) FROM failed_sign_ins").fetchone()[0] == 1


def test_archive_files_an_older_releases_run_files_once(tmp_path, database_url):
    folder = tmp_path / "readiness" / "runs"
    folder.mkdir(parents=True)
    old = {"id": "run_" + "a" * 16, **report("from files")}
    (folder / f"{old['id']}.json").write_text(json.dumps(old), encoding="utf-8")
    archive = Archive(ServerStore(tmp_path, database_url))
    assert archive.import_files(folder) == 1 and archive.import_files(folder) == 0
    assert archive.run(old["id"]) == old
    assert [run["id"] for run in archive.list_runs()] == [old["id"]]
    assert not list(folder.glob("*.json"))
    with pytest.raises(SandboxError):
        archive.run("../../etc/passwd")


def test_workspace_context_kept_by_one_process_follows_what_another_changes(tmp_path, database_url):
    base = FixedClock(datetime(2026, 11, 5, 10, 0, tzinfo=JST))
    first = Workspaces(tmp_path, base, database_url=database_url)
    first.create("kept", as_of="2026-11-04")
    second = Workspaces(tmp_path, base, database_url=database_url)  # another process's view of the same store
    seen = second.context("kept")
    assert seen.now() == base.now() and not scenario_actions.active(seen)
    second.context("kept")  # kept from here on, where the engine announces changes

    clock_actions.set_clock(first.context("kept"), mode="set", to="2026-12-24T15:00:00+09:00")
    assert second.context("kept").now().isoformat() == "2026-12-24T15:00:00+09:00"
    scenario_actions.add(first.context("kept"), {"match": {"bank": "kaede"}, "effect": {
        "type": "error", "code": "maintenance", "message": "closed for the test"}})
    assert scenario_actions.active(second.context("kept"))
    first.reset("kept")
    after = second.context("kept")
    assert after.now() == base.now() and not scenario_actions.active(after)

    # And what it changes itself, on the very connection it keeps them for, at its next context.
    second.context("kept")
    clock_actions.set_clock(second.context("kept"), mode="set", to="2027-01-04T09:00:00+09:00")
    assert second.context("kept").now().isoformat() == "2027-01-04T09:00:00+09:00"
    scenario_actions.add(second.context("kept"), {"match": {"bank": "kaede"}, "effect": {
        "type": "error", "code": "maintenance", "message": "closed for the test"}})
    assert scenario_actions.active(second.context("kept"))


def test_abuse_holds_kept_by_one_monitor_follow_a_hold_written_through_another(tmp_path, database_url):
    first = Monitor(AbuseStore(tmp_path, database_url), None, None)
    second = Monitor(AbuseStore(tmp_path, database_url), None, None)
    assert second.held("con_kept", time.time()) == (None, None)  # read, and kept from here on
    first.told_to_wait("con_kept", "default", 4_000_000_000.0)
    assert second.held("con_kept", time.time()) == (None, 4_000_000_000.0)


def test_one_reading_judges_a_blocks_lookups_against_one_data_version_and_the_next_block_sees_the_change(
        tmp_path, database_url):
    first = Monitor(AbuseStore(tmp_path, database_url), None, None)
    store = AbuseStore(tmp_path, database_url)
    second = Monitor(store, None, None)
    assert second.held("con_pinned", time.time()) == (None, None)
    with store.one_reading():
        assert second.held("con_pinned", time.time()) == (None, None)  # the block's one reading
        first.told_to_wait("con_pinned", "default", 4_000_000_000.0)
        # Committed by another connection meanwhile: this block's lookups keep to its reading.
        assert second.held("con_pinned", time.time()) == (None, None)
        with store.one_reading():  # nested: the outer reading holds
            assert second.held("con_pinned", time.time()) == (None, None)
    assert second.held("con_pinned", time.time()) == (None, 4_000_000_000.0)  # the next request sees it
