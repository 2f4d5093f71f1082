"""The suite's two halves: the PostgreSQL pass (`-m postgres`) runs every test that runs on PostgreSQL,
and the files about replicas and outages whole; `-m "not postgres"` runs the rest; no test is in both or
in neither, and the README's command runs both.

tests/conftest.py marks the PostgreSQL tests at collection; these tests collect the files that hold
them, the way a reader would run each pass, in a subprocess (collecting runs nothing).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The files with PostgreSQL tests in them, and one without any.
FILES = ["test_postgres.py", "test_replicas.py", "test_replica_failures.py", "test_outage.py", "test_shared_state.py", "test_store_round_trips.py",
         "test_deploy.py", "test_idempotency.py", "test_domain_money.py"]


def collected(*options: str) -> tuple[set[str], int]:
    """The ids of the tests `pytest [options] FILES` would run, and how many tests those files hold."""
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-n", "0",
                           *options, *(f"tests/{name}" for name in FILES)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    total = re.search(r"(?:\d+/)?(\d+) tests? collected", done.stdout)
    assert total, done.stdout[-3000:]
    return {line for line in done.stdout.splitlines() if "::" in line}, int(total.group(1))


@pytest.fixture(scope="module")
def passes() -> dict[str, set[str]]:
    (readme, total), (postgres, also_total) = collected("-m", "not postgres"), collected("-m", "postgres")
    everything, _ = collected()  # the README's command
    assert total == also_total == len(everything)
    return {"readme": readme, "postgres": postgres, "total": total, "everything": everything}


@pytest.mark.slow
def test_suite_passes_split_the_tests_with_none_left_out_and_none_twice(passes):
    readme, postgres = passes["readme"], passes["postgres"]
    assert readme and postgres
    assert readme & postgres == set()
    assert len(readme) + len(postgres) == passes["total"]  # every test the files hold is in one pass
    assert readme | postgres == passes["everything"]  # and the README's command runs them all


def test_suite_passes_postgres_holds_every_postgresql_test_and_only_those(passes):
    readme, postgres = passes["readme"], passes["postgres"]
    # The files it runs whole, each engine-parametrised test's PostgreSQL half, and the tests that ask for the server.
    whole = ("tests/test_postgres.py::", "tests/test_replicas.py::", "tests/test_replica_failures.py::", "tests/test_outage.py::")
    assert not [i for i in readme if i.startswith(whole)]
    assert all(i.startswith(whole) or "[postgresql" in i or "postgresql]" in i or "-postgresql-" in i
               or "postgres" in i.split("::")[1] for i in postgres), sorted(postgres)
    assert not [i for i in readme if "postgresql" in i.partition("[")[2]], "a PostgreSQL half in the SQLite half"
    assert not [i for i in postgres if "sqlite" in i.partition("[")[2] and not i.startswith(whole)], \
        "an SQLite half in the PostgreSQL pass"
    for name in ("test_replicas.py", "test_replica_failures.py", "test_outage.py", "test_shared_state.py", "test_store_round_trips.py",
                 "test_deploy.py", "test_idempotency.py"):
        assert any(i.startswith(f"tests/{name}::") for i in postgres), name
    assert not [i for i in postgres if i.startswith("tests/test_domain_money.py::")]
    assert "tests/test_outage.py::test_outage_postgres_refusing_connections_is_a_503_then_every_surface_serves_again" in postgres
    assert "tests/test_replica_failures.py::test_replicas_on_postgres_survive_a_killed_replica_and_a_database_restart" in postgres


def test_suite_passes_the_readme_command_runs_both_and_the_marker_is_registered():
    """pyproject's addopts select no marker (the README's command runs the PostgreSQL tests too), and register
    the marker that names them."""
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert " -m " not in f" {options['addopts']} "
    assert any(marker.startswith("postgres:") for marker in options["markers"])


# A small suite of its own beside tests/conftest.py and the helpers it imports: a file that runs on both engines,
# one that never runs on PostgreSQL, and, for the check of the rule, one whose PostgreSQL half its text hides.
SMALL_SUITE = {
    "test_on_both_engines.py": "from engines import database_url  # noqa: F401\n\n\ndef test_kept(database_url):\n"
                               "    assert True\n",
    "test_on_sqlite_only.py": "import sys\n\nsys.modules['on_sqlite_only_was_read'] = sys\n\n\n"
                              "def test_plain():\n    assert True\n",
}
HIDDEN = ("import pytest\n\n\n@pytest.fixture(params=['sqlite', 'postgre' + 'sql'])\ndef engine(request):\n"
          "    return request.param\n\n\ndef test_hidden(engine):\n    assert engine\n")


def small_suite(folder: Path, files: dict) -> Path:
    for name in ("conftest.py", "live_server.py", "engines.py"):
        (folder / name).symlink_to(ROOT / "tests" / name)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def read_by_pass(folder: Path, *options: str) -> subprocess.CompletedProcess:
    """Collect `folder` as a pass would, and print which of its test files that imported."""
    script = ("import sys, pytest\n"
              "code = pytest.main(['--collect-only', '-q', '-p', 'no:cacheprovider', '-p', 'no:randomly', "
              f"*{list(options)!r}, '.'])\n"
              "print('READ', sorted(m for m in sys.modules if m.startswith('test_') or m.endswith('_was_read')))\n"
              "sys.exit(code)")
    return subprocess.run([sys.executable, "-c", script], cwd=folder, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_suite_passes_postgres_reads_only_the_files_that_may_hold_its_tests(tmp_path):
    """Each worker of the PostgreSQL pass collects the whole suite: the files that cannot hold a test of it are
    left unread (their imports, assertion rewriting and generated cases were most of the pass's CPU)."""
    folder = small_suite(tmp_path, SMALL_SUITE)
    postgres = read_by_pass(folder, "-m", "postgres")
    assert postgres.returncode == 0, postgres.stdout[-3000:] + postgres.stderr[-3000:]
    assert "READ ['test_on_both_engines']" in postgres.stdout, postgres.stdout[-3000:]
    assert "test_on_both_engines.py::test_kept[postgresql]" in postgres.stdout
    readme = read_by_pass(folder, "-m", "not postgres")  # the SQLite half still reads every file
    assert readme.returncode == 0, readme.stdout[-3000:] + readme.stderr[-3000:]
    assert "'on_sqlite_only_was_read'" in readme.stdout and "test_on_sqlite_only.py::test_plain" in readme.stdout


def test_suite_passes_a_postgresql_test_the_rule_would_leave_unread_stops_every_collection(tmp_path):
    """The rule reads a file's text; a test marked `postgres` in a file whose text it passes over stops the run
    (the SQLite half and the README's command too, which read every file), rather than drop out of the PostgreSQL
    pass unseen."""
    folder = small_suite(tmp_path, {**SMALL_SUITE, "test_hidden_engine.py": HIDDEN})
    for options in (("-m", "not postgres"), ("-m", "")):
        stopped = read_by_pass(folder, *options)
        assert stopped.returncode != 0, stopped.stdout[-3000:]
        assert "test_hidden_engine.py" in stopped.stdout + stopped.stderr and "may_run_on_postgresql" in \
            stopped.stdout + stopped.stderr, stopped.stdout[-3000:] + stopped.stderr[-3000:]
