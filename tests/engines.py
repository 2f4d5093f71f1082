"""The two store engines for tests: SQLite files, and a real PostgreSQL server.

PostgreSQL comes from `SANDBOX_TEST_DATABASE_URL` when it is set (a server the test run may create
databases on), else from a throwaway cluster that this module starts from the machine's server
binaries (/usr/lib/postgresql/*/bin: initdb and pg_ctl, as the `postgres` user when the tests run as
root, since PostgreSQL refuses to run as root) on a free port, without fsync, and stops at the end of
the session. Each pytest-xdist worker starts its own. Every test gets a database of its own.

Without PostgreSQL the PostgreSQL half is skipped with the reason, except when `CI` is set: then it
fails, so a CI run cannot pass without having run it. tests/conftest.py marks that half `postgres`: the
README's test command runs it with the rest, and `pytest -m postgres` runs only it.

A module runs on both engines by importing the fixture that overrides conftest's `database_url`:

    from engines import database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

import live_server


def _integrity_errors() -> tuple[type[Exception], ...]:
    try:
        import psycopg
    except ImportError:
        return (sqlite3.IntegrityError,)
    return sqlite3.IntegrityError, psycopg.IntegrityError


# What either engine raises when the database itself refuses a write (a trigger, a CHECK, a key).
INTEGRITY_ERRORS = _integrity_errors()


class Postgres:
    """A PostgreSQL server the tests may create databases on."""

    def __init__(self, admin_url: str, stop=None, pg_ctl=None):
        self.admin_url = admin_url
        self._stop = stop
        self._pg_ctl = pg_ctl  # for a cluster started here: run pg_ctl with these arguments

    def new_database(self) -> str:
        """A fresh empty database; its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return _with_database(self.admin_url, name)

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1].split("?")[0]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self._stop:
            self._stop()

    def pause(self) -> None:
        """Stop the server (fast: connections are cut), keeping its data: an outage."""
        self._pg_ctl("-m", "fast", "stop")

    def resume(self) -> None:
        self._pg_ctl("start")


def _with_database(url: str, name: str) -> str:
    head, _, tail = url.rpartition("/")
    query = tail.partition("?")[2]
    return f"{head}/{name}" + (f"?{query}" if query else "")


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def start_cluster(options: str = "") -> Postgres:
    """A throwaway cluster on a free port (as user `postgres` when running as root), with extra server `options`."""
    binaries = _binaries()
    if binaries is None:
        raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql (Debian's `postgresql` package)")
    base = Path(tempfile.mkdtemp(prefix="sandbox-pg-"))
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(base, "postgres")
    data, port = base / "data", live_server.free_port()
    subprocess.run([*as_user, str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                    "--no-sync"], check=True, capture_output=True)
    options = (f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               f"-c full_page_writes=off -c max_connections=400 -c shared_buffers=64MB {options}").strip()

    def pg_ctl(*arguments: str) -> None:
        subprocess.run([*as_user, str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"), "-w",
                        *arguments], check=True, capture_output=True)

    def stop() -> None:
        subprocess.run([*as_user, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)

    pg_ctl("start")
    return Postgres(f"postgresql://postgres@127.0.0.1:{port}/postgres", stop, pg_ctl)


@pytest.fixture(scope="session")
def postgres():
    """The PostgreSQL server of this test session (skipped without one, failed without one on CI)."""
    given = os.environ.get("SANDBOX_TEST_DATABASE_URL")
    try:
        server = Postgres(given) if given else start_cluster()
    except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
        reason = f"no PostgreSQL for the tests: {error}"
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI must run the tests on PostgreSQL)")
        pytest.skip(reason)
    yield server
    server.stop()


ENGINES = ["sqlite", "postgresql"]


def _database(request):
    if request.param == "sqlite":
        yield None
        return
    server = request.getfixturevalue("postgres")
    url = server.new_database()
    yield url
    server.drop_database(url)


@pytest.fixture(params=ENGINES)
def database_url(request):
    """None (SQLite files in the test's data directory) or the URL of a fresh PostgreSQL database."""
    yield from _database(request)


@pytest.fixture(scope="module", params=ENGINES)
def module_database_url(request):
    """`database_url` for a module's shared fixtures: the module runs once per engine."""
    yield from _database(request)


def digest(db) -> str:
    """A hash of every row of every table of a workspace database, on either engine."""
    conn = db.conn
    if isinstance(conn, sqlite3.Connection):
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    else:
        tables = [name for (name,) in conn.execute("SELECT table_name FROM information_schema.tables WHERE "
                                                    "table_schema = current_schema() ORDER BY table_name")]
    text = "\n".join(f"{table}: {sorted(map(repr, conn.execute(f'SELECT * FROM {table}').fetchall()))}" for table in tables)
    return hashlib.sha256(text.encode()).hexdigest()
