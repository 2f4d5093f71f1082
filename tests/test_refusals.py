"""Bad input, action by action: each row gets its specific canonical error and changes nothing."""

from __future__ import annotations

import pytest

from books import assert_books_balance, pick, snapshot, to, workspace
from sandbox.actions import ACTIONS, debits
from sandbox.domain.errors import SandboxError


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    spaces, ctx, _ = workspace(tmp_path_factory.mktemp("refusals"))
    payer = pick(ctx, "0990", minimum=100_000)
    payee = pick(ctx, "0991")
    collector = pick(ctx, "0990", "corporate")
    mandate = debits.create_mandate(ctx, payer_account_id=payer["id"], collector_account_id=collector["id"])
    return ctx, {"payer": payer, "payee": payee, "collector": collector, "mandate": mandate}


def _transfer(accounts, **changes):
    request = {"from_account_id": accounts["payer"]["id"], "to": to(accounts["payee"]), "amount": 1_000}
    for key, value in changes.items():
        if key.startswith("to_"):
            request["to"] = {**request["to"], key[3:]: value}
        else:
            request[key] = value
    return request


TRANSFERS = [
    ("amount zero", {"amount": 0}, "invalid_amount"),
    ("amount negative", {"amount": -5}, "invalid_amount"),
    ("amount with a fraction", {"amount": 1.5}, "invalid_amount"),
    ("amount as a float", {"amount": 1000.0}, "invalid_amount"),
    ("amount with a separator", {"amount": "1,000"}, "invalid_amount"),
    ("amount in full-width digits", {"amount": "１０００"}, "invalid_amount"),
    ("amount as a boolean", {"amount": True}, "invalid_amount"),
    ("amount too large", {"amount": 10**12 + 1}, "invalid_amount"),
    ("amount over the per-transfer limit", {"amount": 1_000_001}, "limit_exceeded"),
    ("unknown payer account", {"from_account_id": "acc_0000000000000000"}, "account_not_found"),
    ("unknown payee account", {"to_account_number": "0000001"}, "account_not_found"),
    ("8-digit account number", {"to_account_number": "12345678"}, "invalid_account_number"),
    ("account number with letters", {"to_account_number": "12345a7"}, "invalid_account_number"),
    ("unknown account type", {"to_account_type": "3"}, "invalid_account_type"),
    ("bank code of 3 digits", {"to_bank_code": "099"}, "invalid_bank_code"),
    ("unknown bank code", {"to_bank_code": "9989"}, "unknown_bank"),
    ("unknown branch of a sandbox bank", {"to_branch_code": "999"}, "unknown_branch"),
    ("unknown branch of a real bank", {"to_bank_code": "0001", "to_branch_code": "000"}, "unknown_branch"),
    ("kanji name", {"to_name": "山田太郎"}, "invalid_kana"),
    ("emoji name", {"to_name": "ﾔﾏﾀﾞ 😀"}, "invalid_kana"),
    ("empty name", {"to_name": ""}, "invalid_kana"),
    ("name of somebody else", {"to_name": "ｽｽﾞｷ ｲﾁﾛｳ"}, "beneficiary_name_mismatch"),
    ("a past date", {"execution_date": "2026-11-04"}, "past_execution_date"),
    ("not a date", {"execution_date": "2026-13-01"}, "invalid_date"),
    ("a holiday, refused", {"execution_date": "2026-11-23", "holiday_rule": "refuse"}, "non_business_day"),
    ("too far ahead", {"execution_date": "2027-06-01"}, "execution_date_too_far"),
    ("unknown holiday rule", {"holiday_rule": "sideways"}, "invalid_request"),
    ("no payee", {"to": None}, "invalid_request"),
    ("payee not an object", {"to": "0991-100-1-1234567"}, "invalid_request"),
    ("memo too long", {"memo": "x" * 141}, "invalid_request"),
    ("idempotency key too long", {"idempotency_key": "k" * 256}, "invalid_request"),
]


@pytest.mark.parametrize("label, changes, code", TRANSFERS, ids=[row[0] for row in TRANSFERS])
def test_refusals_transfers_create(seeded, label, changes, code):
    ctx, accounts = seeded
    before = snapshot(ctx.db)
    with pytest.raises(SandboxError) as refused:
        ACTIONS["transfers.create"](ctx, **_transfer(accounts, **changes))
    assert refused.value.code == code, refused.value.message
    assert snapshot(ctx.db) == before
    assert_books_balance(ctx.db)


def test_refusals_transfers_to_the_same_account(seeded):
    ctx, accounts = seeded
    before = snapshot(ctx.db)
    with pytest.raises(SandboxError) as refused:
        ACTIONS["transfers.create"](ctx, **_transfer(accounts, to=to(accounts["payer"])))
    assert refused.value.code == "same_account"
    assert snapshot(ctx.db) == before


OTHERS = [
    ("transfers.quote_fee", {"from_account_id": "@payer", "to_bank_code": "0991", "to_branch_code": "100", "amount": 0}, "invalid_amount"),
    ("transfers.quote_fee", {"from_account_id": "@payer", "to_bank_code": "1", "to_branch_code": "100", "amount": 5}, "invalid_bank_code"),
    ("transfers.quote_fee", {"from_account_id": "acc_nope", "to_bank_code": "0991", "to_branch_code": "100", "amount": 5}, "account_not_found"),
    ("beneficiaries.inquire", {"bank_code": "0991", "branch_code": "100", "account_type": "1", "account_number": "123"}, "invalid_account_number"),
    ("beneficiaries.inquire", {"bank_code": "0991", "branch_code": "100", "account_type": "1", "account_number": "0000001"}, "account_not_found"),
    ("beneficiaries.inquire", {"bank_code": "0991", "branch_code": "100", "account_type": "1", "account_number": "1234567", "name": "漢字"}, "invalid_kana"),
    ("beneficiaries.inquire", {"bank_code": "9989", "branch_code": "100", "account_type": "1", "account_number": "1234567"}, "unknown_bank"),
    ("accounts.get", {"account_id": "acc_nope"}, "account_not_found"),
    ("accounts.balance", {"account_id": 12}, "account_not_found"),
    ("accounts.statement", {"account_id": "@payer", "date_from": "2026-11-05", "date_to": "2026-11-01"}, "invalid_date"),
    ("accounts.statement", {"account_id": "@payer", "date_from": "yesterday"}, "invalid_date"),
    ("accounts.statement", {"account_id": "@payer", "limit": 0}, "invalid_request"),
    ("accounts.statement", {"account_id": "@payer", "limit": 501}, "invalid_request"),
    ("accounts.statement", {"account_id": "@payer", "cursor": "abc"}, "invalid_request"),
    ("accounts.list", {"bank_code": "09"}, "invalid_bank_code"),
    ("transfers.get", {"transfer_id": "trf_nope"}, "transfer_not_found"),
    ("transfers.cancel", {"transfer_id": "trf_nope"}, "transfer_not_found"),
    ("transfers.list", {"status": "lost"}, "invalid_request"),
    ("debits.create_mandate", {"payer_account_id": "@payer", "collector_account_id": "@payee"}, "invalid_request"),
    ("debits.create_mandate", {"payer_account_id": "@payer", "collector_account_id": "@payer"}, "same_account"),
    ("debits.create_mandate", {"payer_account_id": "@payer", "collector_account_id": "@collector"}, "mandate_exists"),
    ("debits.create_mandate", {"payer_account_id": "@payer", "collector_account_id": "@collector", "max_amount": -1}, "invalid_amount"),
    ("debits.create_mandate", {"payer_account_id": "@payer", "collector_account_id": "@collector", "expires_on": "2020-01-01"}, "invalid_date"),
    ("debits.create", {"mandate_id": "@mandate", "amount": 0}, "invalid_amount"),
    ("debits.create", {"mandate_id": "@mandate", "amount": 10**12}, "insufficient_funds"),
    ("debits.create", {"mandate_id": "mdt_nope", "amount": 5}, "mandate_not_found"),
    ("debits.create", {"mandate_id": "@mandate", "amount": "5円"}, "invalid_amount"),
    ("debits.get", {"debit_id": "dbt_nope"}, "debit_not_found"),
    ("debits.get_mandate", {"mandate_id": "mdt_nope"}, "mandate_not_found"),
    ("consents.create", {"kind": "payment", "payment": {"from_account_id": "@payer", "to": "x", "amount": 1}}, "invalid_request"),
    ("consents.create", {"kind": "everything"}, "invalid_request"),
    ("transfers.create_from_consent", {"consent_id": "cns_nope"}, "consent_not_found"),
]


@pytest.mark.parametrize("action, arguments, code", OTHERS, ids=[f"{a}-{c}-{i}" for i, (a, _, c) in enumerate(OTHERS)])
def test_refusals_of_every_action(seeded, action, arguments, code):
    ctx, accounts = seeded
    arguments = {k: (accounts[v[1:]]["id"] if isinstance(v, str) and v.startswith("@") else v) for k, v in arguments.items()}
    if isinstance(arguments.get("payment"), dict):
        arguments["payment"] = {k: (accounts[v[1:]]["id"] if isinstance(v, str) and v.startswith("@") else v)
                                for k, v in arguments["payment"].items()}
    before = snapshot(ctx.db)
    with pytest.raises(SandboxError) as refused:
        ACTIONS[action](ctx, **arguments)
    assert refused.value.code == code, refused.value.message
    assert snapshot(ctx.db) == before


def test_refusals_a_bank_api_sees_only_its_own_accounts(seeded):
    ctx, accounts = seeded
    ctx_of_tsubame = type(ctx)(ctx.db, ctx.clock, ctx.workspace, bank_code="0991")
    with pytest.raises(SandboxError) as hidden:
        ACTIONS["accounts.balance"](ctx_of_tsubame, account_id=accounts["payer"]["id"])
    assert hidden.value.code == "account_not_found"
    assert all(a["bank_code"] == "0991" for a in ACTIONS["accounts.list"](ctx_of_tsubame, limit=500)["accounts"])
