"""Readiness plans: the checks a connector goes through, read from fixtures/readiness/*.yaml.

A plan is data. It names the connector's task (`pay`: a transfer to the payee; `collect`: an instant
debit from the payer under a mandate). Each check says what fault to arrange (a scenario pack,
scenario rules, connector settings, a suspension, the mandate's state) and which grader judges the
evidence, with the grader's figures. A plan also says what an abuse alert raised about the connector
during a check does to it (`alerts`: `fail`, the default, or `ignore`). Everything is checked when
the plan is loaded, so a typo in a plan stops the run before any connector starts.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..domain.errors import SandboxError
from ..governance.plans import PROFILES
from ..resources import data_dir
from ..scenarios import check_rule
from .grading import ALERTS, GRADERS

ARRANGEMENTS = {"pack", "rules", "connector", "after_first_token", "suspend", "mandate"}
SUSPENSIONS = {"after-first-token"}
# What a check may change of its connector once the first token is issued, before the connector hears of it: the
# token-expiry check expires the first token only (a renewed one living as briefly expired again on a busy machine).
LATER_SETTINGS = {"token_ttl"}
TASKS = {"pay", "collect"}  # what COMMAND does: a transfer to the payee, or a debit under a mandate
MANDATES = {"active", "revoked"}  # the state of the collect task's mandate when the check starts
# `plan`: the connector plan (fixtures/plans.yaml) it is given; `security_profile: fapi2`: it follows FAPI 2.0
CONNECTOR_SETTINGS = {"token_ttl", "plan", "security_profile"}
PLACEHOLDERS = {"connector_id", "payer_account_id", "payee_account_id"}


@dataclass(frozen=True)
class Check:
    id: str
    title: dict
    concerns: tuple
    grade: dict
    arrange: dict = field(default_factory=dict)

    def rules(self, values: dict) -> list[dict]:
        """The check's own scenario rules with the run's ids filled in."""
        return [_fill(rule, values) for rule in self.arrange.get("rules", ())]


@dataclass(frozen=True)
class Plan:
    name: str
    title: dict
    clock: str
    amount: int
    timeout_s: int
    concerns: dict
    markers: dict
    checks: tuple
    task: str = "pay"
    connector: dict = field(default_factory=dict)  # settings of every check's connector (a check may add its own)
    alerts: str = "fail"  # an abuse alert raised about the connector during a check fails it (or `ignore`)

    def connector_settings(self, check: Check) -> dict:
        """The settings the check's connector is registered with: the plan's, then the check's own."""
        return {**self.connector, **(check.arrange.get("connector") or {})}

    def marker_rules(self) -> list[dict]:
        """Rules that only mark the log: a latency of 0 ms, named `readiness:<marker>`."""
        return [{"name": f"readiness:{name}", "match": match, "effect": {"type": "latency", "ms": 0}}
                for name, match in self.markers.items()]

    def describe(self) -> dict:
        """The plan as the control plane lists it: its checks and concerns, without the arrangements."""
        return {"name": self.name, "title": self.title, "task": self.task, "concerns": self.concerns,
                "checks": [{"id": c.id, "title": c.title, "concerns": list(c.concerns)} for c in self.checks]}

    def select(self, ids) -> Plan:
        """The plan with only the named checks (in the plan's order)."""
        unknown = set(ids) - {check.id for check in self.checks}
        if unknown:
            raise SandboxError("not_found", f"plan {self.name!r} has no check {', '.join(sorted(unknown))}")
        return Plan(**{**self.__dict__, "checks": tuple(c for c in self.checks if c.id in set(ids))})


def shipped_plans() -> Path:
    """The plans that come with the sandbox (fixtures/readiness/)."""
    return data_dir("fixtures") / "readiness"


def load_plan(source: str | Path = "standard") -> Plan:
    """A shipped plan by name, or a plan file by path."""
    path = Path(source)
    if not path.suffix:
        path = shipped_plans() / f"{source}.yaml"
        if not (str(source).replace("-", "").isalnum() and path.is_file()):
            known = ", ".join(p.stem for p in sorted(shipped_plans().glob("*.yaml")))
            raise SandboxError("not_found", f"no readiness plan {str(source)!r} (plans: {known})")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SandboxError("invalid_request", f"readiness plan {path}: {error}") from None
    return _plan(data, path)


def _plan(data, path) -> Plan:
    def bad(message: str):
        return SandboxError("invalid_request", f"readiness plan {path}: {message}")

    if not isinstance(data, dict) or not isinstance(data.get("checks"), list) or not data["checks"]:
        raise bad("a plan is a mapping with a non-empty list of checks")
    concerns = data.get("concerns") or {}
    markers = data.get("markers") or {}
    for name, match in markers.items():
        check_rule({"match": match, "effect": {"type": "latency", "ms": 0}})
    checks, seen = [], set()
    for raw in data["checks"]:
        check_id = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(check_id, str) or check_id in seen:
            raise bad(f"every check needs a unique id (found {check_id!r})")
        seen.add(check_id)
        grade = raw.get("grade") or {}
        if grade.get("kind") not in GRADERS:
            raise bad(f"check {check_id}: grade kind must be one of {', '.join(sorted(GRADERS))}")
        arrange = raw.get("arrange") or {}
        if set(arrange) - ARRANGEMENTS:
            raise bad(f"check {check_id}: arrange takes {', '.join(sorted(ARRANGEMENTS))}")
        if set(arrange.get("connector") or {}) - CONNECTOR_SETTINGS:
            raise bad(f"check {check_id}: connector settings are {', '.join(sorted(CONNECTOR_SETTINGS))}")
        later = arrange.get("after_first_token", {})
        if not isinstance(later, dict) or set(later) - LATER_SETTINGS:
            raise bad(f"check {check_id}: after_first_token changes {', '.join(sorted(LATER_SETTINGS))}")
        if "suspend" in arrange and arrange["suspend"] not in SUSPENSIONS:
            raise bad(f"check {check_id}: suspend must be one of {', '.join(sorted(SUSPENSIONS))}")
        if "mandate" in arrange and (data.get("task") != "collect" or arrange["mandate"] not in MANDATES):
            raise bad(f"check {check_id}: mandate is one of {', '.join(sorted(MANDATES))}, in a collect plan")
        for rule in arrange.get("rules", ()):
            check_rule(_fill(rule, {name: "x" for name in PLACEHOLDERS}))
        unknown = set(raw.get("concerns") or ()) - set(concerns)
        if unknown:
            raise bad(f"check {check_id}: unknown concern {', '.join(sorted(unknown))}")
        checks.append(Check(check_id, raw.get("title") or {"en": check_id}, tuple(raw.get("concerns") or ()),
                            grade, arrange))
    amount = data.get("amount", 10000)
    if not (isinstance(amount, int) and amount > 0):
        raise bad("amount must be whole yen above 0")
    task = data.get("task", "pay")
    if task not in TASKS:
        raise bad(f"task must be one of {', '.join(sorted(TASKS))}")
    connector = data.get("connector") or {}
    if not isinstance(connector, dict) or set(connector) - CONNECTOR_SETTINGS:
        raise bad(f"connector settings are {', '.join(sorted(CONNECTOR_SETTINGS))}")
    if connector.get("security_profile", "plain") not in PROFILES:
        raise bad(f"security_profile is one of {', '.join(PROFILES)}")
    alerts = data.get("alerts", "fail")
    if alerts not in ALERTS:
        raise bad(f"alerts must be one of {', '.join(ALERTS)}")
    return Plan(data.get("name") or Path(path).stem, data.get("title") or {"en": Path(path).stem},
                str(data.get("clock")), amount, int(data.get("timeout_s", 60)), concerns, markers, tuple(checks),
                task, connector, alerts)


def _fill(value, values: dict):
    """Fill `${name}` placeholders in every string of a rule."""
    if isinstance(value, str):
        try:
            return string.Template(value).substitute(values)
        except (KeyError, ValueError):
            raise SandboxError("invalid_request", f"unknown placeholder in {value!r} "
                                                  f"(known: {', '.join(sorted(PLACEHOLDERS))})") from None
    if isinstance(value, dict):
        return {key: _fill(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, values) for item in value]
    return value
