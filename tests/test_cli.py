"""The `bank-sandbox` command: help everywhere, workspaces, seeding, banks, glossary, settings errors, serve."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import click
import httpx
import pytest
from click.testing import CliRunner

import live_server
from sandbox.cli import main

BIN = Path(sys.executable).parent / "bank-sandbox"
AS_OF = "2026-11-04"


def _commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


COMMANDS = [((), main), *_commands(main)]


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run the CLI in-process on a private data dir, with no SANDBOX_* variable leaking in."""
    for name in [n for n in os.environ if n.startswith("SANDBOX_")]:
        monkeypatch.delenv(name)
    runner = CliRunner()

    def run(*args, input=None, env=None, data=True):
        extra = ["--data-dir", str(tmp_path)] if data else []
        return runner.invoke(main, [*args, *extra], input=input, env=env)

    return run


def _listed(cli) -> list:
    result = cli("workspace", "list", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def assert_clean_failure(result, exit_code: int, *words: str) -> None:
    """A refusal: the exit code, the words on stderr, and no traceback anywhere."""
    assert result.exit_code == exit_code, (result.exit_code, result.output)
    assert isinstance(result.exception, SystemExit), result.exception
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert "Traceback" not in result.output


# -- help -----------------------------------------------------------------------------------------


def test_cli_the_command_tree_is_what_the_docs_describe():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"serve", "workspace", "workspace create", "workspace list", "workspace show", "workspace reset",
            "workspace delete", "workspace check", "seed", "profiles", "banks", "glossary"} <= names


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) or "bank-sandbox" for p, _ in COMMANDS])
def test_cli_every_command_has_help(path, command):
    assert command.help and len(command.help.strip()) > 10, path
    for flag in ("--help", "-h"):
        result = CliRunner().invoke(main, [*path, flag])
        assert result.exit_code == 0, result.output
        assert "Usage:" in result.output
        assert command.help.strip().splitlines()[0][:40] in " ".join(result.output.split())
    for param in command.params:
        if isinstance(param, click.Option) and param.name != "help":
            assert param.help, f"{' '.join(path)} {param.opts[0]} has no help"


def test_cli_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and "0." in result.output


# -- workspaces -----------------------------------------------------------------------------------


def test_cli_workspace_lifecycle(cli):
    created = cli("workspace", "create", "cli-one", "--seed", "3", "--as-of", AS_OF)
    assert created.exit_code == 0, created.output
    # The profile's three banks and 白樺銀行, which its folder declares (specs/shirakaba/bank.yaml: 60 customers).
    assert "created cli-one: 4 banks, 240 customers" in created.stdout and "seed 3" in created.stdout

    listed = _listed(cli)
    assert [w["name"] for w in listed] == ["cli-one"]
    assert {k: listed[0][k] for k in ("profile", "seed", "as_of", "generation")} == {
        "profile": "default", "seed": 3, "as_of": AS_OF, "generation": 0}
    table = cli("workspace", "list")
    assert table.exit_code == 0 and "cli-one" in table.stdout and "profile" in table.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(table.stdout)  # a table, not JSON

    shown = cli("workspace", "show", "cli-one")
    assert shown.exit_code == 0
    shown = json.loads(shown.stdout)
    assert shown["name"] == "cli-one" and shown["accounts"] > 250 and shown["customers"] == 240
    assert {b["code"] for b in shown["banks"]} == {"0990", "0991", "0992", "0993"}

    reset = cli("workspace", "reset", "cli-one")
    assert reset.exit_code == 0 and "reset cli-one in" in reset.stdout and " ms" in reset.stdout
    assert _listed(cli)[0]["generation"] == 1

    check = cli("workspace", "check", "cli-one")
    assert check.exit_code == 0 and "cli-one: the books balance" in check.stdout

    kept = cli("workspace", "delete", "cli-one", input="n\n")
    assert kept.exit_code == 1 and "Delete workspace cli-one" in kept.output and "Aborted" in kept.output
    assert [w["name"] for w in _listed(cli)] == ["cli-one"]
    assert json.loads(cli("workspace", "show", "cli-one").stdout)["accounts"] == shown["accounts"]

    deleted = cli("workspace", "delete", "cli-one", "--yes")
    assert deleted.exit_code == 0 and "deleted cli-one" in deleted.stdout
    assert _listed(cli) == []


def test_cli_workspace_delete_answering_yes(cli, tmp_path):
    assert cli("workspace", "create", "asked", "--as-of", AS_OF).exit_code == 0
    result = cli("workspace", "delete", "asked", input="y\n")
    assert result.exit_code == 0 and "deleted asked" in result.stdout
    assert _listed(cli) == [] and not list((tmp_path / "workspaces").glob("asked.*"))


def test_cli_workspace_check_defaults_to_default(cli):
    assert cli("seed", "--as-of", AS_OF).exit_code == 0
    result = cli("workspace", "check")
    assert result.exit_code == 0 and "default: the books balance" in result.stdout


def test_cli_workspace_list_empty(cli):
    assert _listed(cli) == []
    assert cli("workspace", "list").exit_code == 0


def test_cli_seed_refuses_to_replace_without_force(cli):
    first = cli("seed", "--workspace", "w", "--as-of", AS_OF)
    assert first.exit_code == 0 and "created w" in first.stdout
    again = cli("seed", "--workspace", "w", "--seed", "9", "--as-of", AS_OF)
    assert_clean_failure(again, 1, "workspace w exists", "--force")
    assert [(w["name"], w["seed"]) for w in _listed(cli)] == [("w", 42)]  # untouched
    replaced = cli("seed", "--workspace", "w", "--seed", "9", "--force", "--as-of", AS_OF)
    assert replaced.exit_code == 0 and "seed 9" in replaced.stdout
    assert [(w["name"], w["seed"], w["generation"]) for w in _listed(cli)] == [("w", 9, 0)]


def test_cli_seed_defaults_to_workspace_default(cli):
    assert cli("seed", "--as-of", AS_OF).exit_code == 0
    assert [w["name"] for w in _listed(cli)] == ["default"]


def test_cli_profiles(cli):
    result = cli("profiles", data=False)
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert {"default", "large"} <= set(names)


def test_cli_banks_json(cli):
    result = cli("banks", "--json", data=False)
    assert result.exit_code == 0, result.output
    banks = json.loads(result.stdout)["banks"]
    assert isinstance(banks, list) and {"kaede", "tsubame", "hoshizora", "hub"} <= {b["slug"] for b in banks}
    for bank in banks:
        assert {"slug", "name", "bank_code", "base_url", "spec"} <= set(bank), bank
        assert bank["name"] and bank["base_url"].startswith("http://127.0.0.1:8000/") and Path(bank["spec"]).is_file()
        assert bank["bank_code"] is None or (len(bank["bank_code"]) == 4 and bank["bank_code"].isdigit())
    assert {b["bank_code"] for b in banks if b["slug"] != "hub"} >= {"0990", "0991", "0992", "0993"}
    table = cli("banks", data=False)
    assert table.exit_code == 0 and "kaede" in table.stdout


def test_cli_banks_base_url_follows_the_settings(cli):
    result = cli("banks", "--json", data=False, env={"SANDBOX_HOST": "0.0.0.0", "SANDBOX_PORT": "9999"})
    banks = json.loads(result.stdout)["banks"] if result.exit_code == 0 else []
    assert banks and all(b["base_url"].startswith("http://127.0.0.1:9999/") for b in banks), result.stdout


def test_cli_glossary(cli):
    slugs = {b["slug"] for b in json.loads(cli("banks", "--json", data=False).stdout)["banks"]}
    as_json = cli("glossary", "--json", data=False)
    assert as_json.exit_code == 0, as_json.output
    glossary = json.loads(as_json.stdout)
    assert isinstance(glossary, dict) and set(glossary) == slugs
    assert glossary["kaede"]["amount"]["request"] == ["transferAmount"]
    table = cli("glossary", data=False)
    assert table.exit_code == 0 and "amount" in table.stdout and "kaede" in table.stdout


# -- refusals: a clear message, an exit code, no traceback -----------------------------------------

UNKNOWN = [
    ("workspace", "show", "ghost"),
    ("workspace", "reset", "ghost"),
    ("workspace", "delete", "ghost", "--yes"),
    ("workspace", "delete", "ghost"),
    ("workspace", "check", "ghost"),
]


@pytest.mark.parametrize("args", UNKNOWN, ids=[" ".join(a) for a in UNKNOWN])
def test_cli_unknown_workspace_is_a_clear_error(cli, args):
    assert_clean_failure(cli(*args), 1, "workspace_not_found", "'ghost'")


BAD_CREATE = [
    (("--as-of", "someday"), "invalid_date"),
    (("--profile", "nope"), "profile_not_found"),
    (("--seed", "-1"), "seed must be a whole number"),
]


@pytest.mark.parametrize("args, words", BAD_CREATE, ids=[w for _, w in BAD_CREATE])
def test_cli_workspace_create_refusals(cli, tmp_path, args, words):
    assert_clean_failure(cli("workspace", "create", "bad-one", *args), 1, words)
    assert _listed(cli) == [] and not list((tmp_path / "workspaces").glob("bad-one.*"))


def test_cli_workspace_create_bad_name(cli):
    assert_clean_failure(cli("workspace", "create", "Bad_Name"), 1, "invalid_request", "workspace name")
    assert cli("workspace", "create", "dup", "--as-of", AS_OF).exit_code == 0
    assert_clean_failure(cli("workspace", "create", "dup", "--as-of", AS_OF), 1, "workspace_exists")


def test_cli_unknown_workspace_over_a_real_process(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
    result = subprocess.run([str(BIN), "workspace", "reset", "ghost", "--data-dir", str(tmp_path)],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert "workspace_not_found" in result.stderr and "ghost" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


SERVE_REFUSALS = [
    ({"SANDBOX_PORT": "x"}, (), "SANDBOX_PORT has value 'x'. Not a valid int."),
    ({"SANDBOX_PORT": "70000"}, (), "SANDBOX_PORT has value '70000'. Must be from 1 to 65535."),
    ({"SANDBOX_WORKERS": "0"}, (), "SANDBOX_WORKERS has value '0'. Must be from 1 to 64."),
    ({"SANDBOX_VALIDATE_RESPONSES": "perhaps"}, (), "SANDBOX_VALIDATE_RESPONSES has value 'perhaps'."),
    # With SANDBOX_SPECS set, serve used to read the environment a second time, outside the usage error.
    ({"SANDBOX_PORT": "x", "SANDBOX_SPECS": "/nowhere"}, (), "SANDBOX_PORT has value 'x'. Not a valid int."),
    ({"SANDBOX_CLOCK": "garbage"}, (), "SANDBOX_CLOCK has value 'garbage'. Not a valid ISO 8601 date-time."),
    ({}, ("--clock", "garbage"), "'garbage' is not an ISO 8601 date-time"),
    ({}, ("--port", "x"), "'x' is not a valid integer"),
    ({}, ("--workers", "65"), "65 is not in the range 1<=x<=64"),
]


@pytest.mark.parametrize("env, args, message", SERVE_REFUSALS, ids=[m.split(".")[0] for _, _, m in SERVE_REFUSALS])
def test_cli_serve_refuses_bad_settings_with_a_usage_error(cli, tmp_path, env, args, message):
    result = cli("serve", *args, env=env)
    assert_clean_failure(result, 2)
    assert message in " ".join(result.stderr.split()), result.stderr
    assert not (tmp_path / "control.db").exists()  # refused before touching the data dir


@pytest.mark.parametrize("env, words", [({"SANDBOX_DEFAULT_WORKSPACE": "Not Valid"}, "invalid_request"),
                                        ({"SANDBOX_DEFAULT_PROFILE": "nope"}, "profile_not_found")],
                         ids=["default workspace name", "default profile"])
def test_cli_serve_refuses_an_unusable_default_workspace(cli, env, words):
    assert_clean_failure(cli("serve", "--port", str(live_server.free_port()), env=env), 2, "cannot start", words)


PLANS_REFUSALS = [(None, "cannot be read (No such file or directory)"),
                  ("default: [unclosed\n", "not a YAML file"),
                  ("default: standard\n", "'categories' is missing"),
                  ("- a list\n", "not a plans file as fixtures/plans.yaml shows"),
                  ("default: gold\ncategories: {}\nplans: {}\n", "the default plan 'gold' is not one of its plans"),
                  (b"\xff\xfe not text", "not a YAML file")]


@pytest.mark.parametrize("text, words", PLANS_REFUSALS, ids=["missing", "not yaml", "no categories", "a list",
                                                              "unknown default", "not text"])
def test_cli_serve_refuses_an_unusable_plans_file_before_any_worker_starts(cli, tmp_path, text, words):
    """Each worker reads the plans file as it starts, and a worker that fails is started again for ever: a plans file
    named but missing had kept a two-worker server restarting its workers, a traceback each, for as long as it ran."""
    plans = tmp_path / "plans.yaml"
    if isinstance(text, bytes):
        plans.write_bytes(text)
    elif text is not None:
        plans.write_text(text, encoding="utf-8")
    result = cli("serve", "--port", str(live_server.free_port()), "--workers", "2", env={"SANDBOX_PLANS": str(plans)})
    assert_clean_failure(result, 2, "cannot start", "SANDBOX_PLANS", words)


def test_cli_serve_refuses_an_empty_admin_token_file(cli, tmp_path, monkeypatch):
    monkeypatch.setattr("sandbox.settings.TOKEN_WAIT_S", 0.1)
    (tmp_path / "admin-token").write_text("")
    assert_clean_failure(cli("serve", "--port", str(live_server.free_port())), 2, "cannot start", "admin-token is empty")


def test_cli_serve_bad_port_over_a_real_process(tmp_path):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}, "SANDBOX_PORT": "x"}
    result = subprocess.run([str(BIN), "serve", "--data-dir", str(tmp_path)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert "SANDBOX_PORT has value 'x'. Not a valid int." in result.stderr and "Traceback" not in result.stderr


# -- serve ----------------------------------------------------------------------------------------


def _serve(tmp_path, env, *args):
    """Start `bank-sandbox serve` on a free port; return (process, base URL)."""
    port = live_server.free_port()
    process = subprocess.Popen([str(BIN), "serve", "--workers", "1", "--port", str(port), "--data-dir", str(tmp_path), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    return process, f"http://127.0.0.1:{port}"


def _stop(process) -> str:
    """Stop `serve` and answer what it printed that was not read yet.

    Read through the same file object as `_banner` (communicate() with a timeout reads the pipe beneath
    it, and would miss the lines that object had already buffered); what serve prints after its banner
    is a few lines, well within the pipe's buffer while it stops.
    """
    process.terminate()
    process.wait(timeout=30)
    return process.stdout.read()


def _clean_env(**extra) -> dict:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}, **extra}


def _banner(process) -> str:
    """What `serve` prints before it serves, read as it comes, up to the admin token line (the URLs come first)."""
    lines = []
    for line in process.stdout:
        lines.append(line)
        if "admin token" in line:
            break
    return "".join(lines)


def _start_and_stop(data_dir: Path) -> dict:
    """Run `serve` on DATA_DIR with no SANDBOX_* setting until it answers, then stop it: what it printed,
    what it answered, and the admin token it stored."""
    for _ in range(3):  # a free port another test's server took first: this one cannot bind, and exits
        process, base = _serve(data_dir, _clean_env())
        banner = _banner(process)
        healthy = live_server.wait_healthy(base)
        if process.poll() is None:
            break
        _stop(process)
    try:
        assert healthy and process.poll() is None, banner
        token = (data_dir / "admin-token").read_text().strip()
        listed = httpx.get(f"{base}/sandbox/v1/workspaces", headers={"Authorization": f"Bearer {token}"})
        assert listed.status_code == 200, listed.text
        answered = {"health": httpx.get(f"{base}/healthz").json(), "listed": [w["name"] for w in listed.json()["workspaces"]],
                    "anonymous": httpx.get(f"{base}/sandbox/v1/workspaces").status_code}
    finally:
        output = banner + _stop(process)
    return {"base": base, "banner": banner, "output": output, "token": token, **answered}


@pytest.fixture(scope="module")
def first_start(tmp_path_factory) -> tuple[Path, dict]:
    """The first `serve` on an empty data directory with no setting, started once for the tests that read it."""
    data_dir = tmp_path_factory.mktemp("first-start")
    return data_dir, _start_and_stop(data_dir)


def _check_start(start: dict, data_dir: Path, first: bool) -> None:
    output, base, token = start["output"], start["base"], start["token"]
    assert start["health"] == {"status": "ok"} and start["listed"] == ["default"] and start["anonymous"] == 401
    assert f"{base}/healthz" in output and f"{base}/sandbox/v1/" in output and f"{base}/sandbox/v1/ui/" in output
    for slug in ("kaede", "tsubame", "hoshizora", "hub"):
        assert slug in output
    assert f"{base}/banks/kaede/" in output
    assert f"admin token    {token}" in output and str(data_dir / "admin-token") in output
    assert ("generated" in output) == first  # the second start reuses the stored token
    assert ("Seeding workspace default" in output) == first  # ... and the seeded workspace
    assert "Traceback" not in output


@pytest.mark.slow
def test_cli_serve_seeds_default_prints_urls_and_keeps_its_token(first_start):
    data_dir, first = first_start
    _check_start(first, data_dir, first=True)
    again = _start_and_stop(data_dir)
    _check_start(again, data_dir, first=False)
    assert first["token"] == again["token"] and len(first["token"]) >= 32
    assert stat.S_IMODE((data_dir / "admin-token").stat().st_mode) == 0o600
    assert (data_dir / "workspaces" / "default.pristine.db").exists()


# -- the first hour: URLs that open, the server's own port, teams that skip, tables that keep ids ---


def test_cli_serve_banner_prints_only_urls_that_open_and_commands_learn_the_port(tmp_path):
    process, base = _serve(tmp_path, _clean_env(SANDBOX_OPEN_ACCESS="1"))
    try:
        banner = _banner(process)
        assert live_server.wait_healthy(base), banner
        urls = re.findall(r"http://\S+", banner)
        assert {f"{base}/", f"{base}/console/", f"{base}/sandbox/v1/ui/", f"{base}/hub/v1/ui/",
                f"{base}/banks/kaede/ui/"} <= set(urls), banner
        for url in urls:
            assert httpx.get(url, follow_redirects=True, timeout=30).status_code == 200, url
        # Commands that print URLs ask the data directory which server runs there, not the default port.
        banks = _invoke("banks", "--json", SANDBOX_DATA_DIR=str(tmp_path))
        served = json.loads(banks.stdout)["banks"]
        assert served and all(b["base_url"].startswith(f"{base}/") for b in served), banks.stdout
        teams = _run(tmp_path, "teams", "create", "--count", "1")
        assert teams.exit_code == 0, teams.output
        assert f"{base}/hub/v1/ui/" in (tmp_path / "teams" / "team-01.md").read_text(encoding="utf-8")
        # The container's health check asks the port the server listens on (SANDBOX_PORT), not 8000.
        dockerfile = (Path(__file__).resolve().parent.parent / "Dockerfile").read_text(encoding="utf-8")
        probe = re.search(r'CMD python -c "(.+)"', dockerfile.split("HEALTHCHECK", 1)[1]).group(1)
        port = base.rsplit(":", 1)[1]
        assert subprocess.run([sys.executable, "-c", probe], env=_clean_env(SANDBOX_PORT=port), timeout=30).returncode == 0
    finally:
        output = _stop(process)
    assert "Traceback" not in output
    assert "open access" in output and "SANDBOX_OPEN_ACCESS" in output  # said with the rest, before it served
    # A stopped server's address is not used: the settings (SANDBOX_HOST/SANDBOX_PORT, or 8000) are.
    banks = _invoke("banks", "--json", SANDBOX_DATA_DIR=str(tmp_path))
    served = json.loads(banks.stdout)["banks"]
    assert served and all(b["base_url"].startswith("http://127.0.0.1:8000/") for b in served), banks.stdout


def test_cli_serve_banner_says_nothing_of_open_access_when_it_is_off(first_start):
    _, first = first_start  # served with no setting: open access is off
    assert "admin token" in first["banner"] and "open access" not in first["output"]


def _invoke(*args, **env):
    """`bank-sandbox ARGS` in this process (click's runner) at 80 columns, with only the SANDBOX_* variables given."""
    unset = {name: None for name in os.environ if name.startswith("SANDBOX_")}
    return CliRunner().invoke(main, list(args), env={**unset, "COLUMNS": "80", **env})


def _run(tmp_path, *args):
    return _invoke(*args, "--data-dir", str(tmp_path))


def test_cli_teams_create_skips_existing_teams_and_tables_keep_ids_at_80_columns(tmp_path):
    assert _run(tmp_path, "workspace", "create", "team-01", "--as-of", AS_OF).exit_code == 0
    onboarded = _run(tmp_path, "teams", "create", "--count", "3")
    assert onboarded.exit_code == 0, onboarded.output
    assert "2 team(s) onboarded" in onboarded.stdout and "1 skipped" in onboarded.stdout and "team-01" in onboarded.stdout
    assert sorted(p.name for p in (tmp_path / "teams").glob("*.md")) == ["team-02.md", "team-03.md"]
    applied = _run(tmp_path, "scenario", "apply", "lost-response", "--workspace", "team-02")
    assert applied.exit_code == 0, applied.output
    rule_id = json.loads(_run(tmp_path, "scenario", "list", "--workspace", "team-02", "--json").stdout)[0]["id"]
    connector_ids = [c["id"] for c in json.loads(_run(tmp_path, "connector", "list", "--json").stdout)]
    assert len(connector_ids) == 4
    for args, ids in [(("scenario", "list", "--workspace", "team-02"), [rule_id]), (("connector", "list"), connector_ids)]:
        table = _run(tmp_path, *args).stdout
        assert all(identifier in table for identifier in ids), table
        assert "…" not in table and max(len(line) for line in table.splitlines()) <= 80, table
    banks = _invoke("banks")
    assert "http://127.0.0.1:8000/banks/hoshizora" in banks.stdout and "…" not in banks.stdout, banks.stdout


def test_cli_messages_keep_their_square_brackets(tmp_path):
    refused = _run(tmp_path, "workspace", "create", "team[01]")
    assert_clean_failure(refused, 1, "team[01]")
    # Without the generator, the hint names the extra to install, brackets and all.
    bare = tmp_path / "bare" / "bin"
    bare.mkdir(parents=True)
    (bare / "python").symlink_to(sys.executable)
    hint = subprocess.run([str(bare / "python"), "-m", "sandbox.cli", "sdk", "python", "--bank", "hub", "--out",
                           str(tmp_path / "client")], capture_output=True, text=True, timeout=120,
                          env=_clean_env(PATH="/usr/bin:/bin", PYTHONPATH=os.pathsep.join(p for p in sys.path if p)))
    assert hint.returncode == 1, hint.stderr
    assert "openapi-python-client>=0.21" in hint.stderr and "'.[sdk]'" in hint.stderr, hint.stderr


@pytest.mark.parametrize("args, named", [
    (["start", "--bank", "no-such-bank", "--workspace", "cli-refused"], "no-such-bank"),
    (["next", "--session", "rds_0000000000000000", "--exit-code", "0"], "rds_0000000000000000"),
    (["finish", "--session", "rds_0000000000000000"], "rds_0000000000000000"),
], ids=["start", "next", "finish"])
def test_cli_readiness_session_commands_report_a_refusal_and_exit_1(live, args, named):
    """The sandbox's refusal is said with its code and what it refused, without a traceback; the command exits 1."""
    result = CliRunner().invoke(main, ["readiness", *args, "--server", live.url, "--admin-token", live_server.ADMIN_TOKEN])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error not_found: ") and named in result.output, result.output
    assert "Traceback" not in result.output
