"""The layering of DESIGN.md, enforced: imports point down, the domain is pure, the core reads no clock."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Everything below the composition root takes its time from an injected clock.
CORE = ("domain", "actions", "store", "seeding", "bindings")
# The one place allowed to read the real time: SystemClock, in sandbox/domain/clock.py.
SYSTEM_CLOCK = (Path("sandbox/domain/clock.py"), "SystemClock")


def _lint_imports() -> str:
    beside = Path(sys.executable).parent / "lint-imports"
    found = str(beside) if beside.exists() else shutil.which("lint-imports")
    assert found, f"lint-imports is not installed next to {sys.executable}: pip install -e '.[test]'"
    return found


def test_layers_import_contracts_are_kept():
    result = subprocess.run(
        [_lint_imports(), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, "import-linter found broken contracts:\n" + report
    assert " 0 broken" in report, report


def _reads_system_clock(call: ast.Call) -> bool:
    """`datetime.now(`, `datetime.utcnow(`, `date.today(` or `time.time(` (module prefix or not)."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    owner = ast.unparse(func.value).split(".")[-1]
    return (func.attr in ("now", "utcnow", "today") and owner in ("datetime", "date")) or (
        func.attr == "time" and isinstance(func.value, ast.Name) and func.value.id == "time")


def _clock_reads(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    allowed = set()
    if path.relative_to(ROOT) == SYSTEM_CLOCK[0]:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name == SYSTEM_CLOCK[1]:
                allowed.update(id(inner) for inner in ast.walk(node))
    return [(node.lineno, ast.unparse(node)) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and id(node) not in allowed and _reads_system_clock(node)]


def test_layers_the_core_never_reads_the_system_clock():
    offenders = []
    for folder in CORE:
        for path in sorted((ROOT / "sandbox" / folder).rglob("*.py")):
            offenders += [f"{path.relative_to(ROOT)}:{line}: {code}" for line, code in _clock_reads(path)]
    assert not offenders, "the core must ask its injected clock (ctx.now()) for the time:\n" + "\n".join(offenders)


def test_layers_the_clock_check_sees_what_it_must(tmp_path):
    """The check itself: it finds every form of a system-clock read, and not look-alikes."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime as dt, time\nfrom datetime import date, datetime\n"
        "a = datetime.now()\nb = dt.datetime.now(tz)\nc = date.today()\nd = time.time()\ne = dt.date.today()\n"
        "ok1 = moment.time()\nok2 = ctx.now()\nok3 = time.perf_counter()\n",
        encoding="utf-8",
    )
    tree = ast.parse(sample.read_text(encoding="utf-8"))
    found = sorted(node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call) and _reads_system_clock(node))
    assert found == [3, 4, 5, 6, 7]
    assert [code for _, code in _clock_reads(ROOT / SYSTEM_CLOCK[0])] == [], "SystemClock is the allowed exception"
