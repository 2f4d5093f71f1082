"""The pytest plugin in a connector's own project: the documented test passes, and the run stays clean.

A connector project is a folder of its own (no configuration of this repository applies) holding the
test docs/pytest-plugin.md opens with; pytest runs it in a subprocess, as a user would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

DOC = (Path(__file__).resolve().parent.parent / "docs" / "pytest-plugin.md").read_text(encoding="utf-8")


def test_pytest_plugin_runs_the_documented_test_without_framework_deprecation_warnings(tmp_path):
    documented = re.search(r"```python\n(.*?)```", DOC, re.S)
    assert documented and "def test_" in documented.group(1), "docs/pytest-plugin.md opens with no example test"
    project = tmp_path / "connector"
    project.mkdir()
    (project / "test_connector.py").write_text(documented.group(1), encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
    ran = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "default",
                          "--basetemp", str(tmp_path / "basetemp"), "test_connector.py"],
                         cwd=project, env=env, capture_output=True, text=True, timeout=300)
    output = ran.stdout + ran.stderr
    assert ran.returncode == 0, output
    assert "1 passed" in output, output
    assert "DeprecationWarning" not in output and "warnings summary" not in output, output
