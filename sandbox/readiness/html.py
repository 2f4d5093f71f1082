"""A readiness report as one self-contained HTML page (report.html) for bank staff, in Japanese and English.

No scripts, fonts or images from elsewhere: the file can be attached to a check sheet or mailed as is.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from .report import Report

RESULT_LABELS = {
    "passed": ("合格", "Passed"), "failed": ("不合格", "Failed"), "warning": ("要確認", "Warning"),
    "skipped": ("対象外", "Skipped"), "error": ("実行エラー", "Error"),
}

KIND_LABELS = {"bank": "API", "token": "トークン token", "authorize": "認可（お客さまの同意） authorization",
               "par": "認可リクエスト送信 PAR", "presented": "API（トークン提示） presented"}

_env = jinja2.Environment(loader=jinja2.PackageLoader("sandbox.readiness", "templates"),
                          autoescape=jinja2.select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)


def render(report: Report) -> str:
    return _env.get_template("report.html").render(report=report, summary=report.summary,
                                                   sheet=report.check_sheet(), labels=RESULT_LABELS, kinds=KIND_LABELS)


def write(report: Report, path: Path) -> Path:
    path.write_text(render(report), encoding="utf-8")
    return path
