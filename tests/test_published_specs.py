"""Published specs run unchanged: every folder of tests/published_specs/ is served, or reported as unservable.

Each subfolder is a bank folder written to show one trait of specs as banks publish them (Swagger 2.0
with charset media types and an apiKey header, OpenAPI 3.1 JSON split over files, unquoted YAML dates,
awkward server URLs, a broken folder, ...). All of them are served together on one live server (open
access), as `bank-sandbox serve --specs tests/published_specs` would: every operation is called over
real HTTP and must not answer a 5xx, and schemathesis runs over each spec. A folder may carry an
`expect.yaml`: `served: false` and a `reason` (a part of the message) for a folder that must be
reported unservable. New folders are picked up without touching this file.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import schemathesis
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig

import live_server

from sandbox.bindings import BindingError, load_bank
from sandbox.bindings.fallback import generate
from sandbox.bindings.spec import SpecError, read
from sandbox.cli import main
from sandbox.http.app import create_app
from sandbox.settings import Settings

FOLDER = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (FOLDER,)}
FOLDERS = sorted(f for f in FOLDER.iterdir() if f.is_dir() and any(f.iterdir()))
# Generated cases per operation: the folders are many and small, each trait also tested by its own module, and each
# operation called once more by test_published_specs_every_operation_answers_without_5xx; 4 (was 8) halved the 350
# folders' 280 s of the suite's workers' time, and 2 keeps the suite of 356 folders in its budget.
SCHEMATHESIS = settings(max_examples=2, deadline=None, derandomize=True, database=None,
                        suppress_health_check=list(HealthCheck))
CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.response_schema_conformance]


def _expect(folder: Path) -> dict:
    path = folder / "expect.yaml"
    return {"served": True, **(yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {})}


SERVED = [f for f in FOLDERS if _expect(f)["served"]]
UNSERVED = [f for f in FOLDERS if not _expect(f)["served"]]


@pytest.fixture(scope="module")
def index(live) -> dict:
    """The server's index of the APIs it serves and the folders it could not (built anew at each call: 0.2 s)."""
    return httpx.get(f"{live.url}/", timeout=30).json()


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_published_specs_folder_is_served_or_reported(index, folder):
    served = {api["slug"] for api in index["apis"]}
    reported = {entry["folder"]: entry["reason"] for entry in index["unavailable"]}
    expect = _expect(folder)
    if expect["served"]:
        assert folder.name in served, reported.get(folder.name)
    else:
        assert folder.name not in served
        assert expect["reason"] in reported[folder.name]


@pytest.mark.parametrize("folder", SERVED, ids=[f.name for f in SERVED])
def test_published_specs_every_operation_answers_without_5xx(live, folder):
    api = load_bank(folder)
    rng = random.Random(20261205)
    called = 0
    with httpx.Client(timeout=30) as client:  # one client, not one (and its TLS context) per call
        for operation_id, method, path, operation in api.spec_operations():
            request = _request(api, path, operation, rng)
            response = client.request(method.upper(), f"{live.url}{api.mount}{request.pop('path')}", **request)
            assert response.status_code < 500, f"{operation_id}: {response.status_code} {response.text[:300]}"
            called += 1
    assert called > 0


@pytest.mark.parametrize("folder", SERVED, ids=[f.name for f in SERVED])
def test_published_specs_pass_schemathesis(live, folder):
    api = load_bank(folder)
    spec = json.loads(json.dumps(api.spec))  # as a client reads <mount>/openapi.json (literal `$ref` keys as text)
    spec["servers"] = [{"url": api.mount}]
    schema = schemathesis.openapi.from_dict(spec, config=SchemathesisConfig.from_dict({"seed": 20261205}))
    checks = CHECKS if _expect(folder).get("conformance", True) else CHECKS[:1]
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @SCHEMATHESIS
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(base_url=f"{live.url}{api.mount}", checks=checks, timeout=30)

        check()
        tested += 1
    assert tested > 0


def test_published_specs_charset_media_type_is_accepted_and_answered(live):
    declared = "application/json;charset=UTF-8"
    body = {"fromAccountNo": "1234567", "toBankCode": "0990", "toBranchCode": "001", "toAccountNo": "7654321", "amount": 1000}
    sent = httpx.post(f"{live.url}/banks/swagger2-charset/transfers", content=json.dumps(body),
                      headers={"Content-Type": declared}, timeout=30)
    assert sent.status_code == 201, sent.text
    assert sent.headers["content-type"] == declared
    # Type and subtype compare case-insensitively; a bare type is the same type.
    for content_type in ("Application/JSON; charset=utf-8", "application/json"):
        again = httpx.post(f"{live.url}/banks/swagger2-charset/transfers", content=json.dumps(body),
                           headers={"Content-Type": content_type}, timeout=30)
        assert again.status_code == 201, (content_type, again.text)
    refused = httpx.post(f"{live.url}/banks/swagger2-charset/transfers", content="<transfer/>",
                         headers={"Content-Type": "application/xml"}, timeout=30)
    assert refused.status_code == 415
    unknown = httpx.post(f"{live.url}/banks/swagger2-charset/transfers", content=json.dumps(body),
                         headers={"Content-Type": "application/json; charset=no-such-charset"}, timeout=30)
    assert unknown.status_code == 415


def test_published_specs_unquoted_dates_are_answered_as_written(live):
    answer = httpx.get(f"{live.url}/banks/unquoted-dates/rates", timeout=30)
    assert answer.status_code == 200
    assert answer.json()["baseDate"] == "2018-08-10"
    assert answer.json()["publishedAt"] == "2018-08-10T09:00:00+09:00"


def test_published_specs_awkward_servers_are_mounted_at_the_mount_point(live):
    assert httpx.get(f"{live.url}/banks/server-urls/status", timeout=30).json()["status"] in ("up", "degraded")
    served = httpx.get(f"{live.url}/banks/server-urls/openapi.json", timeout=30).json()
    assert served["servers"] == [{"url": "/banks/server-urls"}]
    ui = httpx.get(f"{live.url}/banks/server-urls/ui/", timeout=30)
    assert ui.status_code == 200 and '"/banks/server-urls/openapi.json"' in ui.text


def test_published_specs_split_openapi31_is_served_as_one_document(live):
    served = httpx.get(f"{live.url}/banks/openapi31-split/openapi.json", timeout=30).json()
    assert "$ref" not in json.dumps(served["paths"]["/accounts/{accountId}"])  # the other files' parts are in it
    # A schema that contains itself is named once and referred to (JSON cannot hold the loop itself).
    branches = served["paths"]["/branches"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert branches["items"] == {"$ref": "#/components/schemas/branch"}
    branch = served["components"]["schemas"]["branch"]
    assert branch["properties"]["parent"] == {"oneOf": [{"$ref": "#/components/schemas/branch"},
                                                        {"nullable": True, "enum": [None]}], "nullable": True}
    assert branch["properties"]["code"] == {"type": "string", "pattern": "^[0-9]{3}$"}
    hold = httpx.post(f"{live.url}/banks/openapi31-split/accounts/acc_0a1b2c3d/holds", json={"amount": 0, "reason": "court_order"},
                      timeout=30)
    assert hold.status_code == 400  # exclusiveMinimum: 0 (a 3.1 number) still holds


def _accounts(admin, bank_code: str) -> list[dict]:
    listed = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": bank_code, "limit": 500})
    assert listed.status_code == 200, listed.text
    return listed.json()["accounts"]


def _balance(admin, account_id: str) -> int:
    return admin.get(f"/sandbox/v1/workspaces/default/accounts/{account_id}").json()["balance"]


def test_published_specs_array_of_transfers_pays_every_entry_or_none(live, admin):
    """One request of several entries: one transfer each, all or nothing, and a retry pays nothing twice."""
    payer = max((a for a in _accounts(admin, "0991") if a["status"] == "active"), key=lambda a: a["balance"])
    payees = [a for a in _accounts(admin, "0990") if a["status"] == "active"][:3]
    entries = [{"entryNo": str(n), "bankCode": p["bank_code"], "branchCode": p["branch_code"],
                "accountType": p["account_type"], "accountNumber": p["account_number"], "payeeName": p["holder_kana"],
                "amount": 1_000 * n} for n, p in enumerate(payees, start=1)]
    url = f"{live.url}/banks/array-transfers/transfer-batches"
    before = {a["id"]: _balance(admin, a["id"]) for a in [payer, *payees]}
    broken = [*entries[:1], {**entries[1], "accountNumber": "0000000"}, *entries[2:]]
    refused = httpx.post(url, json={"debitAccount": payer["id"], "entries": broken},
                         headers={"Idempotency-Key": "array-broken"}, timeout=30)
    assert refused.status_code == 404 and refused.json()["status"] == "REJECTED", refused.text
    assert refused.json()["entryNo"] == "2"  # the bank's error names the entry at fault
    assert {a: _balance(admin, a) for a in before} == before  # the first entry was not kept either

    for _ in range(2):  # the retry answers the first result per entry
        paid = httpx.post(url, json={"debitAccount": payer["id"], "entries": entries},
                          headers={"Idempotency-Key": "array-1"}, timeout=30)
        assert paid.status_code == 200, paid.text
        assert [e["entryNo"] for e in paid.json()["entries"]] == ["1", "2", "3"]
        assert len({e["transferId"] for e in paid.json()["entries"]}) == 3
    fees = sum(e["fee"] for e in paid.json()["entries"])
    assert _balance(admin, payer["id"]) == before[payer["id"]] - 6_000 - fees
    for n, payee in enumerate(payees, start=1):
        assert _balance(admin, payee["id"]) == before[payee["id"]] + 1_000 * n
    assert live.workspaces.verify("default") == []


def test_published_specs_folder_bank_with_a_real_code_is_a_sandbox_bank(live, admin):
    """bank.yaml's 0009 replaces the directory's bank of that code in the workspace: money reaches its accounts."""
    banks = {b["code"]: b for b in admin.get("/sandbox/v1/workspaces/default").json()["banks"]}
    assert banks["0009"]["slug"] == "tsuge" and banks["0009"]["name"] == "柘植銀行"
    payee = _accounts(admin, "0009")[0]
    assert payee["bank_name"] == "柘植銀行" and payee["branch_code"] in {"001", "120"}
    payer = max((a for a in _accounts(admin, "0990") if a["status"] == "active"), key=lambda a: a["balance"])
    before = _balance(admin, payee["id"])
    sent = httpx.post(f"{live.url}/hub/v1/transfers", timeout=30, headers={"Idempotency-Key": "to-0009"}, json={
        "from_account_id": payer["id"], "amount": 4_321, "to": {
            "bank_code": "0009", "branch_code": payee["branch_code"], "account_type": payee["account_type"],
            "account_number": payee["account_number"], "name": payee["holder_kana"]}})
    assert sent.status_code == 201 and sent.json()["status"] == "executed", sent.text
    assert sent.json()["destination"] == "sandbox"
    shown = httpx.get(f"{live.url}/banks/real-code-bank/accounts/{payee['id']}/balance", timeout=30)
    assert shown.status_code == 200 and shown.json() == {"accountId": payee["id"], "bankCode": "0009",
                                                          "balance": before + 4_321}
    # The folder's API is the 0009 bank's: another bank's account is not found there, in its own error shape.
    other = httpx.get(f"{live.url}/banks/real-code-bank/accounts/{payer['id']}/balance", timeout=30)
    assert other.status_code == 404 and other.json()["error"]["code"] == "TG404"
    assert live.workspaces.verify("default") == []


def test_spec_read_swagger2_security_definitions_become_security_schemes():
    document = read(FOLDER / "swagger2-charset").document
    assert document["components"]["securitySchemes"]["accessToken"]["type"] == "apiKey"
    assert document["components"]["securitySchemes"]["accessToken"]["in"] == "header"
    assert document["components"]["securitySchemes"]["accessToken"]["name"] == "x-access-token"
    transfer = document["paths"]["/transfers"]["post"]
    assert transfer["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/TransferRequest"}
    assert [p["name"] for p in transfer["parameters"]] == ["Idempotency-Key"]
    form = document["paths"]["/statements/export"]["post"]["requestBody"]["content"]
    assert form["application/x-www-form-urlencoded"]["schema"]["required"] == ["accountNo"]


def test_spec_read_swagger2_oauth2_and_basic_schemes(tmp_path):
    (tmp_path / "swagger.json").write_text(json.dumps({
        "swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "securityDefinitions": {
            "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a.example/authorize",
                     "tokenUrl": "https://a.example/token", "scopes": {"read": "read"}},
            "app": {"type": "oauth2", "flow": "application", "tokenUrl": "/token", "scopes": {}},
            "basic": {"type": "basic"}}}))
    schemes = read(tmp_path).document["components"]["securitySchemes"]
    assert schemes["code"]["flows"]["authorizationCode"]["tokenUrl"] == "https://a.example/token"
    assert schemes["app"]["flows"] == {"clientCredentials": {"tokenUrl": "/token", "scopes": {}}}
    assert schemes["basic"] == {"type": "http", "scheme": "basic"}


def test_spec_read_keeps_unquoted_dates_and_never_writes_the_file():
    path = FOLDER / "unquoted-dates" / "openapi.yaml"
    before = path.read_bytes()
    document = read(path.parent).document
    example = document["paths"]["/rates"]["get"]["responses"]["200"]["content"]["application/json"]["example"]
    assert example["baseDate"] == "2018-08-10" and example["rates"][0]["since"] == "2016-02-16"
    assert path.read_bytes() == before


def test_spec_read_hoists_a_schema_that_contains_itself(tmp_path):
    (tmp_path / "node.yaml").write_text("type: object\nproperties:\n  name: {type: string}\n  children:\n"
                                        "    type: array\n    items: {$ref: '#'}\n")
    (tmp_path / "openapi.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /tree:\n    get:\n      responses:\n"
        "        '200':\n          description: ok\n          content:\n            application/json:\n"
        "              schema: {$ref: 'node.yaml'}\n")
    document = read(tmp_path).document
    assert document["paths"]["/tree"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == \
        {"$ref": "#/components/schemas/node"}
    assert document["components"]["schemas"]["node"]["properties"]["children"]["items"] == {"$ref": "#/components/schemas/node"}


def test_spec_read_refuses_a_reference_outside_the_folder(tmp_path):
    (tmp_path / "outside.yaml").write_text("Thing: {type: string}\n")
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "openapi.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n"
        "        '200':\n          description: ok\n          content:\n            application/json:\n"
        "              schema: {$ref: '../outside.yaml#/Thing'}\n")
    with pytest.raises(SpecError, match="refers outside the bank folder"):
        read(bank)


def test_spec_read_names_the_line_of_broken_yaml(tmp_path):
    (tmp_path / "openapi.yaml").write_text("openapi: 3.0.3\ninfo: {title: t\npaths: {}\n")
    with pytest.raises(SpecError, match=r"openapi\.yaml:\d+: not valid YAML"):
        read(tmp_path)


def test_spec_read_names_the_json_pointer_of_what_openapi_refuses(tmp_path):
    (tmp_path / "openapi.json").write_text(json.dumps({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/accounts": {"get": {"responses": {"200": {"content": {}}}}}}}))  # a response needs a description
    with pytest.raises(SpecError, match=r"openapi\.json: #/paths/~1accounts/get/responses/200: .*description"):
        read(tmp_path)


def test_spec_read_refuses_two_spec_files(tmp_path):
    (tmp_path / "openapi.yaml").write_text("openapi: 3.0.3\n")
    (tmp_path / "swagger.json").write_text("{}")
    with pytest.raises(SpecError, match="keep exactly one spec file"):
        read(tmp_path)


def test_check_reports_every_operation_and_fails_on_an_unservable_folder():
    runner = CliRunner()
    good = runner.invoke(main, ["check", "--json", str(FOLDER / "swagger2-charset")])
    assert good.exit_code == 0, good.output
    report = json.loads(good.output)
    rows = {op["operation"]: op for op in report["banks"][0]["operations"]}
    assert set(rows) == {"listAccounts", "getBalance", "requestTransfer", "exportStatement"}
    assert {op["served_from"] for op in rows.values()} == {"fallback"}
    bad = runner.invoke(main, ["check", str(FOLDER / "broken-security")])
    assert bad.exit_code == 1
    assert "has no type" in bad.output


def test_banks_lists_the_unavailable_folders():
    listed = CliRunner().invoke(main, ["banks", "--json", "--specs", str(FOLDER)])
    assert listed.exit_code == 0, listed.output
    unavailable = {entry["folder"] for entry in json.loads(listed.output)["unavailable"]}
    assert {f.name for f in UNSERVED} <= unavailable


@pytest.mark.slow
def test_serve_starts_without_an_unservable_folder_and_says_why(tmp_path):
    port = live_server.free_port()
    # The banner goes to a file: read from a pipe only at the end, a banner past the pipe's 64 KiB (one warning
    # line per folder's trait) blocked the server before it was healthy.
    output = tmp_path / "banner.txt"
    with output.open("w") as written:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "bank-sandbox"), "serve", "--workers", "1", "--port", str(port), "--data-dir",
             str(tmp_path / "data"), "--specs", str(FOLDER)], stdout=written, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "SANDBOX_ADMIN_TOKEN": "t" * 32, "SANDBOX_OPEN_ACCESS": "1"})
    try:
        assert live_server.wait_healthy(f"http://127.0.0.1:{port}", seconds=120)
        index = httpx.get(f"http://127.0.0.1:{port}/", timeout=30).json()
        assert {f.name for f in UNSERVED} <= {entry["folder"] for entry in index["unavailable"]}
        assert httpx.get(f"http://127.0.0.1:{port}/banks/unquoted-dates/rates", timeout=30).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
    banner = output.read_text()
    for folder in UNSERVED:
        assert f"{folder.name}" in banner and _expect(folder)["reason"] in " ".join(banner.split()), banner


def test_serve_strict_refuses_an_unservable_folder(tmp_path):
    with pytest.raises(BindingError, match="has no type"):
        create_app(Settings(data_dir=tmp_path, specs=(FOLDER,), strict=True, admin_token="t" * 32))


def _request(api, path: str, operation: dict, rng) -> dict:
    """A request a client following the spec would send (parameters and body generated from the schemas)."""
    spec, query, headers = api.spec, {}, {}
    item = spec["paths"][path]
    for parameter in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
        parameter = _resolve(spec, parameter)
        value = generate(spec, parameter.get("schema") or {}, rng)
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", str(value))
        elif parameter["in"] == "query" and parameter.get("required"):
            query[parameter["name"]] = value
        elif parameter["in"] == "header" and parameter.get("required"):
            headers[parameter["name"]] = str(value).encode()  # generated text may not be ASCII
    sent = {"path": path, "params": query, "headers": headers}
    content = _resolve(spec, operation.get("requestBody") or {}).get("content") or {}
    for media, entry in content.items():
        body = generate(spec, (entry or {}).get("schema") or {}, rng)
        headers["Content-Type"] = api.media_types.get(media, media)
        if "json" in media:
            sent["content"] = json.dumps(body)
        else:
            sent["data"] = body
        break
    return sent


def _resolve(spec: dict, node: dict) -> dict:
    """Follow an internal `$ref` (the normalised spec has no other kind)."""
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def test_a_spec_connexion_cannot_take_leaves_its_bank_out_not_the_server(tmp_path, monkeypatch):
    """Whatever Connexion still refuses when it loads a spec (past every check of the folder) is that bank's
    problem: the others, the control plane and /healthz are served, and `GET /` says why it is missing."""
    from connexion import AsyncApp

    add_api = AsyncApp.add_api

    def refusing(self, specification, *args, name=None, **kwargs):
        if name == "server-urls":
            raise ValueError("Unresolvable JSON pointer: 'components/schemas/Gone'")
        return add_api(self, specification, *args, name=name, **kwargs)

    monkeypatch.setattr(AsyncApp, "add_api", refusing)
    app = create_app(Settings(data_dir=tmp_path, specs=(FOLDER,), admin_token="t" * 32, open_access=True))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    index = client.get("/").json()
    assert "server-urls" not in {api["slug"] for api in index["apis"]} and "unquoted-dates" in {a["slug"] for a in index["apis"]}
    reason = {entry["folder"]: entry["reason"] for entry in index["unavailable"]}["server-urls"]
    assert "Connexion cannot load its spec" in reason and "components/schemas/Gone" in reason
    assert client.get("/banks/unquoted-dates/rates").status_code == 200
    only = tmp_path / "only"
    only.mkdir()
    (only / "server-urls").symlink_to(FOLDER / "server-urls")
    with pytest.raises(BindingError, match="Connexion cannot load"):
        create_app(Settings(data_dir=tmp_path / "strict", specs=(only,), admin_token="t" * 32, strict=True))


def test_a_method_the_path_does_not_declare_is_a_405_that_allows_every_method_it_does(live):
    """Allow lists every method the path declares (RFC 9110 §15.5.6), not the first route's alone."""
    refused = httpx.delete(f"{live.url}/banks/nested-parameters/v1/customers", timeout=30)
    assert refused.status_code == 405
    assert refused.headers["allow"] == "GET, HEAD, POST"
    templated = httpx.put(f"{live.url}/banks/nested-parameters/v1/customers/cus_1/refresh", timeout=30)
    assert templated.status_code == 405 and templated.headers["allow"] == "POST"
    # /v1/invoices/upcoming is a path of its own (GET), not /v1/invoices/{number}'s (GET and DELETE)
    literal = httpx.post(f"{live.url}/banks/nested-parameters/v1/invoices/upcoming", timeout=30)
    assert literal.status_code == 405 and literal.headers["allow"] == "GET, HEAD", literal.headers
    assert httpx.get(f"{live.url}/banks/nested-parameters/v1/invoices/upcoming", timeout=30).status_code == 200


def test_check_writes_one_whole_line_an_operation_into_a_log():
    """Not on a terminal (a CI log, a pipe), check's table folded its last column to a few characters."""
    result = CliRunner().invoke(main, ["check", str(FOLDER / "nested-parameters")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.strip().startswith("PostCustomers  POST /v1/customers  fallback: answers 200 with a "
                                       "application/json body from the spec") for line in lines), result.output


def test_a_path_parameter_that_is_not_the_number_the_spec_declares_is_a_400_that_names_it(live):
    """Routing matches a number parameter as a number, so `/invoices/abc` reached no operation: a 404,
    where the spec's client sent a malformed request."""
    base = f"{live.url}/banks/nested-parameters/v1"
    assert httpx.get(f"{base}/invoices/12", timeout=30).status_code == 200
    refused = httpx.get(f"{base}/invoices/abc", timeout=30)
    assert refused.status_code == 400 and "number" in refused.json()["error"]["message"], refused.text
    assert httpx.get(f"{base}/nothing/here", timeout=30).status_code == 404


def test_a_refusal_the_spec_declares_without_content_says_why_in_a_header(live):
    """An empty 400 (as the spec declares it) would leave the client nothing to go on."""
    base = f"{live.url}/banks/nested-parameters/v1"
    refused = httpx.delete(f"{base}/invoices/abc", timeout=30)
    assert refused.status_code == 400 and refused.content == b""
    assert "number" in refused.headers["x-sandbox-detail"]
    asked = httpx.delete(f"{base}/invoices/12", headers={"Prefer": "example=nonexistent"}, timeout=30)
    assert asked.status_code == 400 and "nonexistent" in asked.headers["x-sandbox-detail"], asked.headers
