"""Team onboarding (control plane and CLI), isolation between teams, and resetting every workspace."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from datetime import datetime

import httpx
import pytest
import yaml

from engines import postgres  # noqa: F401 - fixture: teams made side by side on PostgreSQL
from oauth_flows import PASSWORD, REDIRECT, Form, bearer, client_credentials, oauth_client, third_party_token
from sandbox.domain.calendar import JST
from sandbox.domain.clock import FixedClock
from sandbox.domain.errors import SandboxError
from sandbox.governance import Governance
from sandbox.registry import ConnectorRegistry
from sandbox.resources import data_dir
from sandbox.teams import Teams
from sandbox.workspaces import Workspaces

V1 = "/sandbox/v1"
BIN = Path(sys.executable).parent / "bank-sandbox"


LIVE_SERVER = {"open_access": False, "seed_default": False}


@pytest.fixture(scope="module")
def two_teams(admin):
    made = []
    for name, seed in (("team-a", 1), ("team-b", 2)):
        answer = admin.post(f"{V1}/teams", json={"name": name, "seed": seed, "redirect_uris": [REDIRECT]})
        assert answer.status_code == 201, answer.text
        made.append(answer.json())
    return made


def test_a_team_gets_everything_it_needs_in_one_answer(live, two_teams):
    team = two_teams[0]
    assert team["workspace"]["name"] == "team-a" and team["workspace"]["seed"] == 1
    self_use, third = team["connectors"]["self_use"], team["connectors"]["third_party"]
    assert self_use["class"] == "self-use" and third["class"] == "third-party"
    assert self_use["client_secret"] in team["sheet"] and third["client_id"] in team["sheet"]
    assert {user["kind"] for user in team["test_users"]} == {"individual", "corporate"}
    assert team["urls"]["token_endpoint"] == f"{live.url}/oauth/token"
    company = next(u for u in team["test_users"] if u["kind"] == "corporate")
    assert company["customer_id"] == self_use["customer_id"]
    # The credentials work as handed out.
    token = client_credentials(live.url, self_use)
    account = company["accounts"][0]
    balance = httpx.get(f"{live.url}/hub/v1/accounts/{account['id']}/balance", headers=bearer(token), timeout=30)
    assert balance.status_code == 200 and balance.json()["balance"] == account["balance"]
    person = next(u for u in team["test_users"] if u["kind"] == "individual")
    user_token = third_party_token(live.url, third, person["customer_id"], "hub:read")
    mine = httpx.get(f"{live.url}/hub/v1/accounts/{person['accounts'][0]['id']}/balance", headers=bearer(user_token),
                     timeout=30)
    assert mine.status_code == 200


def test_no_credential_of_one_team_reaches_another(live, two_teams):
    a, b = two_teams
    token_a = client_credentials(live.url, a["connectors"]["self_use"])
    b_company = next(u for u in b["test_users"] if u["kind"] == "corporate")
    other = httpx.get(f"{live.url}/hub/v1/accounts/{b_company['accounts'][0]['id']}/balance", headers=bearer(token_a),
                      timeout=30)
    assert other.status_code == 404 and other.json()["code"] == "account_not_found"
    listed = httpx.get(f"{live.url}/hub/v1/accounts", headers=bearer(token_a), timeout=30).json()
    ids_b = {acc["id"] for user in b["test_users"] for acc in user["accounts"]}
    assert not ids_b & {acc["id"] for acc in listed["accounts"]}
    own_a = (a["connectors"]["self_use"]["client_id"], a["connectors"]["self_use"]["client_secret"])
    for path in (f"{V1}/connectors/{b['connectors']['self_use']['id']}",
                 f"{V1}/connectors/{b['connectors']['third_party']['id']}/requests"):
        assert httpx.get(f"{live.url}{path}", auth=own_a, timeout=30).status_code == 404
    assert httpx.get(f"{live.url}{V1}/workspaces/team-b/requests", auth=own_a, timeout=30).status_code == 401
    # A customer of team B cannot sign in to team A's bank page.
    b_person = next(u for u in b["test_users"] if u["kind"] == "individual")
    with oauth_client(live.url, a["connectors"]["third_party"], scope="hub:read", redirect_uri=REDIRECT,
                      code_challenge_method="S256") as client:
        url, _ = client.create_authorization_url(f"{live.url}/oauth/authorize", code_verifier="v" * 50)
    with httpx.Client(timeout=30) as browser:
        page = browser.get(url)
        assert page.status_code == 200
        refused = Form(page.text).submit(browser, live.url, fill={"login_id": b_person["customer_id"], "password": PASSWORD})
    assert refused.status_code == 401 and "パスワード" in refused.text


def test_a_team_name_is_taken_once(admin, two_teams):
    again = admin.post(f"{V1}/teams", json={"name": "team-a"})
    assert again.status_code == 409 and again.json()["code"] == "workspace_exists"
    bad = admin.post(f"{V1}/teams", json={"name": "Team A"})
    assert bad.status_code == 400


def test_reset_every_workspace_at_once(admin, two_teams):
    answer = admin.post(f"{V1}/reset")
    assert answer.status_code == 200
    assert {w["name"] for w in answer.json()["workspaces"]} >= {"team-a", "team-b"}
    assert admin.post(f"{V1}/reset", params={"connectors": "sometimes"}).status_code == 400


def _cli(data_dir, *args, check=True, **settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
    env["SANDBOX_CLOCK"] = "2026-11-06T10:00:00+09:00"
    env.update(settings)
    result = subprocess.run([str(BIN), *args, "--data-dir", str(data_dir)], capture_output=True, text=True, env=env,
                            timeout=300)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.mark.slow
def test_cli_teams_scenarios_and_reset_all(tmp_path):
    made = _cli(tmp_path, "teams", "create", "--count", "3", "--prefix", "hack", "--jobs", "2")  # two made at once
    assert "3 team(s) onboarded" in made.stdout
    sheets = sorted((tmp_path / "teams").glob("*.md"))
    assert [p.stem for p in sheets] == ["hack-01", "hack-02", "hack-03"]
    team = json.loads((tmp_path / "teams" / "hack-02.json").read_text())
    assert team["workspace"]["seed"] == 2 and oct((tmp_path / "teams" / "hack-02.json").stat().st_mode)[-3:] == "600"
    teams = [json.loads((tmp_path / "teams" / f"hack-0{n}.json").read_text()) for n in (1, 2, 3)]
    assert [t["workspace"]["seed"] for t in teams] == [1, 2, 3]
    assert len({c["client_secret"] for t in teams for c in t["connectors"].values()}) == 6  # none handed out twice
    workspaces = Workspaces(tmp_path)
    for t in teams:
        assert workspaces.verify(t["team"]) == [], t["team"]
        assert t["connectors"]["self_use"]["workspace"] == t["team"]
    _cli(tmp_path, "scenario", "apply", "bank-maintenance", "--workspace", "hack-01")
    rule = tmp_path / "rule.yaml"
    rule.write_text("match: {bank: hub}\neffect: {type: latency, ms: 5}\nlifetime: {times: 2}\n", encoding="utf-8")
    _cli(tmp_path, "scenario", "apply", str(rule), "--workspace", "hack-01")
    listed = json.loads(_cli(tmp_path, "scenario", "list", "--workspace", "hack-01", "--json").stdout)
    assert [r["pack"] for r in listed] == ["bank-maintenance", None] and listed[1]["remaining"] == {"times": 2}
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - {effect: {type: latency, ms: 5}}\n  - {effect: {type: error}}\n", encoding="utf-8")
    refused = _cli(tmp_path, "scenario", "apply", str(bad), "--workspace", "hack-01", check=False)
    assert refused.returncode == 1 and "effect" in refused.stderr and "Traceback" not in refused.stderr
    assert json.loads(_cli(tmp_path, "scenario", "list", "--workspace", "hack-01", "--json").stdout) == listed  # none
    unknown = _cli(tmp_path, "scenario", "apply", "meteor", "--workspace", "hack-01", check=False)
    assert unknown.returncode == 1 and "bank-maintenance" in unknown.stderr
    packs = subprocess.run([str(BIN), "scenario", "packs"], capture_output=True, text=True, timeout=60).stdout
    assert "lost-response" in packs and "peak-day" in packs
    reset = _cli(tmp_path, "workspace", "reset", "--all")
    assert "3 workspace(s) reset" in reset.stdout
    assert json.loads(_cli(tmp_path, "scenario", "list", "--workspace", "hack-01", "--json").stdout) == []
    assert "0 rule(s) removed from hack-02" in _cli(tmp_path, "scenario", "clear", "--workspace", "hack-02").stdout
    neither = _cli(tmp_path, "workspace", "reset", check=False)
    assert neither.returncode == 2 and "--all" in neither.stderr


def test_teams_refuse_a_profile_without_a_company_and_leave_nothing_behind(tmp_path):
    """A team's test users are a person and a company: a profile seeding no company is refused clearly."""
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    default = yaml.safe_load((data_dir("fixtures") / "profiles" / "default.yaml").read_text(encoding="utf-8"))
    for bank in default["banks"]:
        bank["customers"] = {"individual": 3, "corporate": 0}
    (profiles / "people-only.yaml").write_text(yaml.safe_dump(default, allow_unicode=True), encoding="utf-8")
    workspaces = Workspaces(tmp_path / "data", FixedClock(datetime(2026, 11, 5, 10, 0, tzinfo=JST)), (profiles,))
    governance = Governance(tmp_path / "data", data_dir("fixtures") / "plans.yaml")
    teams = Teams(workspaces, ConnectorRegistry(workspaces, governance))
    with pytest.raises(SandboxError) as refused:
        teams.create("team-x", profile="people-only")
    assert (refused.value.code, refused.value.status, refused.value.details.get("field")) == (
        "invalid_request", 400, "profile")
    assert "corporate" in refused.value.message
    assert not workspaces.registry.exists("team-x") and governance.connectors.list("team-x") == []


def test_cli_teams_made_side_by_side_stop_at_a_refusal_and_leave_nothing_behind(tmp_path):
    """Teams made two at once (`--jobs 2`) that cannot be made (a plan that does not exist): one clear error,
    exit 1, and no workspace, connector or sheet left of any team under way."""
    refused = _cli(tmp_path, "teams", "create", "--count", "4", "--jobs", "2", "--plan", "platinum", check=False)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr
    assert "unknown plan 'platinum'" in refused.stderr
    assert Workspaces(tmp_path).list() == []
    governance = Governance(tmp_path, data_dir("fixtures") / "plans.yaml")
    assert [c for n in ("team-01", "team-02", "team-03") for c in governance.connectors.list(n)] == []
    assert not list((tmp_path / "teams").glob("*.md"))


def test_cli_teams_made_side_by_side_on_postgresql_each_get_their_own_balanced_workspace(tmp_path, postgres):
    url = postgres.new_database()
    made = _cli(tmp_path, "teams", "create", "--count", "4", "--jobs", "2", SANDBOX_DATABASE_URL=url)
    assert "4 team(s) onboarded" in made.stdout
    teams = [json.loads((tmp_path / "teams" / f"team-0{n}.json").read_text()) for n in (1, 2, 3, 4)]
    workspaces = Workspaces(tmp_path, database_url=url)
    assert sorted(w["name"] for w in workspaces.list()) == ["team-01", "team-02", "team-03", "team-04"]
    for number, team in enumerate(teams, start=1):
        assert team["workspace"]["seed"] == number and workspaces.verify(team["team"]) == [], team["team"]
        assert workspaces.reset(team["team"])["generation"] == 1  # each has its pristine copy
    assert len({c["client_id"] for t in teams for c in t["connectors"].values()}) == 8


@pytest.mark.parametrize("jobs", ["0", "17", "two"])
def test_cli_teams_refuse_a_number_of_jobs_out_of_range_and_make_nothing(tmp_path, jobs):
    refused = _cli(tmp_path, "teams", "create", "--count", "2", "--jobs", jobs, check=False)
    assert refused.returncode == 2 and "--jobs" in refused.stderr and "Traceback" not in refused.stderr, refused.stderr
    assert not (tmp_path / "teams").exists() and Workspaces(tmp_path).list() == []
