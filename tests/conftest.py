"""Shared fixtures for the core suite: seeded workspaces on a frozen JST clock, and the books' checks.

Every workspace here is a real SQLite file in the test's temporary directory, created and seeded by
the real `Workspaces`; time comes from a `FixedClock`. The helpers are handed out as fixtures
(`books`, `make_workspace`, `seeded`, `module_workspace`) so test modules never import this file.
Suites that talk HTTP get `live` (a real server on 127.0.0.1 for the module, started with the
module's `LIVE_SERVER` options) and `admin` (a client with the admin token). One hook marks the
tests that run on PostgreSQL `postgres` (the README's command runs them with the rest; `pytest -m
postgres`, the PostgreSQL pass, runs only them); two spread the suite over pytest-xdist's workers: one
worker per core plus one, and the files that hold slow tests handed out first.
"""

from __future__ import annotations

import os
import sys
import tempfile

if sys.dont_write_bytecode:
    # PYTHONDONTWRITEBYTECODE keeps bytecode out of the source tree; the suite keeps it apart instead, under
    # the temporary directory (PYTHONPYCACHEPREFIX), for itself and every process it starts: its workers,
    # the PostgreSQL pass and each served sandbox, CLI run and collection it starts read the package and
    # its test files compiled (their assertions rewritten) once, not anew in each (18 against 34 CPU-s
    # to collect the suite).
    sys.pycache_prefix = os.environ["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "bank-sandbox-pycache")
    sys.dont_write_bytecode = False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # (absent when `python -B` said it)

import itertools
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

import live_server
from engines import ENGINES
from sandbox.actions import Context, accounts
from sandbox.domain.calendar import JST
from sandbox.domain.clock import FixedClock
from sandbox.store import ledger
from sandbox.workspaces import Workspaces

# A business day (Thursday) inside core time, the day after the default seeding date.
THURSDAY_10AM = datetime(2026, 11, 5, 10, 0, tzinfo=JST)
SEEDED_AS_OF = "2026-11-04"

# Tables whose every row a refused request must leave as it was (postings and movements are counted:
# they only ever grow, so an unchanged count and last id mean unchanged rows).
_WATCHED_TABLES = ("transfers", "mandates", "debits", "idempotency", "daily_totals", "consents", "clock")


@dataclass
class Seeded:
    """A seeded workspace, a context on it and the frozen clock that context reads."""

    spaces: Workspaces
    ctx: Context
    clock: FixedClock
    name: str

    @property
    def db(self):
        return self.ctx.db


def create_seeded(data_dir, moment: datetime = THURSDAY_10AM, name: str = "default", seed=None, as_of=SEEDED_AS_OF,
                  database_url=None) -> Seeded:
    """Create and seed workspace `name` under `data_dir` with the default profile, on a clock frozen at `moment`."""
    clock = FixedClock(moment)
    spaces = Workspaces(data_dir, clock, database_url=database_url)
    spaces.create(name, seed=seed, as_of=as_of)
    return Seeded(spaces, spaces.context(name), clock, name)


class Books:
    """The checks every story ends with, and small lookups on a seeded workspace."""

    @staticmethod
    def check(db) -> None:
        """Assert the global invariants: by the ledger's own verifier, then recomputed with plain SQL."""
        assert ledger.verify(db) == []
        conn = db.conn
        assert conn.execute("SELECT coalesce(sum(balance), 0) FROM accounts").fetchone()[0] == 0, "balances do not sum to zero"
        unbalanced = conn.execute(
            "SELECT movement_id, sum(amount) FROM postings GROUP BY movement_id HAVING sum(amount) <> 0 OR count(*) < 2"
        ).fetchall()
        assert unbalanced == [], f"movements whose postings do not sum to zero: {unbalanced[:5]}"
        drifted = conn.execute(
            "SELECT a.id, a.balance, (SELECT coalesce(sum(p.amount), 0) FROM postings p WHERE p.account_no = a.no)"
            " FROM accounts a WHERE a.balance <> (SELECT coalesce(sum(p.amount), 0) FROM postings p WHERE p.account_no = a.no)"
        ).fetchall()
        assert drifted == [], f"accounts whose balance is not the sum of their postings: {drifted[:5]}"
        orphans = conn.execute("SELECT count(*) FROM postings WHERE movement_id NOT IN (SELECT id FROM movements)").fetchone()[0]
        assert orphans == 0, "postings without a sealed movement"

    @staticmethod
    def snapshot(db) -> dict:
        """Everything a refused request must leave untouched."""
        conn = db.conn
        state = {
            "balances": dict(conn.execute("SELECT id, balance FROM accounts").fetchall()),
            "account_statuses": dict(conn.execute("SELECT id, status FROM accounts").fetchall()),
            "postings": conn.execute("SELECT count(*), coalesce(max(id), 0) FROM postings").fetchone(),
            "movements": conn.execute("SELECT count(*), coalesce(max(id), 0) FROM movements").fetchone(),
        }
        for table in _WATCHED_TABLES:
            state[table] = sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
        return state

    @staticmethod
    def pick(ctx, bank_code=None, kind="individual", minimum=0, maximum=None, exclude=(), type_=None) -> dict:
        """An active customer account matching the wish; the richest one that fits."""
        rows = ctx.db.conn.execute(
            "SELECT a.id FROM accounts a JOIN customers c ON c.id = a.customer_id"
            " WHERE a.kind = 'customer' AND a.status = 'active' AND c.kind = ?"
            " AND (? IS NULL OR a.bank_code = ?) AND a.balance >= ? AND (? IS NULL OR a.balance <= ?)"
            " AND (? IS NULL OR a.type = ?) ORDER BY a.balance DESC, a.id",
            (kind, bank_code, bank_code, minimum, maximum, maximum, type_, type_),
        ).fetchall()
        for (account_id,) in rows:
            if account_id not in exclude:
                return accounts.load(ctx, account_id)
        raise AssertionError(f"no active {kind} account in bank {bank_code} with {minimum}..{maximum} yen")

    @staticmethod
    def payee(account: dict, name: str | None = None) -> dict:
        """The payee coordinates of an account, as a transfer request names them."""
        return {"bank_code": account["bank_code"], "branch_code": account["branch_code"],
                "account_type": account["account_type"], "account_number": account["account_number"],
                "name": account["holder_kana"] if name is None else name}

    @staticmethod
    def balance(ctx, account_id: str) -> int:
        return accounts.balance(ctx, account_id)["balance"]

    @staticmethod
    def internal(ctx, bank_code: str, purpose: str) -> int:
        """The balance of a bank's internal ledger account (fee_income, clearing, suspense, opening)."""
        row = ctx.db.conn.execute(
            "SELECT balance FROM accounts WHERE kind = 'internal' AND bank_code = ? AND purpose = ?", (bank_code, purpose)
        ).fetchone()
        assert row is not None, f"bank {bank_code} has no {purpose} account"
        return row[0]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config) -> int:
    """`-n auto`: one worker per core this process may use (its affinity, not the host's core count), plus one.

    Many tests wait (servers starting, subprocesses, browsers), so a worker per core left the cores idle
    about a fifth of the time: on the 2-core machine with nothing else running the README's pass took
    224 s on two workers and 204 s on three.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores + 1


# Files the PostgreSQL pass runs whole: PostgreSQL itself (its SQL translation and URLs too), and the
# replicas and outages that PostgreSQL is for, whose SQLite halves (server processes sharing a data
# directory, a lock held past the busy timeout) are the same minutes of waiting on processes.
POSTGRES_FILES = {"test_postgres.py", "test_replicas.py", "test_replica_failures.py", "test_outage.py"}
TESTS = Path(__file__).parent


def runs_on_postgresql(item) -> bool:
    """Whether a test belongs to the PostgreSQL pass: it asks for the server (tests/engines.py's `postgres`
    fixture), an engine parameter chose PostgreSQL for it, or its file is one the pass runs whole."""
    callspec = getattr(item, "callspec", None)
    return ("postgres" in item.fixturenames or item.path.name in POSTGRES_FILES
            or (callspec is not None and ENGINES[1] in callspec.params.values()))


def may_run_on_postgresql(path) -> bool:
    """Whether a test file may hold a test of the PostgreSQL pass, read from its text: one the pass runs whole,
    or one that names PostgreSQL or tests/engines.py (every way to the `postgres` fixture or to `ENGINES` does)."""
    if path.name in POSTGRES_FILES:
        return True
    text = path.read_text(encoding="utf-8")
    return "postgres" in text.lower() or "engines" in text


def pytest_ignore_collect(collection_path, config) -> bool | None:
    """The PostgreSQL pass (`-m postgres` alone) leaves unread the test files that cannot hold one of its tests.

    Every pytest-xdist worker collects the whole suite, whatever share of it it runs: each worker of the
    PostgreSQL pass imported all ~370 files (assertions rewritten, the fuzzing files' cases generated)
    to run the 30 that hold its tests, half a minute of CPU a worker. `pytest_collection_modifyitems`
    checks on every full collection that no test marked `postgres` is in a file this would leave out.
    """
    if config.getoption("markexpr", "") != "postgres" or collection_path.suffix != ".py" \
            or not collection_path.name.startswith("test_"):
        return None
    return None if may_run_on_postgresql(collection_path) else True


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items) -> None:
    """Mark every test that runs on PostgreSQL `postgres`, before `-m` selects a pass.

    Marked here, in one place, `-m "not postgres"` and the PostgreSQL pass (`-m postgres`) split the
    suite with nothing left out and nothing run twice (the README's command runs both).
    A marked test in a file the PostgreSQL pass would not read (`pytest_ignore_collect`) stops the run.
    """
    unread = set()
    for item in items:
        if runs_on_postgresql(item):
            item.add_marker(pytest.mark.postgres)
            if TESTS in item.path.parents and item.path.name.startswith("test_") and not may_run_on_postgresql(item.path):
                unread.add(item.path.name)
    if unread:
        raise pytest.UsageError(f"tests run on PostgreSQL in {sorted(unread)}, which the PostgreSQL pass would not "
                                "read: name PostgreSQL or tests/engines.py there (tests/conftest.py, may_run_on_postgresql)")


@pytest.hookimpl(trylast=True, specname="pytest_collection_modifyitems")
def slow_files_first(items) -> None:
    """Put the files that hold slow tests first, so the suite's workers do not end on a long file.

    pytest-xdist hands out whole files (`--dist loadfile`) in this order (`--no-loadscope-reorder`):
    with the long files started first, the many short ones left at the end even out the workers.
    It runs after `-m` has deselected (trylast), so only the slow tests of the pass being run count.
    The sort is stable: tests keep their order inside a file, and files their order within each group.
    """
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)


@pytest.fixture(scope="session")
def books() -> type[Books]:
    return Books


@pytest.fixture
def database_url():
    """Where workspaces keep their state: None is SQLite files in the data directory. A module that runs
    on both engines imports tests/engines.py's `database_url` instead (a PostgreSQL database per test)."""
    return None


@pytest.fixture
def make_workspace(tmp_path, database_url):
    """Create seeded workspaces in this test's own data directory: `make_workspace(moment=..., seed=...)`."""
    counter = itertools.count()

    def make(moment: datetime = THURSDAY_10AM, name: str | None = None, **options) -> Seeded:
        return create_seeded(tmp_path, moment, name or f"ws{next(counter)}", database_url=database_url, **options)

    return make


@pytest.fixture
def seeded(make_workspace) -> Seeded:
    """The default workspace on a Thursday at 10:00 JST (a business day, inside core time)."""
    return make_workspace()


@pytest.fixture(scope="module")
def module_database_url():
    """`database_url` for module-scoped fixtures (tests/engines.py's runs the module on both engines)."""
    return None


@pytest.fixture(scope="module")
def module_workspace(tmp_path_factory, request, module_database_url) -> Seeded:
    """One seeded workspace shared by a module's tests (for tables of refusals that must change nothing)."""
    return create_seeded(tmp_path_factory.mktemp(request.module.__name__.rpartition(".")[2]),
                         database_url=module_database_url)


@pytest.fixture(scope="module")
def live(tmp_path_factory, request, module_database_url):
    """A sandbox server for the test module: `LIVE_SERVER` in the module gives `live_server.running` options."""
    options = dict(getattr(request.module, "LIVE_SERVER", {}))
    if module_database_url:  # the module runs on both engines (tests/engines.py)
        options["database_url"] = module_database_url
    name = request.module.__name__.rpartition(".")[2].removeprefix("test_")
    with live_server.running(tmp_path_factory.mktemp(name), **options) as server:
        yield server


@pytest.fixture(scope="module")
def admin(live):
    """A control-plane client with the admin token."""
    with live.admin() as client:
        yield client


@pytest.fixture
def third_party(admin) -> dict:
    """A new third-party connector of the default workspace, with its client secret (`oauth_flows.create_connector`)."""
    from oauth_flows import create_connector

    return create_connector(admin, **{"class": "third-party"})


@pytest.fixture
def live_client(live):
    """A plain HTTP client of the module's live server, at its root (no credentials)."""
    import httpx

    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client


@pytest.fixture
def token_as_user(live, admin) -> tuple[str, str]:
    """HTTP Basic credentials of a new self-use connector's access token as the user name, no password: how the
    specs that take an API key as the Basic user (Recurly's, Paystack's sources) are called (`httpx` `auth=`)."""
    from oauth_flows import self_use_token

    return self_use_token(live.url, admin), ""
