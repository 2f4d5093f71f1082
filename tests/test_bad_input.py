"""Bad input, action by action: each row gets its specific canonical error and changes nothing.

One table per core action. A row names what it changes in the action's valid base request; the test
calls the action through the `ACTIONS` registry (as the bindings do), checks `SandboxError.code`, and
compares a snapshot of the workspace (balances, postings, movements, transfers, mandates, debits,
idempotency records, daily totals) before and after. `test_bad_input_base_requests_are_accepted`
shows each base request is itself fine, so every refusal comes from the row's change.
"""

from __future__ import annotations

import copy

import pytest

from sandbox.actions import ACTIONS, Context, accounts, debits, transfers
from sandbox.domain.errors import SandboxError

from engines import module_database_url, postgres  # noqa: F401 - fixtures: the tables run on both engines

KAEDE, TSUBAME = "0990", "0991"
UNKNOWN_ID = "acc_0000000000000000"


def build_env(seeded, books) -> dict:
    """Accounts, mandates and transfers the tables refer to, made through the actions themselves."""
    ctx = seeded.ctx
    payer = books.pick(ctx, KAEDE, "individual", minimum=100_000, maximum=900_000, type_="1")
    payee = books.pick(ctx, TSUBAME, "individual")
    collector = books.pick(ctx, KAEDE, "corporate")
    frozen = books.pick(ctx, KAEDE, "individual", minimum=10_000, exclude={payer["id"]})
    closed = books.pick(ctx, TSUBAME, "individual", exclude={payee["id"]})
    # Statuses have no core action (organisers set them through scenarios), so they are set here directly.
    ctx.db.conn.execute("UPDATE accounts SET status = 'frozen' WHERE id = ?", (frozen["id"],))
    ctx.db.conn.execute("UPDATE accounts SET status = 'closed' WHERE id = ?", (closed["id"],))
    mandate = lambda reference, **more: debits.create_mandate(  # noqa: E731
        ctx, payer_account_id=payer["id"], collector_account_id=collector["id"], customer_reference=reference, **more)
    capped, open_, revoked = mandate("CAPPED", max_amount=50_000), mandate("OPEN"), mandate("REVOKED")
    debits.revoke_mandate(ctx, revoked["id"])
    debits.create_debit(ctx, mandate_id=open_["id"], amount=500, idempotency_key="debit-key")
    executed = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=1_000, idempotency_key="transfer-key")
    scheduled = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=2_000, execution_date="2026-11-16")
    cancelled = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=3_000, execution_date="2026-11-16")
    transfers.cancel(ctx, cancelled["id"])
    internal = ctx.internal_account(KAEDE, "clearing")
    return {
        "ctx": ctx, "books": books,
        "payer": accounts.load(ctx, payer["id"]), "payee": payee, "collector": collector, "frozen": frozen, "closed": closed,
        "capped": capped, "open": open_, "revoked": revoked, "executed": executed, "scheduled": scheduled,
        "cancelled": cancelled, "internal": internal,
    }


@pytest.fixture(scope="module")
def env(module_workspace, books):
    return build_env(module_workspace, books)


# -- base requests, one per action ----------------------------------------------------------------

def transfer_base(env):
    return {"from_account_id": env["payer"]["id"], "to": env["books"].payee(env["payee"]), "amount": 1_000}


BASES = {
    "transfers.create": transfer_base,
    "transfers.quote_fee": lambda env: {"from_account_id": env["payer"]["id"], "to_bank_code": TSUBAME,
                                        "to_branch_code": env["payee"]["branch_code"], "amount": 1_000},
    "beneficiaries.inquire": lambda env: {"bank_code": TSUBAME, "branch_code": env["payee"]["branch_code"],
                                          "account_type": env["payee"]["account_type"],
                                          "account_number": env["payee"]["account_number"], "name": env["payee"]["holder_kana"]},
    "accounts.balance": lambda env: {"account_id": env["payer"]["id"]},
    "accounts.get": lambda env: {"account_id": env["payer"]["id"]},
    "accounts.statement": lambda env: {"account_id": env["payer"]["id"], "date_from": "2026-10-01", "date_to": "2026-11-05"},
    "debits.create_mandate": lambda env: {"payer_account_id": env["payer"]["id"], "collector_account_id": env["collector"]["id"]},
    "debits.create": lambda env: {"mandate_id": env["open"]["id"], "amount": 1_000},
    "transfers.cancel": lambda env: {"transfer_id": env["scheduled"]["id"]},
    "transfers.get": lambda env: {"transfer_id": env["executed"]["id"]},
    "transfers.return": lambda env: {"transfer_id": env["executed"]["id"]},
}


def request_for(env, action: str, changes: dict) -> dict:
    """The action's base request with the row's changes; 'to.x' changes a payee field; callables get `env`."""
    request = copy.deepcopy(BASES[action](env))
    for key, value in changes.items():
        value = value(env) if callable(value) else value
        if key.startswith("to."):
            request["to"][key[3:]] = value
        else:
            request[key] = value
    return request


def assert_refused(env, action: str, changes: dict, code: str, ctx=None) -> None:
    """The one contract of every row: the specific canonical code, a 4xx, and nothing changed."""
    ctx, books = ctx or env["ctx"], env["books"]
    request = request_for(env, action, changes)
    before = books.snapshot(ctx.db)
    with pytest.raises(SandboxError) as refused:
        ACTIONS[action](ctx, **request)
    assert refused.value.code == code, refused.value.message
    assert 400 <= refused.value.status < 500
    assert not ctx.db.conn.in_transaction
    assert books.snapshot(ctx.db) == before


def rows(table):
    return [pytest.param(changes, code, id=name) for name, changes, code in table]


# Bad amounts are refused the same way by every action that takes one.
AMOUNTS = [
    ("amount zero", 0, "invalid_amount"),
    ("amount negative", -1_000, "invalid_amount"),
    ("amount negative string", "-1000", "invalid_amount"),
    ("amount with a fraction", 1.5, "invalid_amount"),
    ("amount as a float", 1000.0, "invalid_amount"),
    ("amount with a separator", "1,000", "invalid_amount"),
    ("amount in full-width digits", "１０００", "invalid_amount"),
    ("amount with a currency sign", "¥1000", "invalid_amount"),
    ("amount as a boolean", True, "invalid_amount"),
    ("amount as a list", [1000], "invalid_amount"),
    ("amount over a trillion yen", 10**12 + 1, "invalid_amount"),
    ("amount over a trillion yen as text", str(10**12 + 1), "invalid_amount"),
    ("amount of five thousand digits", "9" * 5000, "invalid_amount"),
]

def amount_rows(field: str = "amount", missing_code: str | None = "invalid_request"):
    table = [(name, {field: value}, code) for name, value, code in AMOUNTS]
    if missing_code:
        table.append((f"{field} missing", {field: None}, missing_code))
    return table


# -- transfers.create -------------------------------------------------------------------------------

TRANSFER_CREATE = amount_rows() + [
    ("amount empty", {"amount": ""}, "invalid_request"),
    ("amount over the per-transfer limit", {"amount": 1_000_001}, "limit_exceeded"),
    ("amount over the available balance", {"amount": lambda env: env["payer"]["available_balance"] + 1}, "insufficient_funds"),
    ("amount fits but not with the fee", {"amount": lambda env: env["payer"]["available_balance"] - 439}, "insufficient_funds"),
    ("unknown payer account", {"from_account_id": UNKNOWN_ID}, "account_not_found"),
    ("payer id as a number", {"from_account_id": 1234567}, "account_not_found"),
    ("payer is an internal ledger account", {"from_account_id": lambda env: env["internal"]}, "account_not_found"),
    ("payer missing", {"from_account_id": None}, "invalid_request"),
    ("payer frozen", {"from_account_id": lambda env: env["frozen"]["id"]}, "account_frozen"),
    ("payee missing", {"to": None}, "invalid_request"),
    ("payee not an object", {"to": "0991-100-1-1234567"}, "invalid_request"),
    ("unknown payee account", {"to.account_number": "0000001"}, "account_not_found"),
    ("8-digit account number", {"to.account_number": "12345678"}, "invalid_account_number"),
    ("6-digit account number", {"to.account_number": "123456"}, "invalid_account_number"),
    ("account number with a letter", {"to.account_number": "12345a7"}, "invalid_account_number"),
    ("account number in full-width digits", {"to.account_number": "１２３４５６７"}, "invalid_account_number"),
    ("account number as a number", {"to.account_number": 1234567}, "invalid_account_number"),
    ("account number missing", {"to.account_number": None}, "invalid_account_number"),
    ("unknown account type", {"to.account_type": "3"}, "invalid_account_type"),
    ("account type as a word", {"to.account_type": "checking"}, "invalid_account_type"),
    ("bank code of 3 digits", {"to.bank_code": "099"}, "invalid_bank_code"),
    ("bank code as a number", {"to.bank_code": 991}, "invalid_bank_code"),
    ("bank code missing", {"to.bank_code": None}, "invalid_bank_code"),
    ("unknown bank code", {"to.bank_code": "9999"}, "unknown_bank"),
    ("branch code of 4 digits", {"to.branch_code": "0100"}, "invalid_branch_code"),
    ("unknown branch of a sandbox bank", {"to.branch_code": "999"}, "unknown_branch"),
    ("unknown branch of a real bank", {"to.bank_code": "0001", "to.branch_code": "000"}, "unknown_branch"),
    ("name in kanji", {"to.name": "山田太郎"}, "invalid_kana"),
    ("name with an emoji", {"to.name": "ﾔﾏﾀﾞ😀"}, "invalid_kana"),
    ("name empty", {"to.name": ""}, "invalid_kana"),
    ("name missing", {"to.name": None}, "invalid_kana"),
    ("name longer than 48", {"to.name": "ｱ" * 49}, "invalid_kana"),
    ("name of someone else", {"to.name": "ﾀﾞﾚｶ ﾍﾞﾂｼﾞﾝ"}, "beneficiary_name_mismatch"),
    ("payee is the payer", {"to": lambda env: env["books"].payee(env["payer"])}, "same_account"),
    ("payee frozen", {"to": lambda env: env["books"].payee(env["frozen"])}, "account_frozen"),
    ("payee closed", {"to": lambda env: env["books"].payee(env["closed"])}, "account_closed"),
    ("execution date in the past", {"execution_date": "2026-11-04"}, "past_execution_date"),
    ("execution date a holiday, rule refuse", {"execution_date": "2026-11-23", "holiday_rule": "refuse"}, "non_business_day"),
    ("execution date a Saturday, rule refuse", {"execution_date": "2026-11-07", "holiday_rule": "refuse"}, "non_business_day"),
    ("execution date too far ahead", {"execution_date": "2027-01-05"}, "execution_date_too_far"),
    ("execution date that does not exist", {"execution_date": "2026-02-30"}, "invalid_date"),
    ("execution date with slashes", {"execution_date": "2026/11/16"}, "invalid_date"),
    ("execution date as a number", {"execution_date": 20261116}, "invalid_date"),
    ("unknown holiday rule", {"execution_date": "2026-11-16", "holiday_rule": "later"}, "invalid_request"),
    ("memo too long", {"memo": "x" * 141}, "invalid_request"),
    ("memo not text", {"memo": 42}, "invalid_request"),
    ("client reference too long", {"client_reference": "r" * 65}, "invalid_request"),
    ("idempotency key empty", {"idempotency_key": ""}, "invalid_request"),
    ("idempotency key too long", {"idempotency_key": "k" * 256}, "invalid_request"),
    ("idempotency key with a newline", {"idempotency_key": "a\nb"}, "invalid_request"),
    ("idempotency key not text", {"idempotency_key": 42}, "invalid_request"),
    ("idempotency key reused for another body", {"idempotency_key": "transfer-key", "amount": 1_001}, "idempotency_conflict"),
]


@pytest.mark.parametrize("changes, code", rows(TRANSFER_CREATE))
def test_bad_input_transfers_create(env, changes, code):
    assert_refused(env, "transfers.create", changes, code)


# -- transfers.quote_fee ------------------------------------------------------------------------------

QUOTE_FEE = amount_rows(missing_code="invalid_amount") + [
    ("unknown payer account", {"from_account_id": UNKNOWN_ID}, "account_not_found"),
    ("payer is an internal ledger account", {"from_account_id": lambda env: env["internal"]}, "account_not_found"),
    ("bank code of 3 digits", {"to_bank_code": "099"}, "invalid_bank_code"),
    ("bank code of 5 digits", {"to_bank_code": "09910"}, "invalid_bank_code"),
    ("bank code missing", {"to_bank_code": None}, "invalid_bank_code"),
    ("unknown bank code", {"to_bank_code": "9999"}, "unknown_bank"),
    ("branch code of 2 digits", {"to_branch_code": "10"}, "invalid_branch_code"),
    ("branch code as a number", {"to_branch_code": 100}, "invalid_branch_code"),
    ("unknown branch of a sandbox bank", {"to_branch_code": "999"}, "unknown_branch"),
    ("unknown branch of a real bank", {"to_bank_code": "0001", "to_branch_code": "000"}, "unknown_branch"),
]


@pytest.mark.parametrize("changes, code", rows(QUOTE_FEE))
def test_bad_input_transfers_quote_fee(env, changes, code):
    assert_refused(env, "transfers.quote_fee", changes, code)


# -- beneficiaries.inquire ----------------------------------------------------------------------------

INQUIRE = [
    ("bank code of 3 digits", {"bank_code": "099"}, "invalid_bank_code"),
    ("unknown bank code", {"bank_code": "9999"}, "unknown_bank"),
    ("branch code with a letter", {"branch_code": "1O0"}, "invalid_branch_code"),
    ("unknown branch of a sandbox bank", {"branch_code": "999"}, "unknown_branch"),
    ("unknown branch of a real bank", {"bank_code": "0001", "branch_code": "000"}, "unknown_branch"),
    ("unknown account type", {"account_type": "5"}, "invalid_account_type"),
    ("account type missing", {"account_type": None}, "invalid_account_type"),
    ("8-digit account number", {"account_number": "12345678"}, "invalid_account_number"),
    ("account number missing", {"account_number": None}, "invalid_account_number"),
    ("unknown account", {"account_number": "0000001"}, "account_not_found"),
    ("closed account", {"branch_code": lambda env: env["closed"]["branch_code"],
                        "account_type": lambda env: env["closed"]["account_type"],
                        "account_number": lambda env: env["closed"]["account_number"]}, "account_not_found"),
    ("name in kanji", {"name": "山田太郎"}, "invalid_kana"),
    ("name with an emoji", {"name": "ﾔﾏﾀﾞ😀"}, "invalid_kana"),
    ("name longer than 48", {"name": "ｱ" * 49}, "invalid_kana"),
]


@pytest.mark.parametrize("changes, code", rows(INQUIRE))
def test_bad_input_beneficiaries_inquire(env, changes, code):
    assert_refused(env, "beneficiaries.inquire", changes, code)


# -- accounts.balance / accounts.get / accounts.statement ---------------------------------------------

ACCOUNT_IDS = [
    ("unknown account", {"account_id": UNKNOWN_ID}, "account_not_found"),
    ("account id as a number", {"account_id": 42}, "account_not_found"),
    ("account id missing", {"account_id": None}, "account_not_found"),
    ("account id empty", {"account_id": ""}, "account_not_found"),
    ("internal ledger account", {"account_id": lambda env: env["internal"]}, "account_not_found"),
    ("account number instead of id", {"account_id": lambda env: env["payer"]["account_number"]}, "account_not_found"),
]


@pytest.mark.parametrize("action", ["accounts.balance", "accounts.get", "accounts.statement"])
@pytest.mark.parametrize("changes, code", rows(ACCOUNT_IDS))
def test_bad_input_accounts(env, action, changes, code):
    assert_refused(env, action, changes, code)


STATEMENT = [
    ("date_from that does not exist", {"date_from": "2026-13-01"}, "invalid_date"),
    ("date_to in another format", {"date_to": "05/11/2026"}, "invalid_date"),
    ("date_from after date_to", {"date_from": "2026-11-05", "date_to": "2026-11-01"}, "invalid_date"),
    ("limit zero", {"limit": 0}, "invalid_request"),
    ("limit negative", {"limit": -1}, "invalid_request"),
    ("limit over the page size", {"limit": 501}, "invalid_request"),
    ("limit a word", {"limit": "ten"}, "invalid_request"),
    ("limit a boolean", {"limit": True}, "invalid_request"),
    ("limit a float", {"limit": 1.5}, "invalid_request"),
    ("cursor not one the API gave", {"cursor": "abc"}, "invalid_request"),
    ("cursor negative", {"cursor": "-1"}, "invalid_request"),
    ("cursor absurdly long", {"cursor": "9" * 40}, "invalid_request"),
]


@pytest.mark.parametrize("changes, code", rows(STATEMENT))
def test_bad_input_accounts_statement(env, changes, code):
    assert_refused(env, "accounts.statement", changes, code)


# -- debits.create_mandate ---------------------------------------------------------------------------

CREATE_MANDATE = amount_rows("max_amount", missing_code=None) + [
    ("payer missing", {"payer_account_id": None}, "invalid_request"),
    ("collector missing", {"collector_account_id": ""}, "invalid_request"),
    ("unknown payer account", {"payer_account_id": UNKNOWN_ID}, "account_not_found"),
    ("unknown collector account", {"collector_account_id": UNKNOWN_ID}, "account_not_found"),
    ("collector is an internal ledger account", {"collector_account_id": lambda env: env["internal"]}, "account_not_found"),
    ("collector is an individual", {"collector_account_id": lambda env: env["payee"]["id"]}, "invalid_request"),
    ("payer is the collector", {"payer_account_id": lambda env: env["collector"]["id"]}, "same_account"),
    ("payer frozen", {"payer_account_id": lambda env: env["frozen"]["id"]}, "account_frozen"),
    ("payer closed", {"payer_account_id": lambda env: env["closed"]["id"]}, "account_closed"),
    ("mandate already exists", {"customer_reference": "OPEN"}, "mandate_exists"),
    ("expiry in the past", {"expires_on": "2026-11-04"}, "invalid_date"),
    ("expiry that does not exist", {"expires_on": "2026-02-30"}, "invalid_date"),
    ("customer reference too long", {"customer_reference": "r" * 65}, "invalid_request"),
]


@pytest.mark.parametrize("changes, code", rows(CREATE_MANDATE))
def test_bad_input_debits_create_mandate(env, changes, code):
    assert_refused(env, "debits.create_mandate", changes, code)


# -- debits.create ------------------------------------------------------------------------------------

CREATE_DEBIT = amount_rows() + [
    ("mandate missing", {"mandate_id": None}, "invalid_request"),
    ("unknown mandate", {"mandate_id": "mdt_0000000000000000"}, "mandate_not_found"),
    ("mandate id as a number", {"mandate_id": 7}, "mandate_not_found"),
    ("revoked mandate", {"mandate_id": lambda env: env["revoked"]["id"]}, "mandate_inactive"),
    ("amount over the mandate's limit", {"mandate_id": lambda env: env["capped"]["id"], "amount": 50_001}, "mandate_limit_exceeded"),
    ("amount over the available balance", {"amount": lambda env: env["payer"]["available_balance"] + 1}, "insufficient_funds"),
    ("description too long", {"description": "ﾃ" * 49}, "invalid_request"),
    ("client reference too long", {"client_reference": "r" * 65}, "invalid_request"),
    ("idempotency key empty", {"idempotency_key": ""}, "invalid_request"),
    ("idempotency key reused for another body", {"idempotency_key": "debit-key", "amount": 501}, "idempotency_conflict"),
]


@pytest.mark.parametrize("changes, code", rows(CREATE_DEBIT))
def test_bad_input_debits_create(env, changes, code):
    assert_refused(env, "debits.create", changes, code)


# -- transfers.cancel / transfers.get / transfers.return ------------------------------------------------

TRANSFER_IDS = [
    ("unknown transfer", {"transfer_id": "trf_0000000000000000"}, "transfer_not_found"),
    ("transfer id as a number", {"transfer_id": 42}, "transfer_not_found"),
    ("transfer id missing", {"transfer_id": None}, "transfer_not_found"),
    ("an account id, not a transfer id", {"transfer_id": lambda env: env["payer"]["id"]}, "transfer_not_found"),
]


@pytest.mark.parametrize("action", ["transfers.cancel", "transfers.get", "transfers.return"])
@pytest.mark.parametrize("changes, code", rows(TRANSFER_IDS))
def test_bad_input_transfer_ids(env, action, changes, code):
    assert_refused(env, action, changes, code)


CANCEL = [
    ("an executed transfer", {"transfer_id": lambda env: env["executed"]["id"]}, "not_cancellable"),
    ("a cancelled transfer", {"transfer_id": lambda env: env["cancelled"]["id"]}, "not_cancellable"),
]


@pytest.mark.parametrize("changes, code", rows(CANCEL))
def test_bad_input_transfers_cancel(env, changes, code):
    assert_refused(env, "transfers.cancel", changes, code)


RETURN = [
    ("a scheduled transfer", {"transfer_id": lambda env: env["scheduled"]["id"]}, "not_returnable"),
    ("a cancelled transfer", {"transfer_id": lambda env: env["cancelled"]["id"]}, "not_returnable"),
    ("a reason too long", {"reason": "r" * 65}, "invalid_request"),
]


@pytest.mark.parametrize("changes, code", rows(RETURN))
def test_bad_input_transfers_return(env, changes, code):
    assert_refused(env, "transfers.return", changes, code)


# -- a bank's own API reaches only that bank's accounts -------------------------------------------------

# Every base request names 楓銀行 accounts (or a transfer or mandate of theirs), so つばめ銀行's API must
# answer as if they did not exist (a transfer to a つばめ銀行 payee is a payee outside, not a payer inside).
OTHER_BANK = [
    ("accounts.balance", {}, "account_not_found"),
    ("accounts.get", {}, "account_not_found"),
    ("accounts.statement", {}, "account_not_found"),
    ("transfers.create", {}, "account_not_found"),
    ("transfers.quote_fee", {}, "account_not_found"),
    ("transfers.get", {}, "transfer_not_found"),
    ("transfers.cancel", {}, "transfer_not_found"),
    ("transfers.return", {}, "transfer_not_found"),
    ("debits.create_mandate", {}, "account_not_found"),
    ("debits.create", {}, "mandate_not_found"),
]


@pytest.mark.parametrize("action, changes, code", OTHER_BANK, ids=[row[0] for row in OTHER_BANK])
def test_bad_input_a_banks_own_api_cannot_reach_another_banks_accounts(env, action, changes, code):
    tsubame = Context(env["ctx"].db, env["ctx"].clock, bank_code=TSUBAME)
    assert_refused(env, action, changes, code, ctx=tsubame)


# -- the control: every base request is accepted ------------------------------------------------------

def test_bad_input_base_requests_are_accepted(seeded, books):
    env = build_env(seeded, books)
    results = {action: ACTIONS[action](env["ctx"], **request_for(env, action, {})) for action in BASES}
    assert results["transfers.create"]["status"] == "executed"
    assert results["transfers.quote_fee"]["fee"] == 330
    assert results["beneficiaries.inquire"]["name_matches"] is True
    assert results["accounts.statement"]["lines"]
    assert results["debits.create_mandate"]["status"] == "active"
    assert results["debits.create"]["status"] == "executed"
    assert results["transfers.cancel"]["status"] == "cancelled"
    assert results["transfers.return"]["status"] == "returned"  # last: the reads above saw it executed
    books.check(env["ctx"].db)
