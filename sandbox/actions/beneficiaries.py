"""Beneficiary name inquiry (受取人名照会): does the account exist, and does the name match?"""

from __future__ import annotations

from ..domain.abuse import Signal
from ..domain.errors import SandboxError
from ..domain.identifiers import parse_account_number, parse_account_type, parse_bank_code, parse_branch_code
from ..domain.kana import same_holder, to_zengin
from . import accounts
from .context import Context
from .directory import check_outside_bank


def inquire(ctx: Context, bank_code, branch_code, account_type, account_number, name=None) -> dict:
    """Look up the holder of an account in a sandbox bank.

    A bank outside the sandbox cannot be asked, nor a sandbox bank whose rules say it does not answer
    name inquiries: both answer `available: false` and verify nothing.
    """
    bank_code, branch_code = parse_bank_code(bank_code), parse_branch_code(branch_code)
    type_, number = parse_account_type(account_type).value, parse_account_number(account_number)
    given = to_zengin(name, "name") if name not in (None, "") else None
    result = {
        "bank_code": bank_code,
        "branch_code": branch_code,
        "account_type": type_,
        "account_number": number,
    }
    bank = ctx.bank(bank_code)
    if bank is None:
        check_outside_bank(bank_code, branch_code)
    else:
        _check_branch(ctx, bank_code, branch_code)
    if bank is None or not bank["rules"].name_inquiry:
        # Unavailable: the bank is outside the sandbox, or does not answer name inquiries about its accounts.
        return {**result, "verified": False, "available": False, "holder_kana": None, "name_matches": None,
                "account_status": None}
    try:
        account = accounts.find(ctx, bank_code, branch_code, type_, number)
        if account["status"] == "closed":
            raise SandboxError("account_not_found", "the account is closed")
    except SandboxError:
        _watch(ctx, result, miss=True)
        raise
    matches = holder_matches(ctx, given, account["holder_kana"]) if given else None
    _watch(ctx, result, miss=matches is False)
    return {
        **result,
        "verified": True,
        "available": True,
        "holder_kana": account["holder_kana"],
        "name_matches": matches,
        "account_status": account["status"],
    }


def _watch(ctx: Context, asked: dict, miss: bool) -> None:
    """Count the inquiry towards name-inquiry enumeration: distinct accounts, misses and consecutive numbers.

    It counts per connector, and per customer the connector acts for, so a customer who spreads the
    harvest over several connectors is seen too. The customer's window counts only what the connector's
    has not already stopped: one harvest by one connector raises one alert, not two.
    """
    if ctx.watch is None:
        return
    item = f"{asked['bank_code']}-{asked['branch_code']}-{asked['account_type']}-{asked['account_number']}"
    for key in filter(None, (ctx.connector_id, ctx.customer_id)):
        signal = Signal("name_inquiry_enumeration", key, item=item, number=int(asked["account_number"]), miss=miss)
        if ctx.signal(asked["bank_code"], signal) is not None:
            return


def holder_matches(ctx: Context, given: str, holder_kana: str) -> bool:
    """Whether a given name is the account holder's, as the bank's name check says (or a scenario makes it say)."""
    return same_holder(given, holder_kana) and "name_mismatch" not in ctx.scenario


def _check_branch(ctx: Context, bank_code: str, branch_code: str) -> None:
    """Refuse a branch the bank lacks. Branches are seeded: one found is kept for the workspace's
    generation; one not found is not, so no caller can fill memory with made-up codes."""
    key = ("branch", bank_code, branch_code)
    if key in ctx.seeded:
        return
    if ctx.db.conn.execute("SELECT 1 FROM branches WHERE bank_code = ? AND code = ?", (bank_code, branch_code)).fetchone() is None:
        raise SandboxError("unknown_branch", f"bank {bank_code} has no branch {branch_code}", bank_code=bank_code, branch_code=branch_code)
    ctx.seeded[key] = True
