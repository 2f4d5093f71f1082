"""The FAPI 2.0 readiness plan through the real `bank-sandbox readiness run` command and a real server.

The careful example connector follows the profile (Authlib's client with private_key_jwt and PAR,
joserfc DPoP proofs) and passes, as a third party and as a self-use connector (which has no
authorization request to push). Two variants of it, each with one habit broken, fail exactly the
check that habit deserves: one sends its DPoP-bound token as a bearer token, one reuses a proof when
it sends the same request again. The four runs share the module's server and run at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import live_server
import pytest

from sandbox.readiness import load_plan

LIVE_SERVER = {"open_access": False}
ROOT = Path(__file__).resolve().parent.parent
BIN = str(Path(sys.executable).parent / "bank-sandbox")
EXAMPLE = ROOT / "examples" / "careful_connector"
CHECKS = ("happy-path", "pushed-request", "pkce-s256", "client-assertion", "dpop-token-requests", "dpop-bank-calls",
          "fresh-proofs")
# The careful connector with one habit broken (the rest of it unchanged).
VARIANTS = {
    "bearer": """
import sys
sys.path.insert(0, {example!r})
import connector
present = connector.Fapi.present
# sends its DPoP-bound token under the Bearer scheme (the proof still goes along)
connector.Fapi.present = lambda self, token, method, url: {{**present(self, token, method, url),
                                                           "Authorization": "Bearer " + token}}
sys.exit(connector.main())
""",
    "replaying": """
import functools, sys
sys.path.insert(0, {example!r})
import connector
# one proof per request, kept for every retry of it: a retry replays the proof's jti
connector.Fapi.proof = functools.lru_cache(maxsize=None)(connector.Fapi.proof)
sys.exit(connector.main())
""",
}
EXPECTED = {  # (connector, class) -> each check's result
    ("careful", "third-party"): dict.fromkeys(CHECKS, "passed"),
    ("careful", "self-use"): {**dict.fromkeys(CHECKS, "passed"), "pushed-request": "skipped", "pkce-s256": "skipped"},
    ("bearer", "third-party"): {**dict.fromkeys(CHECKS, "passed"), "happy-path": "failed", "dpop-bank-calls": "failed"},
    ("replaying", "third-party"): {**dict.fromkeys(CHECKS, "passed"), "fresh-proofs": "failed"},
}


@pytest.fixture(scope="module")
def runs(live, tmp_path_factory):
    scripts = tmp_path_factory.mktemp("variants")
    commands = {"careful": [sys.executable, str(EXAMPLE / "connector.py")]}
    for name, text in VARIANTS.items():
        (scripts / f"{name}.py").write_text(text.format(example=str(EXAMPLE)), encoding="utf-8")
        commands[name] = [sys.executable, str(scripts / f"{name}.py")]
    environment = {name: value for name, value in os.environ.items() if not name.startswith("SANDBOX_")}
    started = {}
    for connector, kind in EXPECTED:
        out = tmp_path_factory.mktemp(f"fapi-{connector}-{kind}")
        started[connector, kind] = out, subprocess.Popen(
            [BIN, "readiness", "run", "--server", live.url, "--admin-token", live_server.ADMIN_TOKEN, "--plan", "fapi2",
             "--class", kind, "--workspace", f"fapi-{connector}-{kind}", "--out", str(out), "--", *commands[connector]],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment, text=True)
    finished = {}
    for key, (out, process) in started.items():
        output, _ = process.communicate(timeout=240)
        finished[key] = (process.returncode, output, json.loads((out / "report.json").read_text(encoding="utf-8")),
                         out)
    return finished


def _check(report: dict, check_id: str) -> dict:
    return next(check for check in report["checks"] if check["id"] == check_id)


@pytest.mark.slow
@pytest.mark.parametrize("connector, kind", list(EXPECTED), ids=lambda v: v)
def test_readiness_fapi2_plan_grades_each_connector(runs, connector, kind):
    exit_code, output, report, _ = runs[connector, kind]
    assert {check["id"]: check["result"] for check in report["checks"]} == EXPECTED[connector, kind], output
    assert report["plan"] == "fapi2" and report["class"] == kind
    assert exit_code == (0 if connector == "careful" else 1), output


def test_readiness_fapi2_evidence_names_how_each_request_authenticated(runs):
    report = runs["careful", "third-party"][2]
    lines = _check(report, "happy-path")["evidence"]
    kinds = [line["kind"] for line in lines]
    assert kinds.index("par") < kinds.index("authorize") < kinds.index("token"), kinds
    par, authorize = lines[kinds.index("par")], lines[kinds.index("authorize")]
    assert par["client_auth"] == "private_key_jwt" and par["pkce"] == "S256" and par["status"] == 201
    assert authorize["params"] == ["client_id", "request_uri"]
    token = lines[kinds.index("token")]
    assert (token["client_auth"], token["dpop"], token["token_type"]) == ("private_key_jwt", "fresh", "DPoP")
    assert "client_secret" not in token["params"] and "code_verifier" in token["params"]
    presented = [line for line in lines if line["kind"] == "presented"]
    assert presented and all((line["scheme"], line["dpop"]) == ("DPoP", "fresh") for line in presented)
    page = (runs["careful", "third-party"][3] / "report.html").read_text(encoding="utf-8")
    assert "PAR" in page and "client_auth=private_key_jwt" in page and "scheme=DPoP" in page
    # names only: no assertion, proof or token (all JWTs or opaque strings) ever reaches the report
    for checked in runs.values():
        assert "eyJ" not in json.dumps(checked[2]["checks"]), "a JWT in the report"


def test_readiness_fapi2_failures_say_what_the_connector_did(runs):
    bearer = _check(runs["bearer", "third-party"][2], "dpop-bank-calls")
    assert "sent the DPoP-bound token otherwise (Bearer)" in bearer["why"]
    refused = [line for line in bearer["evidence"] if line["kind"] == "presented"]
    assert refused and all((line["status"], line["error_code"]) == (401, "invalid_token") for line in refused)
    replayed = _check(runs["replaying", "third-party"][2], "fresh-proofs")
    assert "were sent again (POST /hub/v1/transfers" in replayed["why"], replayed["why"]
    again = [line for line in replayed["evidence"] if line.get("dpop") == "replayed"]
    assert again[0]["kind"] == "presented" and (again[0]["status"], again[0]["error_code"]) == (
        401, "invalid_dpop_proof"), replayed["evidence"]
    careful = _check(runs["careful", "third-party"][2], "fresh-proofs")
    payments = [line for line in careful["evidence"] if line["kind"] == "presented" and line["method"] == "POST"
                and line["path"].endswith("/transfers")]
    assert [line["status"] for line in payments] == [503, 201], careful["evidence"]  # the retry, with a new proof


@pytest.mark.parametrize("text, refusal", [
    ("connector: {security_profile: fapi9}\nchecks: [{id: a, grade: {kind: pays-once}}]\n", "security_profile is one of"),
    ("checks: [{id: a, grade: {kind: pays-once}, arrange: {after_first_token: {class: third-party}}}]\n",
     "after_first_token changes token_ttl"),
    ("checks: [{id: a, grade: {kind: pays-once}, arrange: {after_first_token: 3600}}]\n",
     "after_first_token changes token_ttl"),
], ids=["unknown-security-profile", "unchangeable-after-first-token", "after-first-token-not-a-mapping"])
def test_readiness_plan_refuses_what_a_connector_cannot_be_given(tmp_path, text, refusal):
    plan = tmp_path / "odd.yaml"
    plan.write_text(text, encoding="utf-8")
    with pytest.raises(Exception, match=refusal):
        load_plan(plan)


def test_readiness_shipped_plans_give_their_connectors_what_they_say():
    assert load_plan("fapi2").connector == {"security_profile": "fapi2"}
    expiry, = [check for check in load_plan("standard").checks if check.id == "token-expiry"]
    assert expiry.arrange["after_first_token"] == {"token_ttl": 3600}  # the first token expires, not the renewed one


def test_readiness_session_refuses_the_fapi2_plan(admin):
    answer = admin.post("/sandbox/v1/readiness/sessions", json={"plan": "fapi2", "workspace": "fapi-session"})
    assert answer.status_code == 400 and "readiness run" in answer.json()["detail"], answer.text
    assert admin.get("/sandbox/v1/workspaces/fapi-session").status_code == 404  # nothing was set up
