"""A readiness report as JUnit XML (junit.xml): one testcase per check, so any CI shows the results.

Failed checks are JUnit failures, errors are errors, skipped checks are skipped; a warning passes
(CI should not break on it) and says so in the testcase's output.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .grading import ERROR, FAILED, SKIPPED, WARNING
from .report import Report


def render(report: Report) -> str:
    summary = report.summary
    suite = ET.Element("testsuite", name=f"readiness.{report.plan}.{report.bank}", tests=str(len(report.checks)),
                       failures=str(summary[FAILED]), errors=str(summary[ERROR]), skipped=str(summary[SKIPPED]),
                       time=f"{sum(c.duration_s for c in report.checks):.3f}", timestamp=report.started_at)
    for check in report.checks:
        case = ET.SubElement(suite, "testcase", classname=f"readiness.{report.plan}.{report.bank}", name=check.id,
                             time=f"{check.duration_s:.3f}")
        if check.result == FAILED:
            ET.SubElement(case, "failure", message=check.why).text = _timeline(check)
        elif check.result == ERROR:
            ET.SubElement(case, "error", message=check.why).text = check.output
        elif check.result == SKIPPED:
            ET.SubElement(case, "skipped", message=check.why)
        elif check.result == WARNING:
            ET.SubElement(case, "system-out").text = f"WARNING: {check.why}\n{_timeline(check)}"
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"


def _timeline(check) -> str:
    return "\n".join(f"{line.get('at', '')} {line.get('method', '')} {line.get('path', '')} -> {line.get('status', '')}"
                     f"{' ' + line['error_code'] if line.get('error_code') else ''}" for line in check.evidence)


def write(report: Report, path: Path) -> Path:
    path.write_text(render(report), encoding="utf-8")
    return path
