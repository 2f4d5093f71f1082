"""Docs as tests: the binding reference names every function, action and canonical error there is, and
the shell blocks of README.md and docs/getting-started.md run, pasted in order into one shell, against a
real `bank-sandbox serve` (a new user's first hour, first transfer included)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import jmespath.functions
import pytest

import live_server

from sandbox.actions import ACTIONS
from sandbox.bindings.functions import FUNCTION_NAMES
from sandbox.domain.errors import CANONICAL_ERRORS

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = (ROOT / "docs" / "bindings.md").read_text(encoding="utf-8")
OURS = sorted(set(FUNCTION_NAMES) - {n[6:] for n in dir(jmespath.functions.Functions) if n.startswith("_func_")})
INTERNAL = {"workspace_not_found", "workspace_exists", "profile_not_found", "customer_not_found"}


@pytest.mark.parametrize("name", OURS)
def test_docs_every_jmespath_function_is_documented(name):
    assert f"`{name}(" in REFERENCE


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_docs_every_core_action_is_documented(name):
    assert f"`{name}`" in REFERENCE


@pytest.mark.parametrize("code", sorted(set(CANONICAL_ERRORS) - INTERNAL))
def test_docs_every_canonical_error_is_listed(code):
    assert code in REFERENCE


def test_docs_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first, second = readme.index("bank-sandbox serve"), readme.index("python -m pytest")
    assert first < second < readme.index("## What it is")
    assert "bash .ci/run" not in readme
    serve_line = next(line for line in readme.splitlines() if "bank-sandbox serve" in line and "pip install" in line)
    test_line = next(line for line in readme.splitlines() if "python -m pytest" in line and "pip install" in line)
    # Separate environments: the second command never reinstalls under a server the first one started.
    assert serve_line.split("&&")[0].split()[-1] == ".venv" and test_line.split("&&")[0].split()[-1] != ".venv"
    assert ".venv/" not in test_line.replace(".venv-test/", "")
    # CI runs exactly the README's test command, once: the second command, the whole suite (PostgreSQL's half too).
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.count(test_line.strip()) == 1 and ci.count("-m pytest") == 1
    assert test_line.rstrip().endswith("-m pytest")


# -- the copy-paste blocks, run ---------------------------------------------------------------------

SKIP = re.compile(r"<!-- not run by the docs tests: (.+?) -->")
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)
RUN = ["README.md", "docs/getting-started.md"]
INSTALL = re.compile(r"pip install (?!\.|-e|/|\./|'\.)(bank-sandbox|'bank-sandbox)")


def _blocks(name: str) -> list[tuple[str, str | None]]:
    """Each shell block of the page: (its text, the reason it is not run, if a marker above it says so)."""
    text = (ROOT / name).read_text(encoding="utf-8")
    found = []
    for match in BLOCK.finditer(text):
        above = text[:match.start()].rstrip().rsplit("\n", 1)[-1]
        skipped = SKIP.fullmatch(above.strip())
        found.append((match.group(1), skipped.group(1) if skipped else None))
    return found


@pytest.mark.parametrize("name", [p.relative_to(ROOT).as_posix() for p in [ROOT / "README.md", ROOT / "examples" / "README.md",
                                                                          *sorted((ROOT / "docs").glob("*.md"))]])
def test_docs_install_the_package_the_way_that_works(name):
    """The package is on no index: every install is from a clone, its folder or a built wheel."""
    assert not INSTALL.search((ROOT / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """A folder standing in for a fresh clone: `.venv` is this environment, and `serve` runs there."""
    folder = tmp_path_factory.mktemp("clone")
    (folder / ".venv").symlink_to(Path(sys.prefix))
    port = live_server.free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
    process = subprocess.Popen([str(folder / ".venv" / "bin" / "bank-sandbox"), "serve", "--port", str(port),
                                "--clock", live_server.BUSINESS_MORNING], cwd=folder, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert live_server.wait_healthy(f"http://127.0.0.1:{port}", seconds=120), "the server did not start"
        yield folder, port
    finally:
        process.terminate()
        process.communicate(timeout=30)


def _moved(output: str) -> list[dict]:
    """The `balances` printouts (`acc_... 123`, maybe right after a JSON answer without a newline), pairwise."""
    lines = [(account, int(balance)) for account, balance in re.findall(r"\b(acc_[0-9a-z]+) (-?\d+)$", output, re.M)]
    return [dict(lines[i:i + 2]) for i in range(0, len(lines), 2)]


@pytest.mark.slow
@pytest.mark.parametrize("name", RUN)
def test_docs_shell_blocks_run_against_a_real_server(clone, name):
    folder, port = clone
    blocks = _blocks(name)
    assert all(reason.strip() for _, reason in blocks if reason is not None)
    script = "\n".join(code for code, reason in blocks if reason is None)
    assert script.count("\n") > 10, "the page has no block to run"
    # The one change from what a reader pastes: the test server's port instead of 8000.
    script = "set -eo pipefail\n" + script.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("SANDBOX_", "VIRTUAL_ENV"))},
           "PATH": os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p != str(Path(sys.executable).parent))}
    ran = subprocess.run(["bash", "-c", script], cwd=folder, env=env, capture_output=True, text=True, timeout=600)
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert "urn:bank-sandbox:error" not in ran.stdout and "errorCode" not in ran.stdout, ran.stdout[-3000:] + ran.stderr[-3000:]
    moves = _moved(ran.stdout)
    assert len(moves) >= 2 and all(list(move) == list(moves[0]) for move in moves), ran.stdout[-3000:] + ran.stderr[-3000:]
    payer, payee = list(moves[0])
    assert moves[1][payee] - moves[0][payee] == 12000  # the first transfer: the payee got the amount
    assert moves[0][payer] - moves[1][payer] > 12000  # ... and the payer paid it and the fee
    if name == "docs/getting-started.md":  # then the same in 楓銀行's dialect
        assert moves[2][payee] - moves[1][payee] == 8000 and moves[1][payer] - moves[2][payer] > 8000
