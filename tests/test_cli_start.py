"""The `bank-sandbox` command starts fast: help and the light commands never load the server or the banks.

Each check runs the real command in a fresh interpreter and lists the modules it loaded, so a heavy import
slipped back to the top of sandbox/cli.py fails here rather than as a slower suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# What only `serve` and the commands that read the bank folders need.
SERVER = ("connexion", "starlette", "flask", "uvicorn", "psycopg", "sandbox.http")
BANKS = ("sandbox.bindings", "sandbox.seeding", "faker", "jsonschema", "openapi_schema_validator")

_LOADED = """
import json, sys
from sandbox.cli import main
try:
    main(sys.argv[1:], prog_name="bank-sandbox")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _loaded(*args: str, home: Path) -> tuple[set[str], str]:
    """The modules the command loaded (each dotted name and its top-level package), and what it printed.

    It runs in HOME with no SANDBOX_* variable, so no setting of the machine running the tests leaks in.
    """
    done = subprocess.run([sys.executable, "-c", _LOADED, *args], capture_output=True, text=True, timeout=60,
                          cwd=home, env={"PATH": os.environ["PATH"], "HOME": str(home)})
    modules = json.loads(done.stderr.strip().splitlines()[-1])
    return {m if m.startswith("sandbox.") else m.split(".")[0] for m in modules} | set(modules), done.stdout


def _heavy(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(name for name in names if name in modules)


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["workspace", "--help"], ["serve", "--help"]])
def test_cli_help_loads_neither_server_nor_banks(args, tmp_path):
    modules, out = _loaded(*args, home=tmp_path)
    assert "bank-sandbox" in out or "Usage" in out
    assert _heavy(modules, SERVER + BANKS) == []
    assert "sandbox.settings" not in modules  # settings pull in the rate-limit library: not needed to print help


def test_cli_workspace_list_loads_no_server(tmp_path):
    modules, out = _loaded("workspace", "list", "--json", home=tmp_path)
    assert json.loads(out) == []
    assert _heavy(modules, SERVER + ("sandbox.bindings",)) == []


def test_cli_banks_still_reads_the_bank_folders(tmp_path):
    """The lazy imports move work, they do not skip it: `banks` loads the bindings and lists the banks."""
    modules, out = _loaded("banks", "--json", home=tmp_path)
    assert "sandbox.bindings" in modules
    assert json.loads(out)["banks"]
    assert _heavy(modules, SERVER) == []
