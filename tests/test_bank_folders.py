"""A bank folder that declares its bank (bank.yaml, or a `bank:` mapping in binding.yaml) brings the bank itself.

A user's folder here declares bank 0310 — a real bank code — with generated branches and no name
inquiry, beside the shipped folders (白樺銀行 0993 declares its bank too). Every new workspace of the
server holds both banks; money moves between them and the profile's banks over one ledger, and inside
the workspace the folder's 0310 replaces the real bank of that code from the zengin-code directory.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import httpx
import pytest
import yaml

import live_server
from sandbox.bindings import BindingError, declared_banks, load_bank
from sandbox.domain.banks import generated_branches
from sandbox.domain.errors import SandboxError
from sandbox.seeding import load_profile

SPEC = """\
openapi: 3.0.3
info: {title: 檜銀行 (test), version: "1"}
paths:
  /ping:
    get:
      operationId: ping
      responses:
        "200":
          description: pong
          content:
            application/json:
              schema: {type: object, properties: {ok: {type: boolean}}}
              example: {ok: true}
"""

BANK = """\
code: "0310"
slug: hinoki
name: 檜銀行
name_kana: ﾋﾉｷｷﾞﾝｺｳ
branches:
  generate: {count: 3}
customers: {individual: 6, corporate: 2}
rules:
  cutoff: "15:00"
  moretime: true
  name_inquiry: false
  fees:
    threshold: 30000
    same_branch: {under: 0, over: 0}
    same_bank: {under: 50, over: 50}
    other_bank: {under: 200, over: 300}
"""


def _folder(root: Path, name: str = "hinoki", bank: str | None = BANK, binding: str | None = None) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "openapi.yaml").write_text(SPEC, encoding="utf-8")
    if bank is not None:
        (folder / "bank.yaml").write_text(bank, encoding="utf-8")
    if binding is not None:
        (folder / "binding.yaml").write_text(textwrap.dedent(binding), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A server with the user's folder (bank 0310) beside the shipped ones, and a fresh workspace."""
    root = tmp_path_factory.mktemp("user-specs")
    _folder(root)
    with live_server.running(tmp_path_factory.mktemp("bank-folders"), seed_default=False, specs=(root,)) as server:
        with server.admin() as admin:
            created = admin.post("/sandbox/v1/workspaces", json={"name": "folders"})
            assert created.status_code == 201, created.text
        yield server


def _accounts(server, bank_code: str) -> list[dict]:
    with server.admin() as admin:
        found = admin.get("/sandbox/v1/workspaces/folders/accounts", params={"bank_code": bank_code, "limit": 500})
    assert found.status_code == 200, found.text
    return found.json()["accounts"]


def test_bank_folders_seed_their_banks_in_every_new_workspace(served):
    with served.admin() as admin:
        shown = admin.get("/sandbox/v1/workspaces/folders").json()
    codes = {bank["code"]: bank["slug"] for bank in shown["banks"]}
    assert codes == {"0990": "kaede", "0991": "tsubame", "0992": "hoshizora", "0993": "shirakaba", "0310": "hinoki"}
    hinoki = _accounts(served, "0310")
    assert {a["customer_kind"] for a in hinoki} == {"individual", "corporate"}
    assert {a["branch_code"] for a in hinoki} <= {"001", "101", "102"}
    assert {a["branch_name"] for a in hinoki} <= {"本店営業部", "丸の内支店", "新宿支店"}
    assert len({a["customer_id"] for a in _accounts(served, "0993")}) == 60  # 白樺銀行's mix: 30 people, 30 companies
    assert served.workspaces.verify("folders") == []


def test_bank_folders_money_moves_between_a_folder_bank_and_a_profile_bank(served):
    """A transfer from 楓銀行 to the folder's 0310 credits the 0310 account: it is a sandbox bank, not the real one."""
    payer = max((a for a in _accounts(served, "0990") if a["customer_kind"] == "individual"), key=lambda a: a["balance"])
    payee = _accounts(served, "0310")[0]
    with httpx.Client(base_url=served.url, headers={"X-Sandbox-Workspace": "folders"}, timeout=30) as hub:
        answer = hub.post("/hub/v1/transfers", headers={"Idempotency-Key": "folder-1"}, json={
            "from_account_id": payer["id"], "amount": 12_345,
            "to": {"bank_code": "0310", "branch_code": payee["branch_code"], "account_type": payee["account_type"],
                   "account_number": payee["account_number"], "name": payee["holder_kana"]}})
        assert answer.status_code == 201, answer.text
        transfer = answer.json()
        assert transfer["status"] == "executed" and transfer["destination"] == "sandbox" and transfer["fee"] == 330
        assert transfer["to"]["account_id"] == payee["id"]
        after = {a["id"]: a["balance"] for a in _accounts(served, "0310") + _accounts(served, "0990")}
        assert after[payee["id"]] == payee["balance"] + 12_345
        assert after[payer["id"]] == payer["balance"] - 12_345 - 330
        # The folder's fee table is the payer's when the folder's bank pays.
        quote = hub.post("/hub/v1/fee-quotes", json={"from_account_id": payee["id"], "to_bank_code": "0990",
                                                     "to_branch_code": payer["branch_code"], "amount": 40_000})
        assert quote.status_code == 200 and quote.json()["fee"] == 300, quote.text
    assert served.workspaces.verify("folders") == []


def test_bank_folders_name_inquiry_off_answers_unavailable(served):
    payee = _accounts(served, "0310")[0]
    inquiry = {"bank_code": "0310", "branch_code": payee["branch_code"], "account_type": payee["account_type"],
               "account_number": payee["account_number"], "name": payee["holder_kana"]}
    with httpx.Client(base_url=served.url, headers={"X-Sandbox-Workspace": "folders"}, timeout=30) as hub:
        answer = hub.post("/hub/v1/beneficiary-inquiries", json=inquiry)
        assert answer.status_code == 200, answer.text
        assert answer.json()["verified"] is False and answer.json()["holder_kana"] is None
        # 白樺銀行 answers inquiries about its own accounts.
        own = _accounts(served, "0993")[0]
        answer = hub.post("/hub/v1/beneficiary-inquiries", json={**inquiry, "bank_code": "0993", "branch_code": own["branch_code"],
                                                                  "account_type": own["account_type"],
                                                                  "account_number": own["account_number"], "name": own["holder_kana"]})
        assert answer.status_code == 200 and answer.json()["verified"] is True and answer.json()["name_matches"] is True


def test_bank_folders_a_binding_may_declare_the_bank_inline(tmp_path):
    inline = "bank:\n" + textwrap.indent(BANK, "  ")
    api = load_bank(_folder(tmp_path, bank=None, binding=inline))
    assert api.bank_code == "0310" and api.declared_bank["slug"] == "hinoki"
    assert [b["code"] for b in api.declared_bank["branches"]] == ["001", "101", "102"]
    fronting = load_bank(_folder(tmp_path, "front", bank=None, binding='bank: "0990"\n'))
    assert fronting.bank_code == "0990" and fronting.declared_bank is None


def test_bank_folders_slug_defaults_to_the_folder_name(tmp_path):
    api = load_bank(_folder(tmp_path, "sugi", bank=BANK.replace("slug: hinoki\n", "")))
    assert api.declared_bank["slug"] == "sugi"


@pytest.mark.parametrize("label, bank, line, field", [
    ("a bank code of three digits", BANK.replace('code: "0310"', 'code: "310"'), 1, "code"),
    ("an unknown rule", BANK.replace("  moretime: true", "  moretime: true\n  morettime: false"), 11, "rules.morettime"),
    ("a cut-off that is not a time", BANK.replace('cutoff: "15:00"', 'cutoff: "3pm"'), 9, "rules.cutoff"),
    ("a fee that is not a number", BANK.replace("same_bank: {under: 50", "same_bank: {under: fifty"), 15, "rules.fees.same_bank.under"),
    ("no customers' mix", BANK.replace("customers: {individual: 6, corporate: 2}\n", ""), None, "customers"),
    ("too many generated branches", BANK.replace("count: 3", "count: 5000"), 6, "branches"),
])
def test_bank_folders_a_bad_bank_yaml_names_the_file_line_and_field(tmp_path, label, bank, line, field):
    folder = _folder(tmp_path, bank=bank)
    with pytest.raises(BindingError) as refused:
        load_bank(folder)
    message = str(refused.value)
    where = f"{folder / 'bank.yaml'}:{line}: " if line else f"{folder / 'bank.yaml'}: "
    assert message.startswith(where), message
    assert field in message, message


def test_bank_folders_a_bad_inline_bank_names_binding_yaml(tmp_path):
    inline = "bank:\n" + textwrap.indent(BANK.replace('name_kana: ﾋﾉｷｷﾞﾝｺｳ', 'name_kana: 7'), "  ")
    folder = _folder(tmp_path, bank=None, binding=inline)
    with pytest.raises(BindingError, match=r"binding\.yaml:5: bank\.name_kana: 7 is not of type 'string'"):
        load_bank(folder)


def test_bank_folders_a_bank_declared_twice_is_refused(tmp_path):
    both = _folder(tmp_path, "both", binding="bank:\n" + textwrap.indent(BANK, "  "))
    with pytest.raises(BindingError, match="declared in bank.yaml already"):
        load_bank(both)
    clash = _folder(tmp_path, "clash", binding='bank: "0990"\n')
    with pytest.raises(BindingError, match="fronts bank 0990 but bank.yaml declares bank 0310"):
        load_bank(clash)
    one, other = load_bank(_folder(tmp_path, "one")), load_bank(_folder(tmp_path, "other", bank=BANK.replace("slug: hinoki", "slug: other")))
    with pytest.raises(BindingError, match="bank code '0310' is declared by"):
        declared_banks([one, other])


def test_bank_folders_a_profile_keeps_its_own_bank_of_the_same_code(tmp_path):
    profile = load_profile("default")
    folder_kaede = {**yaml.safe_load(BANK), "code": "0990", "slug": "not-kaede", "branches": generated_branches(2)}
    assert profile.with_banks([folder_kaede]).data["banks"] == profile.data["banks"]
    taken = {**yaml.safe_load(BANK), "slug": "kaede", "branches": generated_branches(2)}
    with pytest.raises(SandboxError, match="slug 'kaede'"):
        profile.with_banks([taken])


def test_bank_folders_generated_branches_are_deterministic_and_distinct():
    branches = generated_branches(40)
    assert branches == generated_branches(40)
    assert len({b["code"] for b in branches}) == 40 and len({b["name"] for b in branches}) == 40
    assert branches[0]["code"] == "001" and branches[-1] == {"code": "139", "name": "第39支店", "name_kana": "ﾀﾞｲ39"}
