"""A binding that cannot work stops start-up, naming the file, the line and the reason.

Each row of the table writes a bank folder (a small valid openapi.yaml and a broken binding.yaml) and
checks the `BindingError` of `load_bank`; with `strict` on, the same mistakes stop `create_app` and
`bank-sandbox serve --strict` before anything listens (without it the folder is reported and left out).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import live_server
from sandbox.bindings import BindingError, discover, load_bank
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

# Line numbers below refer to this file: 1 bank, 3 getBalance, 4 action, 5 input, 6 output, 7 status, 8 body,
# 9 errors, 10 default.
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
HEADERS = "      body: \"{balance: result.balance}\"\n      headers:\n        X-Balance-Date: "  # X-Balance-Date on line 10


def _swap(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


# (label, binding.yaml, line or None, reason)
BROKEN = [
    ("unknown operationId", _swap("  getBalance:", "  getBalances:"), 3, "operation 'getBalances' is not an operationId of openapi.yaml"),
    ("unknown action", _swap("accounts.balance", "accounts.balances"), 4, "unknown action 'accounts.balances'"),
    ("no action", _swap("    action: accounts.balance\n", ""), 3, "unknown action None"),
    ("input field the action does not take", _swap("{account_id: path.id}", "{account_id: path.id, amount: `1`}"), 5,
     "input field 'amount' is not an input of accounts.balance"),
    ("input missing a required argument",
     _swap("{account_id: path.id}", "{date_from: path.id}").replace("accounts.balance", "accounts.statement"), 5,
     "input lacks 'account_id', which accounts.statement requires"),
    ("input that does not parse", _swap("{account_id: path.id}", "{account_id: path.id"), 5, "JMESPath expression does not parse"),
    ("input that is not an expression", _swap('input: "{account_id: path.id}"', "input: {account_id: path.id}"), 5,
     "expected a JMESPath expression (a string)"),
    ("input with an unclosed bracket", _swap("{account_id: path.id}", "{account_id: path.id[}"), 5, "does not parse"),
    ("output body that does not parse", _swap("{balance: result.balance}", "{balance: result.[balance}"), 8,
     "JMESPath expression does not parse"),
    ("output header that does not parse", _swap('      body: "{balance: result.balance}"\n', HEADERS + '"date(now"\n'), 10,
     "JMESPath expression does not parse"),
    ("error body that does not parse", _swap("{code: error.code}", "{code: error.code"), 10, "JMESPath expression does not parse"),
    ("error body that is not an expression", _swap('body: "{code: error.code}"', "body: {code: 1}"), 10,
     "expected a JMESPath expression (a string)"),
    ("unknown canonical error code", GOOD + "  not_a_code: {status: 400, body: \"{}\"}\n", 11, "'not_a_code' is not a canonical error code"),
    ("no errors.default", _swap("  default:", "  insufficient_funds:"), 9, "the error table needs a 'default' entry"),
    ("no errors at all", GOOD.split("errors:")[0], None, "the error table needs a 'default' entry"),
    ("error without a status", _swap("{status: 400, body:", "{body:"), 10, "needs a 'status'"),
    ("status a list", _swap("status: 200", "status: [200]"), 7, "status must be an HTTP status or an expression, got [200]"),
    ("status out of range", _swap("status: 200", "status: 999"), 7, "status must be an HTTP status or an expression, got 999"),
    ("status a fraction", _swap("status: 200", "status: 200.5"), 7, "status must be an HTTP status or an expression"),
    ("status expression that does not parse", _swap("status: 200", "status: \"if(result\""), 7, "JMESPath expression does not parse"),
    ("no output", _swap('    output:\n      status: 200\n      body: "{balance: result.balance}"\n', ""), 3,
     "an operation needs an 'output'"),
    ("operation not a mapping", _swap('  getBalance:\n    action: accounts.balance\n    input: "{account_id: path.id}"\n'
                                      '    output:\n      status: 200\n      body: "{balance: result.balance}"\n',
                                      "  getBalance: accounts.balance\n"), 3, "an operation needs 'action' and 'output'"),
    ("unknown top-level key", GOOD + "colour: blue\n", 11, "unknown top-level key 'colour'"),
    ("misspelt top-level key", _swap("errors:", "error:"), 9, "unknown top-level key 'error'"),
    ("unknown key in an operation", _swap("    action: accounts.balance", "    action: accounts.balance\n    actoin: x"), 3,
     "unknown key 'actoin' (expected action, input, output)"),
    ("unknown key in an output", _swap("      status: 200", "      status: 200\n      header: {}"), 6,
     "unknown key 'header' (expected status, body, headers)"),
    ("bank code not 4 digits", _swap('bank: "0990"', "bank: 990"), 1, "bank must be a 4-digit bank code in quotes, got 990"),
    ("bank code of 5 digits", _swap('bank: "0990"', 'bank: "09900"'), 1, "4-digit bank code"),
    ("bank code with a letter", _swap('bank: "0990"', 'bank: "09a0"'), 1, "4-digit bank code"),
    ("mount not starting with /", GOOD + "mount: banks/test\n", 11, "mount must be a path like /banks/name, got 'banks/test'"),
    ("mount ending with /", GOOD + "mount: /banks/test/\n", 11, "mount must be a path"),
    ("mount not a string", GOOD + "mount: [x]\n", 11, "mount must be a path"),
    ("echo_headers not a list", GOOD + "echo_headers: x-request-id\n", 11, "echo_headers must be a list of header names"),
    ("hosts not URLs", GOOD + "hosts: [sandbox.example.com]\n", 11, "hosts must be a list of URLs"),
    ("error_code that does not parse", GOOD + "error_code: '{'\n", 11, "JMESPath expression does not parse"),
    ("YAML syntax error", GOOD + "operations: [\n", None, "not valid YAML"),
    ("YAML tab indentation", _swap("    action:", "\taction:"), None, "not valid YAML"),
]
# Mistakes that would otherwise load and fail only at request time (the first two as a 500).
CAUGHT_AT_LOAD = [
    ("input calling an unknown function", _swap("{account_id: path.id}", "{account_id: yen_strng(path.id)}"), 5, "yen_strng"),
    ("output calling a function with too few arguments", _swap("{balance: result.balance}", "{balance: if(result.balance, `1`)}"),
     8, "if()"),
    ("operation bound twice", _swap("errors:", "  getBalance:\n    action: accounts.get\n    output: {status: 200}\nerrors:"),
     9, "getBalance"),
    ("scopes not names", GOOD + "scopes: 5\n", None, "scopes must be a list of scope names"),
    ("a scope with a space", GOOD + "scopes: [private account]\n", None, "scopes must be a list of scope names"),
]
ROWS = [pytest.param(*row, id=row[0]) for row in BROKEN + CAUGHT_AT_LOAD]


def _folder(tmp_path: Path, binding: str | None, spec=SPEC) -> Path:
    folder = tmp_path / "specs" / "testbank"
    folder.mkdir(parents=True)
    (folder / "openapi.yaml").write_text(yaml.safe_dump(spec) if isinstance(spec, dict) else spec, encoding="utf-8")
    if binding is not None:
        (folder / "binding.yaml").write_text(binding, encoding="utf-8")
    return folder


def _refusal(folder: Path) -> str:
    with pytest.raises(BindingError) as refused:
        load_bank(folder)
    return str(refused.value)


def test_binding_errors_the_good_binding_loads(tmp_path):
    api = load_bank(_folder(tmp_path, GOOD))
    assert api.bank_code == "0990" and api.mount == "/banks/testbank" and list(api.operations) == ["getBalance"]
    assert api.operations["getBalance"].action_name == "accounts.balance"


@pytest.mark.parametrize("binding", [
    GOOD.replace("accounts.balance", "none").replace('    input: "{account_id: path.id}"\n', ""),  # action: none
    GOOD + "mount: /hub/test\necho_headers: [X-Request-Id]\n",
    GOOD.replace('bank: "0990"\n', ""),  # no bank: the API sees every sandbox bank
    GOOD.replace("status: 200", "status: \"if(result.balance, `200`, `204`)\""),
    "bank: \"0990\"\n",  # a binding that binds nothing yet
    GOOD + "scopes:\n  private:account: read accounts\n",  # scopes the spec names only in prose
], ids=["action none", "mount and echo_headers", "no bank", "status expression", "nothing bound", "scopes"])
def test_binding_errors_variants_that_load(tmp_path, binding):
    load_bank(_folder(tmp_path, binding))


@pytest.mark.parametrize("label, binding, line, reason", ROWS)
def test_binding_errors_stop_loading_with_file_line_and_reason(tmp_path, label, binding, line, reason):
    folder = _folder(tmp_path, binding)
    message = _refusal(folder)
    assert message.startswith(str(folder / "binding.yaml")), message
    if line is not None:
        assert f"binding.yaml:{line}: " in message, message
    assert reason in message, message


@pytest.mark.parametrize("binding", [GOOD + "operations: [\n", GOOD.replace("    action:", "\taction:")], ids=["unclosed", "tab"])
def test_binding_errors_yaml_errors_say_where(tmp_path, binding):
    # YAML's own message carries the position ("line 12, column 1"), not the file:line: prefix.
    message = _refusal(_folder(tmp_path, binding))
    assert re.search(r"line \d+, column \d+", message), message


SPECS_BROKEN = [
    ("Swagger 1.2", "swaggerVersion: '1.2'\napis: []\n", "not a Swagger 2.0 or OpenAPI 3.0/3.1 document"),
    ("OpenAPI 4", "openapi: 4.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n", "not a Swagger 2.0 or OpenAPI 3.0/3.1 document"),
    ("a list", "- openapi: 3.0.3\n", "the top level is not a mapping"),
    ("empty", "", "the top level is not a mapping"),
    ("YAML syntax error", "openapi: 3.0.3\npaths: {\n", "not valid YAML"),
]


@pytest.mark.parametrize("label, spec, reason", SPECS_BROKEN, ids=[row[0] for row in SPECS_BROKEN])
def test_binding_errors_a_spec_that_is_not_openapi(tmp_path, label, spec, reason):
    folder = _folder(tmp_path, GOOD, spec=spec)
    message = _refusal(folder)
    assert message.startswith(str(folder / "openapi.yaml")) and reason in message, message


def test_binding_errors_a_spec_without_a_binding_is_served_unbound(tmp_path):
    api = load_bank(_folder(tmp_path, None))
    assert not api.bound and api.operations == {} and api.bank_code is None


def test_binding_errors_a_specs_folder_that_does_not_exist(tmp_path):
    with pytest.raises(BindingError, match="no such specs folder"):
        discover([tmp_path / "nowhere"])


@pytest.mark.parametrize("label, binding, line, reason", ROWS)
def test_binding_errors_stop_the_app_factory_when_strict(tmp_path, label, binding, line, reason):
    # Not strict, the folder is left out and reported (tests/test_published_specs.py).
    folder = _folder(tmp_path, binding)
    expected = _refusal(folder)
    with pytest.raises(BindingError) as refused:
        create_app(Settings(data_dir=tmp_path / "data", admin_token="t" * 32, specs=(folder.parent,), strict=True))
    assert str(refused.value) == expected


SERVE = [
    pytest.param(GOOD.replace("accounts.balance", "accounts.nope"), None, ":4: unknown action 'accounts.nope'", id="unknown action"),
    pytest.param(GOOD.replace("{code: error.code}", "{code: error.code"), None, ":10: JMESPath", id="error body that does not parse"),
    pytest.param(GOOD, "openapi: 4.0.0\npaths: {}\n", "not a Swagger 2.0 or OpenAPI 3.0/3.1 document", id="not OpenAPI"),
    pytest.param(GOOD + "mount: '[bold]x'\n", None, "got '[bold]x'", id="message with brackets"),
]


@pytest.mark.slow
@pytest.mark.parametrize("binding, spec, reason", SERVE)
def test_binding_errors_stop_strict_serve_before_it_listens(tmp_path, binding, spec, reason):
    folder = _folder(tmp_path, binding, spec=spec or SPEC)
    expected = _refusal(folder)
    port = live_server.free_port()
    # Were the binding accepted, serve would listen on the port and the timeout would end the test.
    result = subprocess.run(
        [str(Path(sys.executable).parent / "bank-sandbox"), "serve", "--port", str(port), "--data-dir", str(tmp_path / "data"),
         "--specs", str(folder.parent), "--strict"],
        capture_output=True, text=True, timeout=60, env={**os.environ, "SANDBOX_ADMIN_TOKEN": "t" * 32},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert reason in output and str(folder) in output, output
    assert "cannot start" in result.stderr and expected in result.stderr, output
    assert "Traceback" not in output and "health" not in result.stdout, output
