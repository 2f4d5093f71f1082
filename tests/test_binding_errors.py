"""A binding that cannot work stops start-up, naming the file, the line and the reason."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sandbox.bindings import BindingError, load_bank
from sandbox.http.app import create_app
from sandbox.settings import Settings

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Test bank", "version": "1"},
    "paths": {"/balance/{id}": {"get": {
        "operationId": "getBalance",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}},
    }}},
}

GOOD = """bank: "0990"
operations:
  getBalance:
    action: accounts.balance
    input: "{account_id: path.id}"
    output:
      status: 200
      body: "{balance: result.balance}"
errors:
  default: {status: 400, body: "{code: error.code}"}
"""

BROKEN = [
    ("unknown operationId", GOOD.replace("  getBalance:", "  getBalances:"), 3, "is not an operationId"),
    ("unknown action", GOOD.replace("accounts.balance", "accounts.balances"), 4, "unknown action 'accounts.balances'"),
    ("input field the action does not take", GOOD.replace("{account_id: path.id}", "{account_id: path.id, amount: `1`}"), 5,
     "input field 'amount' is not an input of accounts.balance"),
    ("input missing a required argument", GOOD.replace("{account_id: path.id}", "{date_from: path.id}").replace("accounts.balance", "accounts.statement"), 5, "input lacks 'account_id'"),
    ("input that does not parse", GOOD.replace("{account_id: path.id}", "{account_id: path.id"), 5, "does not parse"),
    ("output body that does not parse", GOOD.replace("{balance: result.balance}", "{balance: result.[balance}"), 8, "does not parse"),
    ("error body that does not parse", GOOD.replace("{code: error.code}", "{code: error.code"), 10, "does not parse"),
    ("unknown canonical error code", GOOD + "  not_a_code: {status: 400, body: \"{}\"}\n", 11, "is not a canonical error code"),
    ("no default error", GOOD.replace("  default:", "  insufficient_funds:"), 9, "needs a 'default' entry"),
    ("status neither number nor expression", GOOD.replace("status: 200", "status: [200]"), 7, "status must be"),
    ("unknown top-level key", GOOD + "colour: blue\n", 11, "unknown top-level key 'colour'"),
    ("unknown key in an operation", GOOD.replace("    action: accounts.balance", "    action: accounts.balance\n    actoin: x"), 3,
     "unknown key 'actoin'"),
    ("bank code not 4 digits", GOOD.replace('bank: "0990"', "bank: 990"), 1, "4-digit bank code"),
    ("mount not a path", GOOD + "mount: banks/test\n", 11, "mount must be a path"),
    ("YAML that does not parse", GOOD + "operations: [\n", None, "not valid YAML"),
]


def _folder(tmp_path: Path, binding: str, spec=SPEC) -> Path:
    folder = tmp_path / "specs" / "testbank"
    folder.mkdir(parents=True)
    (folder / "openapi.yaml").write_text(yaml.safe_dump(spec) if isinstance(spec, dict) else spec)
    (folder / "binding.yaml").write_text(binding)
    return folder


def test_binding_errors_a_good_binding_loads(tmp_path):
    api = load_bank(_folder(tmp_path, GOOD))
    assert api.bank_code == "0990" and list(api.operations) == ["getBalance"]


@pytest.mark.parametrize("label, binding, line, reason", BROKEN, ids=[row[0] for row in BROKEN])
def test_binding_errors_stop_loading_with_file_line_and_reason(tmp_path, label, binding, line, reason):
    folder = _folder(tmp_path, binding)
    with pytest.raises(BindingError) as refused:
        load_bank(folder)
    message = str(refused.value)
    assert str(folder / "binding.yaml") in message
    if line is not None:
        assert f"binding.yaml:{line}:" in message, message
    if reason is not None:
        assert reason in message, message


def test_binding_errors_a_spec_that_is_not_openapi(tmp_path):
    folder = _folder(tmp_path, GOOD, spec="swagger: '2.0'\ninfo: {}\n")
    with pytest.raises(BindingError, match="not an OpenAPI 3 document"):
        load_bank(folder)


def test_binding_errors_stop_the_app_factory(tmp_path):
    _folder(tmp_path, GOOD.replace("accounts.balance", "accounts.nope"))
    with pytest.raises(BindingError, match="unknown action"):
        create_app(Settings(data_dir=tmp_path / "data", admin_token="t", specs=(tmp_path / "specs",)))


def test_binding_errors_stop_serve_before_it_listens(tmp_path):
    _folder(tmp_path, GOOD.replace("accounts.balance", "accounts.nope"))
    result = subprocess.run(
        [str(Path(sys.executable).parent / "bank-sandbox"), "serve", "--port", "1", "--data-dir", str(tmp_path / "data"),
         "--specs", str(tmp_path / "specs")],
        capture_output=True, text=True, timeout=60, env={**os.environ, "SANDBOX_ADMIN_TOKEN": "t"},
    )
    assert result.returncode == 2
    assert "unknown action 'accounts.nope'" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
