"""Connector readiness: run a plan of fault checks against a payment connector and report how it behaved.

    plan (fixtures/readiness/*.yaml) -> runner (per check: reset, arrange the fault, run the command)
        -> grading (request log, token requests, exit code, ledger) -> report.json, junit.xml, report.html

The package sits above the actions, governance and scenarios it arranges faults with, and below the
HTTP layer and the CLI that serve and start it; it drives the sandbox through the control plane.
"""

from __future__ import annotations

from pathlib import Path

from . import html, junit
from .archive import Archive
from .controlplane import ControlPlane
from .grading import GRADERS, RESULTS
from .plan import Check, Plan, load_plan, shipped_plans
from .report import CheckResult, Report, write_json
from .runner import Runner
from .session import Sessions


def write_reports(report: Report, out: Path) -> dict[str, Path]:
    """Write report.json, junit.xml and report.html into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    return {"json": write_json(report, out / "report.json"), "junit": junit.write(report, out / "junit.xml"),
            "html": html.write(report, out / "report.html")}


__all__ = ["GRADERS", "RESULTS", "Archive", "Check", "CheckResult", "ControlPlane", "Plan", "Report", "Runner",
           "Sessions", "load_plan", "shipped_plans", "write_reports"]
