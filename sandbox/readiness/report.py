"""A readiness report: the plan's checks with their results and evidence, and its JSON form (report.json)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .grading import FAILED, RESULTS

EVIDENCE_FIELDS = ("at", "kind", "method", "path", "operation_id", "grant_type", "status", "error_code", "scenario",
                   "latency_ms", "client_auth", "scheme", "dpop", "pkce", "params", "token_type")
ALERT_FIELDS = ("id", "rule", "action", "subject", "bank_code", "raised_at", "figures")


@dataclass
class CheckResult:
    id: str
    title: dict
    concerns: tuple
    result: str
    why: str
    evidence: list[dict] = field(default_factory=list)
    exit_code: int | None = None
    duration_s: float = 0.0
    output: str = ""  # the end of what the command printed
    alerts: list[dict] = field(default_factory=list)  # abuse alerts raised about the connector during the check

    @classmethod
    def from_dict(cls, data: dict) -> CheckResult:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**{**known, "concerns": tuple(data.get("concerns") or ())})


@dataclass
class Report:
    plan: str
    plan_title: dict
    bank: str
    connector: str
    started_at: str
    concerns: dict
    checks: list[CheckResult] = field(default_factory=list)
    connector_class: str = "self-use"

    @property
    def summary(self) -> dict:
        counts = {result: 0 for result in RESULTS}
        for check in self.checks:
            counts[check.result] += 1
        return counts

    @property
    def ok(self) -> bool:
        """No check failed (errors count as failures: the connector was not shown to be ready)."""
        return not any(check.result in (FAILED, "error") for check in self.checks)

    def check_sheet(self) -> list[dict]:
        """Per concern of the bank's check sheet, the checks that evidence it and their results."""
        return [{"concern": concern, "title": title,
                 "checks": [{"id": c.id, "result": c.result} for c in self.checks if concern in c.concerns]}
                for concern, title in self.concerns.items()]

    @classmethod
    def from_dict(cls, data: dict, plan_title: dict | None = None, concerns: dict | None = None) -> Report:
        """A report read back from its JSON (titles of the plan and its concerns, from the check sheet)."""
        concerns = concerns or {row["concern"]: row["title"] for row in data.get("check_sheet") or ()}
        return cls(data["plan"], plan_title or data.get("plan_title") or {"en": data["plan"]}, data["bank"],
                   data["connector"], data["started_at"], concerns,
                   [CheckResult.from_dict(check) for check in data["checks"]], data.get("class") or "self-use")

    def to_dict(self) -> dict:
        return {
            "plan": self.plan, "plan_title": self.plan_title, "bank": self.bank, "connector": self.connector,
            "class": self.connector_class, "started_at": self.started_at,
            "checks": [{**{k: v for k, v in asdict(check).items() if k != "concerns"}, "concerns": list(check.concerns)}
                       for check in self.checks],
            "summary": self.summary,
            "check_sheet": self.check_sheet(),
        }


def evidence_line(call: dict) -> dict:
    """What a report shows of one call: the request log's fields (never a header, body or token)."""
    return {name: call.get(name) for name in EVIDENCE_FIELDS if call.get(name) is not None}


def alert_line(alert: dict) -> dict:
    """What a report shows of an abuse alert: the rule, its action and figures, and whom it is about."""
    return {name: alert.get(name) for name in ALERT_FIELDS if alert.get(name) is not None}


def write_json(report: Report, path: Path) -> Path:
    path.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    return path
