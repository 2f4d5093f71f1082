"""Docs as tests: every CLI command and every control-plane operation is documented, and the error
tables in docs/errors.md are the ones the bindings render today."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from sandbox.cli import main
from sandbox.resources import data_dir

ROOT = Path(__file__).resolve().parent.parent
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


def _commands(command, path=()):
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, (*path, name))
    else:
        yield path


def _operations():
    spec = yaml.safe_load((data_dir("specs") / "control-plane.yaml").read_text(encoding="utf-8"))
    for path, item in spec["paths"].items():
        for method in ("get", "post", "put", "patch", "delete"):
            if method in item:
                yield method.upper(), path, item[method]["operationId"]


def _plain(text: str) -> str:
    """Path parameters named any way ({ws}, {id}, {connector_id}) read as {}."""
    return re.sub(r"\{[^}/]*\}", "{}", text)


@pytest.mark.parametrize("path", list(_commands(main)), ids=lambda p: " ".join(p))
def test_every_command_is_documented(path):
    assert f"bank-sandbox {' '.join(path)}" in DOCS


@pytest.mark.parametrize("method, path, operation_id", list(_operations()), ids=lambda v: str(v))
def test_every_control_plane_operation_is_documented(method, path, operation_id):
    assert _plain(f"{method} /sandbox/v1{path}") in _plain(DOCS), operation_id


def test_error_tables_match_the_bindings():
    printed = CliRunner().invoke(main, ["errors", "--markdown"])
    assert printed.exit_code == 0, printed.output
    assert (ROOT / "docs" / "errors.md").read_text(encoding="utf-8") == printed.output, (
        "docs/errors.md is stale: bank-sandbox errors --markdown > docs/errors.md")
