"""The layering of DESIGN.md, enforced: imports point down, the domain is pure, the core reads no clock."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_layers_import_contracts_are_kept():
    linter = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_layers_the_core_never_reads_the_system_clock():
    offenders = []
    for folder in ("domain", "actions", "store", "seeding", "bindings"):
        for path in (ROOT / "sandbox" / folder).glob("*.py"):
            if path.name == "clock.py":
                continue  # SystemClock is where the real time comes from
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if re.search(r"\b(datetime\.now|date\.today|time\.time)\(", line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
