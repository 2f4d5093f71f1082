"""Connector readiness: the real `bank-sandbox readiness run` command against a real server.

The two example connectors run through the whole standard plan against the hub and 楓銀行; the
careful one passes everything, as a self-use connector and as a third party (authorization code +
PKCE, the sandbox consenting as the customer), the naive one fails exactly what its habits deserve.
Those runs, and the shorter ones that each try one bad habit, share the module's server (one
workspace each) and all start together, since most of a check is waiting; each test reads its own.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import live_server
import pytest

LIVE_SERVER = {"open_access": False}
ROOT = Path(__file__).resolve().parent.parent
BIN = str(Path(sys.executable).parent / "bank-sandbox")
CONNECTORS = {
    "careful": [sys.executable, str(ROOT / "examples" / "careful_connector" / "connector.py")],
    "naive": [sys.executable, str(ROOT / "examples" / "naive_connector" / "connector.py")],
}
CHECKS = ("happy-path", "lost-response", "rate-limited", "maintenance", "business-refusal", "name-mismatch", "suspended",
          "token-expiry", "approval", "secrets", "idempotency-key")
NAIVE = {"happy-path": "passed", "lost-response": "failed", "rate-limited": "failed", "maintenance": "failed",
         "business-refusal": "failed", "name-mismatch": "warning", "suspended": "failed", "token-expiry": "warning",
         "approval": "failed", "secrets": "passed", "idempotency-key": "warning"}
EXPECTED = {  # (connector, bank, class) -> each check's result
    ("careful", "hub", "self-use"): dict.fromkeys(CHECKS, "passed"),
    ("careful", "kaede", "self-use"): dict.fromkeys(CHECKS, "passed"),
    ("careful", "hub", "third-party"): dict.fromkeys(CHECKS, "passed"),
    ("careful", "kaede", "third-party"): dict.fromkeys(CHECKS, "passed"),
    ("naive", "hub", "self-use"): NAIVE,
    # 楓銀行 takes no transfer without an Idempotency-Key: the naive connector sends a new one every time.
    ("naive", "kaede", "self-use"): {**NAIVE, "idempotency-key": "passed"},
}
DEBIT_CHECKS = ("happy-path", "revoked-mandate", "insufficient-funds", "lost-response", "rate-limited", "suspended",
                "token-expiry", "secrets", "idempotency-key")
# A collector that never reads the mandate, sends no Idempotency-Key and tries three times whatever the answer.
# Its patience is generous: what it is graded on is its retries, not a busy machine's slow answers.
BLIND_DEBITS = """
import os, time, httpx
env = os.environ
for attempt in range(3):
    token = httpx.post(env["SANDBOX_TOKEN_URL"], data={"grant_type": "client_credentials", "scope": env["SANDBOX_SCOPE"]},
                       auth=(env["SANDBOX_CLIENT_ID"], env["SANDBOX_CLIENT_SECRET"]), timeout=30).json()["access_token"]
    answer = httpx.post(env["SANDBOX_API_BASE_URL"] + "/debits", headers={"Authorization": "Bearer " + token},
                        json={"mandate_id": env["SANDBOX_MANDATE_ID"], "amount": int(env["SANDBOX_AMOUNT"])}, timeout=30)
    print(answer.status_code, answer.text[:200])
    time.sleep(0.2)
raise SystemExit(0 if answer.status_code == 201 else 1)
"""
BLIND_EXPECTED = {"revoked-mandate": "failed", "lost-response": "failed", "idempotency-key": "warning"}


def _environment() -> dict:
    return {name: value for name, value in os.environ.items() if not name.startswith("SANDBOX_")}


def readiness(*args, server=None) -> subprocess.Popen:
    remote = ["--server", server.url, "--admin-token", live_server.ADMIN_TOKEN] if server else []
    return subprocess.Popen([BIN, "readiness", "run", *remote, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=_environment(), text=True)


@pytest.fixture(scope="module")
def started(live, tmp_path_factory, request):
    """Every `readiness run` the selected tests read, started at once: (out folder, process) by run.

    The example connectors' runs are keyed (connector, bank, plan or class); the runs that each try one
    habit by name (`_habits`). A run of a few tests starts only the group they read."""
    wanted = {name for item in request.session.items if item.path == request.path for name in item.fixturenames}
    started = {}
    if "runs" in wanted:
        for connector, bank, kind in EXPECTED:
            out = tmp_path_factory.mktemp(f"{connector}-{bank}-{kind}")
            started[connector, bank, kind] = out, readiness(
                "--bank", bank, "--class", kind, "--workspace", f"ready-{connector}-{bank}-{kind}", "--out", str(out),
                "--", *CONNECTORS[connector], server=live)
        out = tmp_path_factory.mktemp("careful-debits")
        started["careful", "hub", "debits"] = out, readiness(
            "--plan", "debits", "--workspace", "ready-careful-debits", "--out", str(out), "--", *CONNECTORS["careful"],
            server=live)
        out, blind = tmp_path_factory.mktemp("blind-debits"), tmp_path_factory.mktemp("blind") / "collect.py"
        blind.write_text(BLIND_DEBITS, encoding="utf-8")
        started["blind", "hub", "debits"] = out, readiness(
            "--plan", "debits", *(arg for check in BLIND_EXPECTED for arg in ("--check", check)),
            "--workspace", "ready-blind-debits", "--out", str(out), "--", sys.executable, str(blind), server=live)
    if "habits" in wanted:
        folder = tmp_path_factory.mktemp("habits")
        for name, (args, served) in _habits(folder).items():
            out = folder / name
            started[name] = out, readiness("--out", str(out), *args, server=live if served else None)
    yield started
    for _, process in started.values():  # a test that failed early leaves nothing running
        if process.poll() is None:
            process.kill()
            process.communicate()


@pytest.fixture(scope="module")
def finished(started):
    """(exit code, output, out folder) of every run, once all have ended (none still files a report)."""
    ended = {}
    for key, (out, process) in started.items():
        output, _ = process.communicate(timeout=240)
        ended[key] = process.returncode, output, out
    return ended


@pytest.fixture(scope="module")
def runs(finished):
    """The example connectors' runs through the whole plans."""
    return {key: run for key, run in finished.items() if isinstance(key, tuple)}


@pytest.fixture(scope="module")
def habits(finished):
    """The runs that each try one habit, by name."""
    return {key: run for key, run in finished.items() if isinstance(key, str)}


def _habits(folder: Path) -> dict:
    """The short runs, by name: (`readiness run` arguments but --out, whether it uses the module's server).

    Each tries one connector habit on one or two checks; the tests below say what each must show.
    """
    lenient = folder / "lenient.yaml"  # the standard plan's happy-path, in a plan that ignores alerts
    lenient.write_text("name: lenient\nalerts: ignore\nclock: '2026-11-05T10:00:00+09:00'\namount: 12000\n"
                       "checks:\n  - id: happy-path\n    grade: {kind: pays-once}\n", encoding="utf-8")
    harvest = folder / "harvest.py"
    harvest.write_text(HARVEST, encoding="utf-8")
    docs = (ROOT / "docs" / "readiness.md").read_text(encoding="utf-8")
    curl = folder / "pay.sh"
    curl.write_text(re.search(r"```sh\n(#!/bin/sh\n.*?)```", docs, re.S).group(1), encoding="utf-8")
    curl.chmod(0o755)
    python = sys.executable
    return {
        "no-pkce": (["--class", "third-party", "--check", "happy-path", "--workspace", "ready-no-pkce",
                     "--", python, "-c", NO_PKCE], True),
        "harvest": (["--check", "happy-path", "--workspace", "ready-harvest", "--", python, str(harvest)], True),
        "harvest-lenient": (["--plan", str(lenient), "--workspace", "ready-harvest-lenient",
                             "--", python, str(harvest)], True),
        "looping": (["--check", "token-expiry", "--workspace", "ready-looping", "--", python, "-c", LOOPING], True),
        "leaky": (["--check", "secrets", "--workspace", "ready-leaky", "--", python, "-c", LEAKY], True),
        "slow": (["--check", "happy-path", "--timeout", "1", "--workspace", "ready-slow", "--", python, "-c",
                  "import time; time.sleep(30)"], True),
        # no --server: the command serves a sandbox of its own for the curl connector the docs show
        "documented-curl": (["--check", "happy-path", "--check", "lost-response", "--", str(curl)], False),
    }


def _report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("connector, bank, kind", list(EXPECTED), ids=lambda v: v)
def test_readiness_run_grades_each_example_connector(runs, connector, bank, kind):
    exit_code, output, out = runs[connector, bank, kind]
    report = _report(out)
    expected = EXPECTED[connector, bank, kind]
    assert {check["id"]: check["result"] for check in report["checks"]} == expected, output
    assert exit_code == (0 if connector == "careful" else 1), output
    failed = sum(result == "failed" for result in expected.values())
    assert report["summary"]["failed"] == failed and report["bank"] == bank and report["plan"] == "standard"
    assert report["class"] == kind
    if connector == "careful":  # a careful connector raises no abuse alert in any check
        assert [check["alerts"] for check in report["checks"]] == [[]] * len(CHECKS)
    for check_id in CHECKS:  # a progress line per check, then the summary
        assert re.search(rf"^{expected[check_id].upper()}\s+{check_id}\s", output, re.M), output
    suite = ET.parse(out / "junit.xml").getroot()
    assert [case.get("name") for case in suite.iter("testcase")] == list(CHECKS)
    assert int(suite.get("failures")) == failed == len(suite.findall("testcase/failure"))
    for check_id in CHECKS:
        assert (out / "logs" / f"{check_id}.txt").is_file()


def test_readiness_debits_plan_grades_collecting_connectors(runs):
    exit_code, output, out = runs["careful", "hub", "debits"]
    report = _report(out)
    assert exit_code == 0 and report["plan"] == "debits", output
    assert [(check["id"], check["result"]) for check in report["checks"]] == [
        (check_id, "passed") for check_id in DEBIT_CHECKS], output
    expiry = next(c for c in report["checks"] if c["id"] == "token-expiry")
    assert [line["operation_id"] for line in expiry["evidence"] if line["kind"] == "bank"] == [
        "getMandate", "createDebit", "createDebit"], expiry["evidence"]  # the mandate read, a 401, the debit
    exit_code, output, out = runs["blind", "hub", "debits"]
    blind = {check["id"]: check for check in _report(out)["checks"]}
    assert {check_id: check["result"] for check_id, check in blind.items()} == BLIND_EXPECTED, output
    assert exit_code == 1
    assert "sent the refused payment 3 times" in blind["revoked-mandate"]["why"]
    assert "credited 3 times" in blind["lost-response"]["why"]  # each try a new debit: the payer paid thrice


def test_readiness_session_refuses_a_plan_that_collects(admin):
    answer = admin.post("/sandbox/v1/readiness/sessions", json={"plan": "debits", "workspace": "ready-collect"})
    assert answer.status_code == 400 and "readiness run" in answer.json()["detail"], answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert admin.get("/sandbox/v1/workspaces/ready-collect").status_code == 404  # nothing was set up


def test_readiness_report_shows_the_calls_that_prove_a_double_payment(runs):
    lost = next(c for c in _report(runs["naive", "hub", "self-use"][2])["checks"] if c["id"] == "lost-response")
    payments = [line for line in lost["evidence"] if line["kind"] == "bank" and line["method"] == "POST"]
    assert [line["status"] for line in payments] == [504, 201], lost["evidence"]
    assert "credited 2 times" in lost["why"]
    careful = next(c for c in _report(runs["careful", "hub", "self-use"][2])["checks"] if c["id"] == "lost-response")
    keyed = [line for line in careful["evidence"] if "readiness:idempotency-key" in (line.get("scenario") or "")]
    assert [line["status"] for line in keyed] == [504, 201], careful["evidence"]


def test_readiness_report_shows_calls_after_the_suspension(runs):
    suspended = next(c for c in _report(runs["naive", "kaede", "self-use"][2])["checks"] if c["id"] == "suspended")
    codes = [(line["kind"], line.get("error_code")) for line in suspended["evidence"]]
    first = codes.index(("bank", "connector_suspended"))
    assert ("token", "invalid_client") in codes[first + 1:], codes
    careful = next(c for c in _report(runs["careful", "kaede", "self-use"][2])["checks"] if c["id"] == "suspended")
    assert careful["evidence"][-1]["error_code"] == "connector_suspended" and careful["exit_code"] != 0


def test_readiness_third_party_connector_is_authorized_by_the_sandbox_as_its_customer(runs):
    report = _report(runs["careful", "kaede", "third-party"][2])
    expiry = next(c for c in report["checks"] if c["id"] == "token-expiry")
    steps = [(line["kind"], line.get("grant_type") or line.get("operation_id"), line["status"])
             for line in expiry["evidence"]]
    # consent (the redirect to the connector's callback), the code exchange, the expired token refused in the
    # bank's log as the connector's own call, one refresh, then the payment again
    assert steps[:2] == [("authorize", "authorize", 302), ("token", "authorization_code", 200)], steps
    refused = steps.index(("bank", "requestTransfer", 401))
    assert steps[refused + 1] == ("token", "refresh_token", 200), steps
    assert steps[refused + 2] == ("bank", "requestTransfer", 202), steps
    page = (runs["careful", "kaede", "third-party"][2] / "report.html").read_text(encoding="utf-8")
    assert "third party" in page and "認可（お客さまの同意）" in page and "refresh_token" in page


NO_PKCE = """
import os, httpx
answer = httpx.get(os.environ["SANDBOX_AUTHORIZE_URL"], params={
    "response_type": "code", "client_id": os.environ["SANDBOX_CLIENT_ID"], "state": "s1",
    "redirect_uri": os.environ["SANDBOX_REDIRECT_URI"], "scope": os.environ["SANDBOX_SCOPE"]})
print(answer.status_code, answer.headers.get("location"))
raise SystemExit(4)
"""


def test_readiness_third_party_authorization_without_pkce_is_answered_with_a_code(habits):
    """A confidential client may leave PKCE out on the plain profile (RFC 6749, as banks' own SDKs do): the
    sandbox consents as the customer and redirects with a code, and the evidence records the request
    without a challenge. The program stops there (exit 4), so the check fails on its own exit code."""
    exit_code, output, out = habits["no-pkce"]
    assert exit_code == 1, output
    check = _report(out)["checks"][0]
    assert check["result"] == "failed" and check["exit_code"] == 4
    assert [(line["kind"], line["status"], line.get("pkce")) for line in check["evidence"]] == [
        ("authorize", 302, None)], check["evidence"]
    assert "code=" in check["output"] and "state=s1" in check["output"], check["output"]


# Pays once, as asked, then asks the hub for the holders of the 20 accounts numbered after the payee's
# (at the pace the bank's capacity allows): harvesting names, which name_inquiry_enumeration is there to stop.
HARVEST = """
import os, time, httpx
env = os.environ
token = httpx.post(env["SANDBOX_TOKEN_URL"], data={"grant_type": "client_credentials", "scope": env["SANDBOX_SCOPE"]},
                   auth=(env["SANDBOX_CLIENT_ID"], env["SANDBOX_CLIENT_SECRET"]), timeout=30).json()["access_token"]
hub = httpx.Client(base_url=env["SANDBOX_API_BASE_URL"], headers={"Authorization": "Bearer " + token}, timeout=30)
payee = {name: env["SANDBOX_PAYEE_" + name.upper()] for name in ("bank_code", "branch_code", "account_type")}
paid = hub.post("/transfers", headers={"Idempotency-Key": env["SANDBOX_CLIENT_ID"]}, json={
    "from_account_id": env["SANDBOX_PAYER_ACCOUNT_ID"], "amount": int(env["SANDBOX_AMOUNT"]),
    "to": {**payee, "account_number": env["SANDBOX_PAYEE_ACCOUNT_NUMBER"], "name": env["SANDBOX_PAYEE_NAME_KANA"]}})
print("paid", paid.status_code, paid.json().get("status"))
start = int(env["SANDBOX_PAYEE_ACCOUNT_NUMBER"])
answers = []
for n in range(1, 21):
    answer = hub.post("/beneficiary-inquiries", json={**payee, "account_number": f"{(start + n) % 10_000_000:07d}"})
    while answer.status_code == 429:
        time.sleep(float(answer.headers.get("retry-after", "1")))
        answer = hub.post("/beneficiary-inquiries", json={**payee, "account_number": f"{(start + n) % 10_000_000:07d}"})
    answers.append(answer)
print("asked", [answer.status_code for answer in answers])
raise SystemExit(0 if paid.status_code == 201 and paid.json().get("status") == "executed" else 1)
"""


def test_readiness_fails_a_connector_that_raised_an_abuse_alert_naming_the_rule(habits):
    exit_code, output, strict_out = habits["harvest"]
    assert exit_code == 1, output
    check = _report(strict_out)["checks"][0]
    assert "paid 201 executed" in check["output"] and check["exit_code"] == 0, check  # the task itself was done
    assert check["result"] == "failed", check
    assert check["why"].startswith("tripped the bank's abuse rule(s) name_inquiry_enumeration (throttle)"), check
    [alert] = check["alerts"]
    assert (alert["rule"], alert["action"], alert["figures"]["count"]) == ("name_inquiry_enumeration", "throttle", 20)
    assert re.search(r"^FAILED\s+happy-path\s", output, re.M), output
    failure = ET.parse(strict_out / "junit.xml").getroot().find("testcase/failure")
    assert "name_inquiry_enumeration" in failure.get("message")
    assert "name_inquiry_enumeration" in (strict_out / "report.html").read_text(encoding="utf-8")
    exit_code, output, lenient_out = habits["harvest-lenient"]
    lenient_check = _report(lenient_out)["checks"][0]
    assert exit_code == 0 and lenient_check["result"] == "passed", output
    assert [alert["rule"] for alert in lenient_check["alerts"]] == ["name_inquiry_enumeration"]  # shown, not graded


LOOPING = """
import os, time, httpx
env = os.environ
token = httpx.post(env["SANDBOX_TOKEN_URL"], data={"grant_type": "client_credentials", "scope": env["SANDBOX_SCOPE"]},
                   auth=(env["SANDBOX_CLIENT_ID"], env["SANDBOX_CLIENT_SECRET"])).json()["access_token"]
for _ in range(4):  # the same token, whatever the bank says
    print(httpx.get(env["SANDBOX_API_BASE_URL"] + "/accounts/" + env["SANDBOX_PAYER_ACCOUNT_ID"] + "/balance",
                    headers={"Authorization": "Bearer " + token}).status_code)
    time.sleep(0.5)
raise SystemExit(1)
"""


def test_readiness_token_expiry_fails_a_connector_that_loops_on_an_expired_token(habits):
    exit_code, output, out = habits["looping"]
    assert exit_code == 1, output
    check = _report(out)["checks"][0]
    assert check["result"] == "failed" and "loops on an expired token" in check["why"], check
    refused = [line for line in check["evidence"] if line["kind"] == "bank" and line["status"] == 401]
    assert len(refused) == 3 and {line["error_code"] for line in refused} == {"unauthorized"}, check["evidence"]


def test_readiness_report_html_is_self_contained_and_bilingual(runs):
    page = (runs["naive", "hub", "self-use"][2] / "report.html").read_text(encoding="utf-8")
    for text in ("接続チェック結果", "Readiness report", "チェックシート", "Check sheet", "不合格", "Failed",
                 "冪等性・二重送金防止", *CHECKS):
        assert text in page, text
    assert not re.search(r"<script|<link|src=|url\(", page)


# What a leaked credential looks like: a bearer header with its token, or a client secret or token of the
# sandbox's own shape (43 URL-safe characters; a refresh token has 54). A connector's traceback quoting its
# own source (`"Bearer " + token`, `env["SANDBOX_CLIENT_SECRET"]`) holds none, and must not fail this test.
LEAKED = re.compile(r"Bearer [\w.~+/-]{8,}|(?<![\w-])(?:[A-Za-z0-9_-]{43}|[A-Za-z0-9_-]{54})(?![\w-])")


def test_readiness_evidence_never_holds_a_token_or_secret(runs, tmp_path):
    for exit_code, output, out in runs.values():
        text = (out / "report.json").read_text(encoding="utf-8")
        assert not LEAKED.search(text), LEAKED.search(text)
        for check in json.loads(text)["checks"]:
            assert all("query" not in line for line in check["evidence"])


LEAKY = """
import os, httpx
token = httpx.post(os.environ["SANDBOX_TOKEN_URL"], data={"grant_type": "client_credentials"},
                   auth=(os.environ["SANDBOX_CLIENT_ID"], os.environ["SANDBOX_CLIENT_SECRET"])).json()["access_token"]
httpx.get(os.environ["SANDBOX_API_BASE_URL"] + "/transfers/" + token, headers={"Authorization": "Bearer " + token})
print("used", token)
"""


def test_readiness_secrets_check_fails_a_token_in_a_path_and_redacts_it(habits):
    exit_code, output, out = habits["leaky"]
    assert exit_code == 1, output
    check = _report(out)["checks"][0]
    assert check["result"] == "failed" and "in the URL" in check["why"]
    assert any(line["path"] == "/hub/v1/transfers/[redacted]" for line in check["evidence"]), check["evidence"]
    assert "used [redacted]" in check["output"]


def test_readiness_run_stops_a_command_at_its_timeout(habits):
    exit_code, output, out = habits["slow"]
    assert exit_code == 1, output
    check = _report(out)["checks"][0]
    assert check["result"] == "failed" and check["exit_code"] is None and "within 1 s" in check["why"]


def test_readiness_run_serves_its_own_sandbox_for_the_documented_curl_connector(habits):
    exit_code, output, out = habits["documented-curl"]
    assert exit_code == 0, output
    assert [c["result"] for c in _report(out)["checks"]] == ["passed", "passed"]
    assert "paid" in _report(out)["checks"][0]["output"]


def test_readiness_run_refuses_a_plan_with_an_unknown_grader_before_anything_runs(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("name: broken\nchecks:\n  - id: one\n    grade: {kind: trust-me}\n", encoding="utf-8")
    process = readiness("--plan", str(plan), "--", "true")
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 1 and "grade kind must be one of" in output, output
    assert "Traceback" not in output


def test_readiness_run_refuses_a_plan_with_an_unknown_alerts_policy_before_anything_runs(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("name: vague\nalerts: sometimes\nchecks:\n  - id: one\n    grade: {kind: pays-once}\n",
                    encoding="utf-8")
    process = readiness("--plan", str(plan), "--", "true")
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 1 and "alerts must be one of fail, ignore" in output, output
    assert "Traceback" not in output


def test_readiness_run_with_a_server_needs_its_admin_token(live):
    process = subprocess.Popen([BIN, "readiness", "run", "--server", live.url, "--", "true"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, env=_environment(), text=True)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 2 and "--admin-token" in output, output


def test_readiness_run_refuses_an_unknown_check(tmp_path):
    process = readiness("--check", "no-such-check", "--", "true")
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 1 and "no check no-such-check" in output, output


def test_readiness_run_with_a_server_files_its_report_there(runs, admin):
    filed = admin.get("/sandbox/v1/readiness/runs").json()["runs"]
    assert {(run["bank"], run["summary"]["failed"] == 0) for run in filed} >= {("hub", True), ("kaede", True),
                                                                               ("hub", False), ("kaede", False)}
    run = admin.get(f"/sandbox/v1/readiness/runs/{filed[0]['id']}").json()
    assert [check["id"] for check in run["checks"]] and all("evidence" in check for check in run["checks"])


def _cli(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, "readiness", *args], capture_output=True, text=True, timeout=120,
                          env={**_environment(), **(env or {})})


def test_readiness_session_grades_attempts_driven_by_hand(live, admin, tmp_path):
    server = {"SANDBOX_ADMIN_TOKEN": live_server.ADMIN_TOKEN}
    started = _cli("start", "--server", live.url, "--bank", "kaede", "--workspace", "ready-session",
                   "--check", "happy-path", "--check", "business-refusal", "--check", "token-expiry", env=server)
    assert started.returncode == 0, started.stderr
    environment = dict(shlex.split(line)[1].split("=", 1) for line in started.stdout.splitlines())
    assert environment["SANDBOX_BANK"] == "kaede" and environment["SANDBOX_READINESS_SESSION"].startswith("rds_")
    attempts = []
    for _ in range(2):  # token-expiry needs a connector of its own: a session skips it
        attempt = subprocess.run(CONNECTORS["careful"], env={**_environment(), **environment}, capture_output=True,
                                 text=True, timeout=60)
        attempts.append(attempt.returncode)
        graded = _cli("next", "--server", live.url, "--exit-code", str(attempt.returncode), env={**server, **environment})
        assert graded.returncode == 0, graded.stderr
    assert attempts == [0, 1]
    finished = _cli("finish", "--server", live.url, "--out", str(tmp_path), env={**server, **environment})
    assert finished.returncode == 0, finished.stdout + finished.stderr
    report = _report(tmp_path)
    assert [(c["id"], c["result"]) for c in report["checks"]] == [
        ("happy-path", "passed"), ("business-refusal", "passed"), ("token-expiry", "skipped")]
    assert any(run["id"] in finished.stdout for run in admin.get("/sandbox/v1/readiness/runs").json()["runs"])
    gone = admin.get(f"/sandbox/v1/readiness/sessions/{environment['SANDBOX_READINESS_SESSION']}")
    assert gone.status_code == 404 and gone.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("method, path, body, status", [
    ("POST", "/readiness/sessions", {"bank": "no-such-bank", "workspace": "ready-refused"}, 404),
    ("POST", "/readiness/sessions", {"plan": "../plans", "workspace": "ready-refused"}, 400),
    ("POST", "/readiness/sessions", {"plan": "no-such-plan", "workspace": "ready-refused"}, 404),
    ("POST", "/readiness/sessions", {"checks": ["no-such-check"], "workspace": "ready-refused"}, 404),
    ("POST", "/readiness/sessions/rds_0000000000000000/next", {"exit_code": 0}, 404),
    ("POST", "/readiness/sessions/rds_0000000000000000/next", {"exit_code": "0"}, 400),
    ("POST", "/readiness/sessions/not-a-session/finish", {}, 400),
    ("GET", "/readiness/runs/run_0000000000000000", None, 404),
    ("POST", "/readiness/runs", {"plan": "standard", "bank": "hub"}, 400),
], ids=lambda v: str(v)[:40])
def test_readiness_control_plane_refuses_bad_input_with_a_problem(admin, method, path, body, status):
    before = admin.get("/sandbox/v1/readiness/runs").json()["runs"]
    answer = admin.request(method, f"/sandbox/v1{path}", json=body)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert admin.get("/sandbox/v1/readiness/runs").json()["runs"] == before
    assert admin.get("/sandbox/v1/workspaces/ready-refused").status_code == 404  # no workspace, so no connector


def test_readiness_console_lists_filed_runs_and_shows_a_report_in_a_browser(runs, live):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no system Chromium (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    artifacts = ROOT / "test-artifacts" / "readiness"
    artifacts.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        page = browser.new_context(locale="ja-JP").new_page()
        page.goto(f"{live.url}/console/sign-in")
        page.fill("#token", live_server.ADMIN_TOKEN)
        with page.expect_navigation():
            page.locator("main button[type=submit]").click()
        with page.expect_navigation():  # the console's header leads to the reports
            page.locator("header #readiness-link").click()
        assert page.url == f"{live.url}/console/readiness"
        rows = page.locator("#readiness-runs tr[data-run]")
        assert rows.count() >= 4
        page.screenshot(path=str(artifacts / "runs.png"), full_page=True)
        naive = re.search(r"filed on the sandbox as (run_\w+)", runs["naive", "hub", "self-use"][1]).group(1)
        assert page.locator(f"tr[data-run={naive}] td.error").inner_text() == "6"
        with page.expect_navigation():
            page.locator(f"tr[data-run={naive}] a").click()
        assert page.locator("h1").inner_text().startswith("接続チェック結果")
        assert page.locator("#lost-response .result.failed").count() == 1
        page.screenshot(path=str(artifacts / "report.png"), full_page=True)
        browser.close()


def pay_through_the_hub(env) -> int:
    """A connector function: one token, one keyed transfer, exit 0 only when it executed."""
    token = httpx.post(env["SANDBOX_TOKEN_URL"], data={"grant_type": "client_credentials", "scope": env["SANDBOX_SCOPE"]},
                       auth=(env["SANDBOX_CLIENT_ID"], env["SANDBOX_CLIENT_SECRET"]), timeout=10).json()["access_token"]
    payee = {key: env[f"SANDBOX_PAYEE_{key.upper()}"] for key in ("bank_code", "branch_code", "account_type",
                                                                   "account_number", "name_kana")}
    answer = httpx.post(f"{env['SANDBOX_API_BASE_URL']}/transfers", timeout=10,
                        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": env["SANDBOX_CLIENT_ID"]},
                        json={"from_account_id": env["SANDBOX_PAYER_ACCOUNT_ID"], "amount": int(env["SANDBOX_AMOUNT"]),
                              "to": {**{k: v for k, v in payee.items() if k != "name_kana"}, "name": payee["name_kana"]}})
    return 0 if answer.status_code == 201 and answer.json()["status"] == "executed" else 1


def test_readiness_plugin_fixture_grades_a_connector_function(bank_sandbox_readiness, tmp_path):
    report = bank_sandbox_readiness(pay_through_the_hub, checks=["happy-path", "business-refusal", "idempotency-key"],
                                    out=tmp_path)
    assert [(c.id, c.result) for c in report.checks] == [
        ("happy-path", "passed"), ("business-refusal", "passed"), ("idempotency-key", "passed")], report.to_dict()
    assert report.ok and (tmp_path / "junit.xml").is_file()
    claims = bank_sandbox_readiness(lambda env: True, checks=["happy-path"])  # says it paid, never called
    assert claims.checks[0].result == "failed" and "no money reached the payee" in claims.checks[0].why
