"""Docs as tests: the binding reference names every function, action and canonical error there is."""

from __future__ import annotations

from pathlib import Path

import jmespath.functions
import pytest

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
    assert (ROOT / ".ci" / "run").read_text().count(".venv/bin/python -m pytest") == 1
