"""Session mode: the plan's checks for a connector that cannot be wrapped in a command.

`start` registers one connector for the whole session and arranges the first check; the developer
runs one payment attempt (by hand, or from their own test suite) and says how it ended (`next`, with
the attempt's exit code: 0 paid, anything else gave up); the sandbox grades it and arranges the next
check; `finish` grades what is left and files the report as a run. Sessions live in the archive, so
any worker can answer any step.

One connector serves every check, so a check that needs other connector settings (the short token
lifetime of `token-expiry`) is skipped here, and a suspension is in place from the start of its check
rather than after the first token (the session sees no token requests).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timezone

from ..domain.errors import SandboxError
from .archive import Archive
from .controlplane import ControlPlane
from .grading import SKIPPED
from .plan import load_plan
from .report import CheckResult, Report
from .runner import SIGNING_PROFILES, Runner, Target


class Sessions:
    def __init__(self, control: ControlPlane, archive: Archive):
        self.control = control
        self.archive = archive

    def start(self, *, plan: str = "standard", bank: str = "hub", workspace: str = "readiness",
              checks: list[str] | None = None) -> dict:
        chosen = load_plan(plan)
        chosen = chosen.select(checks) if checks else chosen
        if chosen.task != "pay":  # a collect check's mandate is new each check: one environment cannot name it
            raise SandboxError("invalid_request", f"plan {chosen.name!r} collects by debit: run it with "
                                                  f"`readiness run`; sessions run payment plans", field="plan")
        if chosen.connector.get("security_profile") in SIGNING_PROFILES:  # its key is made for each check
            raise SandboxError("invalid_request", f"plan {chosen.name!r} gives each check's connector a signing key "
                                                  f"of its own: run it with `readiness run`", field="plan")
        runner = Runner(self.control, chosen, bank=bank, workspace=workspace)
        apis = runner.apis()  # an unknown bank is refused before anything is set up
        self.control.ensure_workspace(workspace)
        self.control.reset(workspace)
        target = runner.target(apis)
        connector = self.control.create_connector(workspace, name="readiness session", **{"class": "self-use"},
                                                  **chosen.connector,
                                                  customer_id=target.payer["customer_id"])
        session = {"id": self.archive.new_session_id(), "plan": plan, "checks": [c.id for c in chosen.checks],
                   "bank": bank, "workspace": workspace, "connector": connector, "target": asdict(target),
                   "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                   "index": 0, "results": [], "arranged": None}
        self._arrange(session, runner)
        self.archive.save_session(session)
        return {**self.view(session), "client_secret": connector["client_secret"],
                "environment": runner.environment(target, connector, f"{self.control.base_url}/oauth/token")}

    def get(self, session_id: str) -> dict:
        return self.view(self.archive.session(session_id))

    def next(self, session_id: str, exit_code: int) -> dict:
        """Grade the attempt at the current check, then arrange the next one."""
        session = self.archive.session(session_id)
        runner = self._runner(session)
        check = self._current(session, runner)
        if check is None:
            raise SandboxError("invalid_request", "every check of this session has been tried: finish it")
        self._judge(session, runner, check, exit_code)
        session["index"] += 1
        self._arrange(session, runner)
        self.archive.save_session(session)
        return self.view(session)

    def finish(self, session_id: str, exit_code: int | None = None) -> dict:
        """Grade the current check (skipped without an exit code), skip the rest, and file the report."""
        session = self.archive.session(session_id)
        runner = self._runner(session)
        check = self._current(session, runner)
        if check is not None and exit_code is not None:
            self._judge(session, runner, check, exit_code)
            session["index"] += 1
        for check in runner.plan.checks[session["index"]:]:
            session["results"].append(asdict(CheckResult(check.id, check.title, check.concerns, SKIPPED,
                                                         "the session finished before this check was tried")))
        self.control.delete_connector(session["connector"]["id"])
        report = Report(runner.plan.name, runner.plan.title, session["bank"], session["connector"]["id"],
                        session["started_at"], runner.plan.concerns,
                        [CheckResult.from_dict(result) for result in session["results"]])
        run = self.archive.add_run(report.to_dict())
        self.archive.close_session(session_id)
        return run

    def view(self, session: dict) -> dict:
        runner = self._runner(session)
        check = self._current(session, runner)
        return {"id": session["id"], "plan": runner.plan.name, "bank": session["bank"],
                "workspace": session["workspace"], "client_id": session["connector"]["client_id"],
                "check": None if check is None else {"id": check.id, "title": check.title,
                                                     "number": session["index"] + 1, "of": len(runner.plan.checks)},
                "results": [{key: result[key] for key in ("id", "result", "why")} for result in session["results"]]}

    # -- steps -----------------------------------------------------------------------------------
    def _runner(self, session: dict) -> Runner:
        plan = load_plan(session["plan"]).select(session["checks"])
        return Runner(self.control, plan, bank=session["bank"], workspace=session["workspace"])

    @staticmethod
    def _current(session: dict, runner: Runner):
        checks = runner.plan.checks
        return checks[session["index"]] if session["index"] < len(checks) else None

    def _arrange(self, session: dict, runner: Runner) -> None:
        """Arrange the current check; skip the ones a session cannot arrange."""
        target = Target(**session["target"])
        while (check := self._current(session, runner)) is not None:
            if check.arrange.get("connector"):
                session["results"].append(asdict(CheckResult(
                    check.id, check.title, check.concerns, SKIPPED,
                    "needs its own connector settings; run it in command mode (readiness run)")))
                session["index"] += 1
                continue
            session["arranged"] = runner.arrange(check, target, session["connector"], suspend_now=True)
            return

    def _judge(self, session: dict, runner: Runner, check, exit_code: int) -> None:
        if isinstance(exit_code, bool) or not isinstance(exit_code, int):
            raise SandboxError("invalid_request", "exit_code must be the attempt's exit code: 0 paid, other gave up",
                               field="exit_code")
        result = runner.judge(check, Target(**session["target"]), session["connector"], session["arranged"], exit_code)
        if "suspend" in check.arrange:
            self.control.resume(session["connector"]["id"], f"readiness check {check.id} done")
        session["results"].append(asdict(result))
