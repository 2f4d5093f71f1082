"""Running a readiness plan against a connector command: prepare each check, run the command, grade.

The runner only orchestrates. For each check it resets the workspace, sets its clock, registers a
fresh connector (self-use: for the payer's company; third-party: a registered 電子決済等代行業者 whose
redirect URI is the check's relay), arranges the check's fault through the control plane, runs the
command once with the SANDBOX_* environment, then hands the evidence (request log, token and
authorization requests, exit code, the ledger) to the check's grader. It drives the sandbox over
HTTP, so the same run works against a sandbox served in this process or anywhere else.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import traceback
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Union

import httpx

from ..domain.errors import SandboxError
from . import grading, tls
from .controlplane import ControlPlane
from .customer import Customer, pay_before, sign_mandate
from .keys import client_key
from .plan import Check, Plan
from .relay import TokenRelay
from .report import CheckResult, Report, alert_line, evidence_line

OUTPUT_TAIL = 4000  # characters of the command's output kept in the report
CLASSES = {"self-use": "clientCredentials", "third-party": "authorizationCode"}  # class -> the OAuth2 flow it uses
# A third-party connector is a registered 電子決済等代行業者; the sandbox checks the number's form only.
REGISTRATION_NUMBER = "関東財務局長（電代）第1号"
SIGNING_PROFILES = {"fapi2"}  # profiles whose connectors sign with a registered key (private_key_jwt) and use DPoP
Command = Union[list[str], Callable[[dict], object]]


@dataclass(frozen=True)
class Target:
    """The bank API a connector pays through, and the two accounts of every check.

    The money goes from `payer` to `payee`: a company paying a person (task `pay`), or a person's
    account debited by the collecting company (task `collect`). The connector is the company's.
    """

    bank: str
    api_base: str  # full URL of the bank API
    scope: str
    payer: dict
    payee: dict
    task: str = "pay"

    @property
    def company(self) -> dict:
        """The account of the company whose connector runs the checks."""
        return self.payee if self.task == "collect" else self.payer


class Runner:
    def __init__(self, control: ControlPlane, plan: Plan, *, bank: str = "hub", workspace: str = "readiness",
                 connector_class: str = "self-use", timeout_s: int | None = None,
                 on_check: Callable[[CheckResult], None] | None = None):
        if connector_class not in CLASSES:
            raise SandboxError("invalid_request", f"the connector class is one of {', '.join(CLASSES)}")
        self.control = control
        self.connector_class = connector_class
        self.plan = plan
        self.bank = bank
        self.workspace = workspace
        self.timeout_s = timeout_s or plan.timeout_s
        self.on_check = on_check or (lambda result: None)

    # -- the run -----------------------------------------------------------------------------------
    def run(self, command: Command, out: Path | None = None, connector_name: str | None = None) -> Report:
        """Run every check of the plan with `command`; its output goes to OUT/logs/<check>.txt.

        `command` is an argument list run as a process, or a function called with the environment as
        a mapping that returns the exit code (True counts as 0, False as 1; an exception as 1).
        """
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        name = connector_name or (getattr(command, "__qualname__", repr(command)) if callable(command)
                                  else " ".join(command))
        report = Report(self.plan.name, self.plan.title, self.bank, name, started, self.plan.concerns,
                        connector_class=self.connector_class)
        apis = self.apis()  # an unknown bank is refused before anything is set up
        self.control.ensure_workspace(self.workspace)
        self.control.reset(self.workspace)
        target = self.target(apis)
        for check in self.plan.checks:
            began = time.monotonic()
            try:
                result = self.run_check(check, target, command, out)
            except (SandboxError, httpx.HTTPError, OSError) as error:
                result = CheckResult(check.id, check.title, check.concerns, grading.ERROR,
                                     f"the check could not be run: {getattr(error, 'message', error)}")
            result.duration_s = round(time.monotonic() - began, 3)
            report.checks.append(result)
            self.on_check(result)
        return report

    def apis(self) -> list[dict]:
        """The server's bank APIs, once it is known that the run's bank is among them."""
        apis = self.control.apis()
        if not any(a["slug"] == self.bank for a in apis):
            raise SandboxError("not_found", f"no bank API {self.bank!r} (served: {', '.join(a['slug'] for a in apis)})")
        return apis

    def target(self, apis: list[dict]) -> Target:
        """Find the bank API, the scopes of its class's flow and the two accounts.

        To pay: the company with the most funds at the bank, and a person at another bank. To collect:
        the person with the most funds at the bank, debited by a company of the same bank.
        """
        api = next(a for a in apis if a["slug"] == self.bank)
        codes = [a["bank_code"] for a in apis if a.get("bank_code")]
        payer_code = api.get("bank_code") or codes[0]
        payee_code = next((code for code in codes if code != payer_code), payer_code)
        companies = [a for a in self.control.accounts(self.workspace, bank_code=payer_code)
                     if a["customer_kind"] == "corporate" and a["status"] == "active"]
        if not companies:
            raise SandboxError("not_found", f"workspace {self.workspace} has no company account at bank {payer_code}")
        people_code = payer_code if self.plan.task == "collect" else payee_code
        people = [a for a in self.control.accounts(self.workspace, bank_code=people_code)
                  if a["customer_kind"] == "individual" and a["status"] == "active"]
        if not people:
            raise SandboxError("not_found", f"workspace {self.workspace} has no person's account at bank {people_code}")
        if self.plan.task == "collect":
            payer, payee = max(people, key=lambda a: (a["balance"], a["id"])), companies[0]
        else:
            payer, payee = max(companies, key=lambda a: (a["balance"], a["id"])), people[0]
        base = f"{self.control.base_url}{api['base']}"
        return Target(self.bank, base, " ".join(self.control.scopes(base, CLASSES[self.connector_class])), payer, payee,
                      self.plan.task)

    def run_check(self, check: Check, target: Target, command: Command, out: Path | None) -> CheckResult:
        """Command mode: a fresh connector for the check, its OAuth requests through a recording relay."""
        control = self.control
        customer = (Customer(f"{control.base_url}/oauth/authorize", target.company["customer_id"], [target.company["id"]])
                    if self.connector_class == "third-party" else None)
        settings = self.plan.connector_settings(check)
        signing = settings.get("security_profile") in SIGNING_PROFILES
        with (TokenRelay(f"{control.base_url}/oauth/token", customer=customer, signed_urls=signing) as relay,
              client_key() if signing else nullcontext((None, None)) as (jwks, key_file)):
            connector = control.create_connector(self.workspace, name=f"readiness {check.id}",
                                                 **self.registration(target, relay.redirect_uri),
                                                 **settings, **({"jwks": jwks} if jwks else {}))
            try:
                arranged = self.arrange(check, target, connector, suspend_now=False)
                relay.on_token = self._after_first_token(check, connector["id"])
                environment = self.environment(target, connector, relay.url, relay.authorize_url, relay.redirect_uri,
                                               arranged.get("mandate_id"))
                # (a sandbox serving HTTPS with its own authority, `--ca-file`: the connector's process trusts it too)
                environment.update(tls.trusting())
                if signing:  # the bank API through the relay too: the proofs name the URLs the connector calls
                    environment.update(SANDBOX_API_BASE_URL=relay.fronted(target.api_base),
                                       SANDBOX_PAR_URL=relay.par_url, SANDBOX_CLIENT_JWK_FILE=key_file,
                                       SANDBOX_SECURITY_PROFILE=settings["security_profile"])
                exit_code, output = self._execute(command, environment)
                result = self.judge(check, target, connector, arranged, exit_code, output, relay.requests,
                                    relay.issued, relay.presentations)
            finally:
                control.delete_connector(connector["id"])
        if out is not None:
            (out / "logs").mkdir(parents=True, exist_ok=True)
            (out / "logs" / f"{check.id}.txt").write_text(output, encoding="utf-8")
        return result

    def _after_first_token(self, check: Check, connector_id: str):
        """What the check does once the connector's first token is issued: change its settings, suspend it."""
        later, suspend = check.arrange.get("after_first_token"), check.arrange.get("suspend") == "after-first-token"
        if not later and not suspend:
            return None

        def act() -> None:
            if later:
                self.control.update_connector(connector_id, **later)
            if suspend:
                self.control.suspend(connector_id, f"readiness check {check.id}")

        return act

    def registration(self, target: Target, redirect_uri: str) -> dict:
        """How the check's connector is registered: for the company's own accounts, or as a third party."""
        if self.connector_class == "self-use":
            return {"class": "self-use", "customer_id": target.company["customer_id"]}
        return {"class": "third-party", "registration_number": REGISTRATION_NUMBER, "redirect_uris": [redirect_uri]}

    def arrange(self, check: Check, target: Target, connector: dict, *, suspend_now: bool) -> dict:
        """Reset, clock, the check's fault and the plan's markers; what judging needs to know of the start."""
        control, ws = self.control, self.workspace
        control.reset(ws)
        control.set_clock(ws, self.plan.clock)
        mandate = None  # before the fault: neither is part of the check
        if target.task == "collect":
            mandate = sign_mandate(control, ws, target.payer, target.payee, check.arrange.get("mandate", "active"),
                                   plan=self.plan.connector.get("plan"))
        elif self.connector_class == "third-party":
            pay_before(control, ws, target.payer, target.payee, self.plan.amount)
        values = {"connector_id": connector["id"], "payer_account_id": target.payer["id"],
                  "payee_account_id": target.payee["id"]}
        if "pack" in check.arrange:
            control.apply_pack(ws, check.arrange["pack"])
        control.add_rules(ws, check.rules(values) + self.plan.marker_rules())
        if suspend_now and "suspend" in check.arrange:
            control.suspend(connector["id"], f"readiness check {check.id}")
        return {"payee_balance": control.account(ws, target.payee["id"])["balance"],
                "after_request": control.newest_request(ws, connector["id"]), "mandate_id": mandate}

    def judge(self, check: Check, target: Target, connector: dict, arranged: dict, exit_code: int | None,
              output: str = "", token_requests: list[dict] = (), tokens: list[str] = (),
              presentations: list[dict] = ()) -> CheckResult:
        """Grade what the connector did since the check was arranged."""
        control, ws = self.control, self.workspace
        credits = (control.account(ws, target.payee["id"])["balance"] - arranged["payee_balance"]) // self.plan.amount
        evidence = grading.Evidence(
            calls=grading.timeline(control.requests(ws, connector["id"], since=arranged["after_request"]),
                                   list(token_requests)),
            exit_code=exit_code,
            credits=credits,
            payments=(credits if target.task == "collect"  # a debit moves the money at once or never
                      else sum(t.get("connector_id") == connector["id"] for t in control.transfers(ws))),
            secrets=(connector["client_secret"], *tokens),
            timeout_s=self.timeout_s,
            presentations=list(presentations),
            alerts=control.alerts(ws, connector["id"]))
        result, why = grading.grade(check.grade, evidence, self.plan.alerts)
        shown = sorted([*evidence.calls, *evidence.presentations], key=lambda call: call["started"])
        # Redacted before the tail is cut: a cut through a secret would leave the rest of it unrecognised.
        return CheckResult(check.id, check.title, check.concerns, result, why,
                           [_redacted(evidence_line(call), evidence.secrets) for call in shown],
                           exit_code, output=_redacted_text(output, evidence.secrets)[-OUTPUT_TAIL:],
                           alerts=[alert_line(alert) for alert in evidence.alerts])

    def environment(self, target: Target, connector: dict, token_url: str, authorize_url: str | None = None,
                    redirect_uri: str | None = None, mandate_id: str | None = None) -> dict:
        """The SANDBOX_* variables of one attempt: the task's accounts, and for a third party where to authorize."""
        payee = target.payee
        third_party = {"SANDBOX_AUTHORIZE_URL": authorize_url, "SANDBOX_REDIRECT_URI": redirect_uri}
        if target.task == "collect":
            accounts = {"SANDBOX_PAYER_ACCOUNT_ID": target.payer["id"], "SANDBOX_COLLECTOR_ACCOUNT_ID": payee["id"],
                        "SANDBOX_MANDATE_ID": mandate_id}
        else:
            accounts = {
                "SANDBOX_PAYER_ACCOUNT_ID": target.payer["id"],
                "SANDBOX_PAYEE_BANK_CODE": payee["bank_code"],
                "SANDBOX_PAYEE_BRANCH_CODE": payee["branch_code"],
                "SANDBOX_PAYEE_ACCOUNT_TYPE": payee["account_type"],
                "SANDBOX_PAYEE_ACCOUNT_NUMBER": payee["account_number"],
                "SANDBOX_PAYEE_NAME_KANA": payee["holder_kana"],
            }
        return {
            "SANDBOX_BASE_URL": self.control.base_url,
            "SANDBOX_API_BASE_URL": target.api_base,
            "SANDBOX_BANK": target.bank,
            "SANDBOX_TOKEN_URL": token_url,
            "SANDBOX_CLIENT_ID": connector["client_id"],
            "SANDBOX_CLIENT_SECRET": connector["client_secret"],
            "SANDBOX_SCOPE": target.scope,
            "SANDBOX_TASK": target.task,
            **accounts,
            "SANDBOX_AMOUNT": str(self.plan.amount),
            "SANDBOX_TIMEOUT_S": str(self.timeout_s),
            "SANDBOX_CONNECTOR_CLASS": self.connector_class,
            **(third_party if self.connector_class == "third-party" else {}),
        }

    def _execute(self, command: Command, environment: dict) -> tuple[int | None, str]:
        """Run the command once; None as its exit code when it was stopped at the timeout."""
        if callable(command):
            return _call(command, environment, self.timeout_s)
        process = subprocess.Popen(command, env={**os.environ, **environment}, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            output, _ = process.communicate(timeout=self.timeout_s)
            return process.returncode, output.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the command's own children go with it
            output, _ = process.communicate()
            return None, output.decode("utf-8", "replace")


def _call(function, environment: dict, timeout_s: float) -> tuple[int | None, str]:
    """A connector function on a thread of its own; what it prints is not captured (it shares this process).

    A function still running at the timeout is left to finish on its own (a thread cannot be stopped),
    and the check fails as a timeout.
    """
    outcome: list = []

    def attempt():
        try:
            code = function(dict(environment))
            outcome.append((0 if code is True else 1 if code is False else int(code or 0), ""))
        except Exception:  # noqa: BLE001 - a connector that raises gave up; its traceback is its output
            outcome.append((1, traceback.format_exc()))

    worker = threading.Thread(target=attempt, name="readiness-connector", daemon=True)
    worker.start()
    worker.join(timeout_s)
    return outcome[0] if outcome else (None, "")


def _redacted_text(text: str, secrets) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return text


def _redacted(line: dict, secrets) -> dict:
    return {key: _redacted_text(value, secrets) if isinstance(value, str) else value for key, value in line.items()}
