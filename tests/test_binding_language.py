"""The binding language a real bank's API needs, over a real server: cases, refusals, iteration, ids, roles.

A bank folder written here (`lang`, fronting bank 0990) binds a small spec with every construct; the
tests drive it over HTTP and end by checking the books. The same constructs, written wrongly, stop
loading with the file and line of the mistake.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
import yaml

import live_server
from sandbox.bindings import BindingError, load_bank

BANK = "0990"


def _param(name: str, where: str = "query", pattern: str | None = None) -> dict:
    schema = {"type": "string", **({"pattern": pattern} if pattern else {})}
    return {"name": name, "in": where, "required": where == "path", "schema": schema}


_OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
_ITEMS = {"type": "object", "required": ["from", "items"], "properties": {
    "from": {"type": "string"},
    "items": {"type": "array", "minItems": 1, "maxItems": 99, "items": {"type": "object"}}}}
_PAY = {"parameters": [{"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": _ITEMS}}}, "responses": _OK}

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Binding language bank", "version": "1"},
    "paths": {
        "/balances": {"get": {"operationId": "balances", "parameters": [_param("accountId"), _param("kind")],
                              "responses": _OK}},
        "/strict-balance": {"get": {"operationId": "strictBalance", "parameters": [_param("acct")], "responses": _OK}},
        "/payments": {"post": {"operationId": "pay", **_PAY}},
        "/payments/each": {"post": {"operationId": "payEach", **_PAY}},
        "/payments/{applyNo}": {"get": {"operationId": "getPayment",
                                        "parameters": [_param("applyNo", "path", "^[0-9a-f]{16}$")], "responses": _OK}},
    },
}

# One transfer per item; the per-item idempotency key is the request's key and the item's position.
_TRANSFER_INPUT = """>-
      {from_account_id: body.from, amount: item.amount, client_reference: item.ref,
       to: {bank_code: item.bank, branch_code: item.branch, account_type: item.type, account_number: item.number, name: item.name},
       idempotency_key: format('{0}/{1}', headers."idempotency-key", index)}"""

BINDING = f"""bank: "{BANK}"
operations:
  balances:
    cases:
      - when: "query.kind == 'closed'"
        refuse: {{error: invalid_request, message: closed accounts are not listed here, field: kind}}
      - when: "query.accountId == null"
        action: accounts.list
        input: "{{limit: `3`}}"
        output:
          status: 200
          body: "{{count: length(result.accounts), at: merge_each(result.accounts, {{now: now}})[0].now}}"
      - action: accounts.balance
        input: "{{account_id: query.accountId}}"
        output:
          status: 200
          body: >-
            {{balance: result.balance, branch: format('{{0}}-{{1}}', result.account.bank_code, result.account.branch_code),
             number: pad_left(slice(result.account.account_number, `3`), `7`, '*')}}
  strictBalance:
    action: accounts.balance
    input: "{{account_id: query.acct}}"
    output: {{status: 200, body: "{{balance: result.balance}}"}}
  pay:
    each: body.items
    atomic: true
    item_id: item.ref
    action: transfers.create
    input: {_TRANSFER_INPUT}
    output:
      status: 201
      body: "{{ids: results[].result.id, applyNos: results[].fixed_id(result.id, `16`), refs: results[].item_id}}"
  payEach:
    each: body.items
    item_id: item.ref
    action: transfers.create
    input: {_TRANSFER_INPUT}
    output:
      status: 200
      body: >-
        {{items: results[].{{ref: item_id, index: index, id: result.id, error: error.code,
           bankCode: error.rendered.body.code, bankStatus: error.rendered.status}}}}
  getPayment:
    action: transfers.get
    input: "{{transfer_id: sandbox_id('trf', path.applyNo)}}"
    output:
      status: 200
      body: "{{applyNo: fixed_id(result.id, `16`), amount: result.amount, ref: result.client_reference}}"
errors:
  default:
    status: 400
    body: "{{code: error.code, message: error.message, field: error.details.field, item: error.details.item_id, index: error.details.index}}"
  account_not_found: {{status: 404, body: "{{code: 'NO_ACCOUNT', role: error.details.role}}"}}
  account_not_found.payer: {{status: 404, body: "{{code: 'NO_PAYER', role: error.details.role}}"}}
  account_not_found.payee: {{status: 422, body: "{{code: 'NO_BENEFICIARY', role: error.details.role, item: error.details.item_id}}"}}
"""


def _write_bank(root: Path, binding: str = BINDING, spec: dict = SPEC) -> Path:
    folder = root / "lang"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "openapi.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    (folder / "binding.yaml").write_text(binding, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    specs = tmp_path_factory.mktemp("lang-specs")
    _write_bank(specs)
    with live_server.running(tmp_path_factory.mktemp("lang"), specs=(specs,)) as running:
        yield running


@pytest.fixture
def client(server):
    with httpx.Client(base_url=f"{server.url}/banks/lang", headers={"X-Sandbox-Workspace": "default"}, timeout=30) as c:
        yield c


@pytest.fixture
def ctx(server):
    return server.workspaces.context("default")


def _item(ref: str, account: dict, amount: int, number: str | None = None) -> dict:
    return {"ref": ref, "amount": str(amount), "bank": account["bank_code"], "branch": account["branch_code"],
            "type": account["account_type"], "number": number or account["account_number"], "name": account["holder_kana"]}


def _parties(books, ctx):
    payer = books.pick(ctx, BANK, minimum=500_000)
    first = books.pick(ctx, "0991", exclude={payer["id"]})
    second = books.pick(ctx, BANK, exclude={payer["id"]})
    return payer, first, second


# --- cases and refusals ---

def test_binding_language_cases_choose_by_request_content(client, ctx, books):
    account = books.pick(ctx, BANK)
    one = client.get("/balances", params={"accountId": account["id"]})
    assert one.status_code == 200, one.text
    assert one.json() == {"balance": account["balance"], "branch": f"{BANK}-{account['branch_code']}",
                          "number": "***" + account["account_number"][3:]}
    listed = client.get("/balances")
    assert listed.status_code == 200, listed.text
    assert listed.json()["count"] == 3 and listed.json()["at"].startswith("2026-11-05T10:00")


def test_binding_language_refuse_answers_the_canonical_error_and_message(client):
    refused = client.get("/balances", params={"kind": "closed", "accountId": "acc_x"})
    assert refused.status_code == 400
    assert refused.json() == {"code": "invalid_request", "message": "closed accounts are not listed here", "field": "kind",
                              "item": None, "index": None}


def test_binding_language_required_input_missing_is_a_400_naming_the_parameter(client):
    missing = client.get("/strict-balance")
    assert missing.status_code == 400, missing.text
    assert missing.json()["code"] == "invalid_request" and missing.json()["field"] == "acct"
    assert "acct is required" in missing.json()["message"]


# --- iteration ---

def test_binding_language_each_atomic_pays_every_item_once(client, ctx, books):
    payer, first, second = _parties(books, ctx)
    before = books.balance(ctx, payer["id"])
    key = str(uuid.uuid4())
    body = {"from": payer["id"], "items": [_item("r1", first, 1000), _item("r2", second, 2000), _item("r3", first, 3000)]}
    paid = client.post("/payments", json=body, headers={"Idempotency-Key": key})
    assert paid.status_code == 201, paid.text
    ids = paid.json()["ids"]
    assert len(set(ids)) == 3 and paid.json()["refs"] == ["r1", "r2", "r3"]
    fees = sum(ctx.db.conn.execute("SELECT fee FROM transfers WHERE id = ?", (i,)).fetchone()[0] for i in ids)
    assert books.balance(ctx, payer["id"]) == before - 6000 - fees
    again = client.post("/payments", json=body, headers={"Idempotency-Key": key})  # a retry pays nothing twice
    assert again.status_code == 201 and again.json()["ids"] == ids
    assert books.balance(ctx, payer["id"]) == before - 6000 - fees
    changed = client.post("/payments", json={**body, "items": [_item("r1", first, 1001)]}, headers={"Idempotency-Key": key})
    assert changed.status_code == 400 and changed.json()["code"] == "idempotency_conflict"
    assert changed.json()["item"] == "r1" and changed.json()["index"] == 0
    books.check(ctx.db)


def test_binding_language_each_atomic_refusal_moves_nothing(client, ctx, books):
    payer, first, second = _parties(books, ctx)
    before = books.snapshot(ctx.db)
    body = {"from": payer["id"], "items": [_item("ok1", first, 1000), _item("bad", second, 1000, number="0000000"),
                                           _item("ok2", first, 1000)]}
    refused = client.post("/payments", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert refused.status_code == 422, refused.text
    assert refused.json() == {"code": "NO_BENEFICIARY", "role": "payee", "item": "bad"}
    assert books.snapshot(ctx.db) == before  # the first item was written, then undone with the request
    modest = books.pick(ctx, BANK, minimum=10_000, maximum=300_000, exclude={payer["id"]})
    body = {"from": modest["id"], "items": [_item("a", first, 1000), _item("b", first, modest["balance"])]}
    broke = client.post("/payments", json=body)  # the second item cannot be covered once the first is paid
    assert broke.status_code == 400 and broke.json()["code"] == "insufficient_funds" and broke.json()["item"] == "b"
    assert books.snapshot(ctx.db) == before
    books.check(ctx.db)


def test_binding_language_each_per_item_pays_the_good_and_reports_the_refused(client, ctx, books):
    payer, first, second = _parties(books, ctx)
    before = books.balance(ctx, payer["id"])
    body = {"from": payer["id"], "items": [_item("p1", first, 1500), _item("p2", second, 1500, number="0000000"),
                                           _item("p3", second, 2500)]}
    answer = client.post("/payments/each", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert [i["ref"] for i in items] == ["p1", "p2", "p3"] and [i["index"] for i in items] == [0, 1, 2]
    assert items[0]["id"] and items[2]["id"] and items[1]["id"] is None
    assert (items[1]["error"], items[1]["bankCode"], items[1]["bankStatus"]) == ("account_not_found", "NO_BENEFICIARY", 422)
    assert items[0]["error"] is None and items[2]["error"] is None
    fees = sum(ctx.db.conn.execute("SELECT fee FROM transfers WHERE id = ?", (items[i]["id"],)).fetchone()[0] for i in (0, 2))
    assert books.balance(ctx, payer["id"]) == before - 4000 - fees
    books.check(ctx.db)


# --- ids and roles ---

def test_binding_language_fixed_length_ids_find_the_transfer(client, ctx, books):
    payer, first, _ = _parties(books, ctx)
    paid = client.post("/payments", json={"from": payer["id"], "items": [_item("fx", first, 700)]})
    assert paid.status_code == 201, paid.text
    apply_no, transfer_id = paid.json()["applyNos"][0], paid.json()["ids"][0]
    assert len(apply_no) == 16 and transfer_id.endswith(apply_no)
    found = client.get(f"/payments/{apply_no}")
    assert found.status_code == 200, found.text
    assert found.json() == {"applyNo": apply_no, "amount": 700, "ref": "fx"}
    assert client.get("/payments/0000000000000000").json() == {"code": "transfer_not_found", "message": "no transfer "
                                                               "'trf_0000000000000000'", "field": None, "item": None,
                                                               "index": None}


def test_binding_language_errors_render_by_role(client, ctx, books):
    payer, first, _ = _parties(books, ctx)
    no_payer = client.post("/payments", json={"from": "acc_0000000000000000", "items": [_item("x", first, 100)]})
    assert no_payer.status_code == 404 and no_payer.json() == {"code": "NO_PAYER", "role": "payer"}
    no_payee = client.post("/payments", json={"from": payer["id"], "items": [_item("y", first, 100, number="0000000")]})
    assert no_payee.status_code == 422 and no_payee.json()["code"] == "NO_BENEFICIARY"
    no_role = client.get("/balances", params={"accountId": "acc_0000000000000000"})
    assert no_role.status_code == 404 and no_role.json() == {"code": "NO_ACCOUNT", "role": None}


# --- load-time errors, each with the line of the mistake ---

def _swap(old: str, new: str) -> str:
    assert BINDING.count(old) == 1, old
    return BINDING.replace(old, new)


def _line(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if needle in line)


_LAST_CASE = "      - action: accounts.balance\n"
_STRICT = '  strictBalance:\n    action: accounts.balance\n    input: "{account_id: query.acct}"\n' \
          '    output: {status: 200, body: "{balance: result.balance}"}\n'
_BODY = ("{balance: result.balance, branch:", -1)  # an expression's mistakes are reported at its key, the line before
BROKEN = [
    ("cases not a list", _swap(_STRICT, "  strictBalance:\n    cases: just one\n"), "    cases: just one",
     "cases must be a list of at least two"),
    ("cases beside an action", _swap("  balances:\n    cases:\n", "  balances:\n    action: accounts.list\n    cases:\n"),
     "    action: accounts.list", "'action' beside 'cases'"),
    ("a case without when", _swap("      - when: \"query.accountId == null\"\n        action: accounts.list",
                                  "      - action: accounts.list"), "      - action: accounts.list",
     "only the last case may leave out 'when'"),
    ("a default with when", _swap(_LAST_CASE, "      - when: \"`true`\"\n        action: accounts.balance\n"),
     "      - when: \"`true`\"", "the last case is the default and takes no 'when'"),
    ("unknown key in a case", _swap(_LAST_CASE, _LAST_CASE + "        colour: blue\n"), "colour: blue",
     "unknown key 'colour' in a case"),
    ("when that does not parse", _swap("query.kind == 'closed'", "query.kind =="), "query.kind ==", "does not parse"),
    ("refuse with an unknown error", _swap("error: invalid_request, message: closed", "error: nope, message: closed"),
     "refuse:", "'nope' is not a canonical error code"),
    ("refuse without a message", _swap(", message: closed accounts are not listed here", ""), "refuse:",
     "refuse needs a 'message'"),
    ("refuse beside an action", _swap("        refuse: {", "        action: accounts.list\n        refuse: {"),
     "        action: accounts.list\n", "a refusing case takes only 'when' and 'refuse'"),
    ("atomic without each", _swap("  strictBalance:\n    action: accounts.balance\n",
                                  "  strictBalance:\n    atomic: true\n    action: accounts.balance\n"),
     "    atomic: true", "'atomic' belongs to an operation that iterates"),
    ("item_id without each", _swap("  strictBalance:\n    action: accounts.balance\n",
                                   "  strictBalance:\n    item_id: item.x\n    action: accounts.balance\n"),
     "    item_id: item.x", "'item_id' belongs to an operation that iterates"),
    ("atomic not a boolean", _swap("    atomic: true\n", "    atomic: yes please\n"), "atomic: yes please",
     "atomic must be true"),
    ("each that does not parse", _swap("  pay:\n    each: body.items\n", "  pay:\n    each: body.[items\n"),
     "each: body.[items", "does not parse"),
    ("each without an action", _swap("  pay:\n    each: body.items\n    atomic: true\n    item_id: item.ref\n    action: transfers.create",
                                     "  pay:\n    each: body.items\n    atomic: true\n    item_id: item.ref\n    action: none"),
     "    each: body.items", "'each' runs an action per item"),
    ("an error for an unknown role", BINDING + "  account_not_found.boss: {status: 404, body: \"{}\"}\n",
     "account_not_found.boss", "'boss' is not a role"),
    ("an error key that is not a code", BINDING + "  nope.payer: {status: 404, body: \"{}\"}\n", "nope.payer",
     "'nope' is not a canonical error code"),
    ("format with too few values", _swap("format('{0}-{1}', result.account.bank_code, result.account.branch_code)",
                                         "format('{0}-{1}', result.account.bank_code)"),
     _BODY, "format() template uses {1} but has 1 value(s)"),
    ("slice without a start", _swap("slice(result.account.account_number, `3`)", "slice(result.account.account_number)"),
     _BODY, "slice() takes 2 to 3 argument(s), got 1"),
    ("a required input with no input", _swap('    input: "{account_id: query.acct}"\n', ""),
     "  strictBalance:", "accounts.balance requires account_id: the operation needs an 'input'"),
]


@pytest.mark.parametrize("label, binding, line_of, reason", BROKEN, ids=[row[0] for row in BROKEN])
def test_binding_language_mistakes_stop_loading_with_file_and_line(tmp_path, label, binding, line_of, reason):
    folder = _write_bank(tmp_path, binding)
    with pytest.raises(BindingError) as refused:
        load_bank(folder)
    message = str(refused.value)
    needle, offset = line_of if isinstance(line_of, tuple) else (line_of, 0)
    assert message.startswith(f"{folder / 'binding.yaml'}:{_line(binding, needle.splitlines()[0]) + offset}: "), message
    assert reason in message, message


def test_binding_language_the_bank_loads(tmp_path):
    api = load_bank(_write_bank(tmp_path))
    assert [case.action_name for case in api.operations["balances"].cases] == [None, "accounts.list", "accounts.balance"]
    assert api.operations["balances"].action_name == "accounts.balance"  # the default stands for the operation
    assert api.operations["pay"].default.atomic and not api.operations["payEach"].default.atomic
    assert api.operations["strictBalance"].default.required == (("account_id", "acct"),)
