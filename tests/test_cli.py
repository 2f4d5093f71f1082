"""The `bank-sandbox` command: help everywhere, workspaces, seeding, banks, glossary, settings errors, serve."""

from __future__ import annotations

import json
import os
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


def _commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [p for p, _ in _commands(main)], ids=lambda p: " ".join(p))
def test_cli_every_command_has_help(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    command = main
    for name in path:
        command = command.commands[name]
    assert command.help and len(command.help) > 10


def test_cli_workspace_lifecycle(tmp_path):
    runner, data = CliRunner(), ["--data-dir", str(tmp_path)]
    created = runner.invoke(main, ["workspace", "create", "cli-one", "--seed", "3", "--as-of", "2026-11-04", *data])
    assert created.exit_code == 0 and "created cli-one" in created.output
    listed = json.loads(runner.invoke(main, ["workspace", "list", "--json", *data]).output)
    assert [w["name"] for w in listed] == ["cli-one"] and listed[0]["seed"] == 3
    assert "cli-one" in runner.invoke(main, ["workspace", "list", *data]).output
    shown = json.loads(runner.invoke(main, ["workspace", "show", "cli-one", *data]).output)
    assert shown["accounts"] > 250
    assert runner.invoke(main, ["workspace", "reset", "cli-one", *data]).exit_code == 0
    check = runner.invoke(main, ["workspace", "check", "cli-one", *data])
    assert check.exit_code == 0 and "balance" in check.output
    kept = runner.invoke(main, ["workspace", "delete", "cli-one", *data], input="n\n")
    assert kept.exit_code != 0 and json.loads(runner.invoke(main, ["workspace", "list", "--json", *data]).output)
    assert runner.invoke(main, ["workspace", "delete", "cli-one", "--yes", *data]).exit_code == 0
    assert json.loads(runner.invoke(main, ["workspace", "list", "--json", *data]).output) == []


def test_cli_seed_refuses_to_replace_without_force(tmp_path):
    runner, data = CliRunner(), ["--data-dir", str(tmp_path)]
    assert runner.invoke(main, ["seed", "--workspace", "w", *data]).exit_code == 0
    again = runner.invoke(main, ["seed", "--workspace", "w", *data])
    assert again.exit_code == 1 and "--force" in again.output
    assert runner.invoke(main, ["seed", "--workspace", "w", "--seed", "9", "--force", *data]).exit_code == 0
    assert json.loads(runner.invoke(main, ["workspace", "list", "--json", *data]).output)[0]["seed"] == 9


def test_cli_unknown_workspace_is_a_clear_error(tmp_path):
    result = subprocess.run([str(BIN), "workspace", "reset", "ghost", "--data-dir", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "workspace_not_found" in result.stderr and "Traceback" not in result.stderr


def test_cli_banks_and_glossary(tmp_path):
    runner = CliRunner()
    banks = json.loads(runner.invoke(main, ["banks", "--json"]).output)["banks"]
    assert {"kaede", "tsubame", "hoshizora", "hub"} <= {b["slug"] for b in banks}
    for bank in banks:
        assert bank["base_url"].startswith("http://") and Path(bank["spec"]).exists() and "name" in bank
    assert {b["bank_code"] for b in banks if b["slug"] != "hub"} == {"0990", "0991", "0992"}
    glossary = json.loads(runner.invoke(main, ["glossary", "--json"]).output)
    assert glossary["kaede"]["amount"]["request"] == ["transferAmount"]
    assert "amount" in runner.invoke(main, ["glossary"]).output
    assert "default" in runner.invoke(main, ["profiles"]).output


def test_cli_settings_errors_name_the_variable(tmp_path):
    result = subprocess.run([str(BIN), "serve", "--data-dir", str(tmp_path)], capture_output=True, text=True,
                            env={**os.environ, "SANDBOX_PORT": "x"})
    assert result.returncode == 2
    assert "SANDBOX_PORT has value 'x'. Not a valid int." in result.stderr and "Traceback" not in result.stderr


def test_cli_serve_seeds_default_prints_urls_and_keeps_its_token(tmp_path):
    port = live_server.free_port()
    env = {k: v for k, v in os.environ.items() if k != "SANDBOX_ADMIN_TOKEN"}
    for attempt in range(2):
        process = subprocess.Popen([str(BIN), "serve", "--port", str(port), "--data-dir", str(tmp_path)],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        try:
            assert live_server.wait_healthy(f"http://127.0.0.1:{port}")
            token = (tmp_path / "admin-token").read_text().strip()
            listed = httpx.get(f"http://127.0.0.1:{port}/sandbox/v1/workspaces", headers={"Authorization": f"Bearer {token}"})
            assert [w["name"] for w in listed.json()["workspaces"]] == ["default"]
        finally:
            process.terminate()
            output = process.communicate(timeout=20)[0]
        assert f"http://127.0.0.1:{port}/healthz" in output and token in output
        assert "/banks/kaede/" in output and "/sandbox/v1/ui/" in output
        assert ("generated" in output) == (attempt == 0)
    assert stat.S_IMODE((tmp_path / "admin-token").stat().st_mode) == 0o600


def test_cli_serve_with_two_workers_shares_resets(tmp_path):
    port = live_server.free_port()
    headers = {"Authorization": "Bearer two-workers"}
    process = subprocess.Popen([str(BIN), "serve", "--port", str(port), "--workers", "2", "--data-dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "SANDBOX_ADMIN_TOKEN": "two-workers"})
    base = f"http://127.0.0.1:{port}"
    try:
        assert live_server.wait_healthy(base)
        seeded = httpx.get(f"{base}/sandbox/v1/workspaces/default/accounts", params={"limit": 500}, headers=headers).json()
        assert httpx.post(f"{base}/sandbox/v1/workspaces/default/reset", headers=headers).json()["generation"] == 1
        for _ in range(20):  # whichever worker answers, it reads the fresh generation
            assert httpx.get(f"{base}/sandbox/v1/workspaces/default", headers=headers).json()["generation"] == 1
            again = httpx.get(f"{base}/sandbox/v1/workspaces/default/accounts", params={"limit": 500}, headers=headers).json()
            assert again == seeded
    finally:
        process.terminate()
        process.wait(timeout=20)
