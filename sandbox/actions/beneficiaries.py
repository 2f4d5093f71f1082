"""Beneficiary name inquiry (受取人名照会): does the account exist, and does the name match?"""

from __future__ import annotations

from ..domain.errors import SandboxError
from ..domain.identifiers import parse_account_number, parse_account_type, parse_bank_code, parse_branch_code
from ..domain.kana import same_holder, to_zengin
from . import accounts
from .context import Context
from .directory import check_outside_bank


def inquire(ctx: Context, bank_code, branch_code, account_type, account_number, name=None) -> dict:
    """Look up the holder of an account in a sandbox bank; banks outside the sandbox cannot be asked."""
    bank_code, branch_code = parse_bank_code(bank_code), parse_branch_code(branch_code)
    type_, number = parse_account_type(account_type).value, parse_account_number(account_number)
    given = to_zengin(name, "name") if name not in (None, "") else None
    result = {
        "bank_code": bank_code,
        "branch_code": branch_code,
        "account_type": type_,
        "account_number": number,
    }
    if ctx.bank(bank_code) is None:
        check_outside_bank(bank_code, branch_code)
        return {**result, "verified": False, "holder_kana": None, "name_matches": None, "account_status": None}
    _check_branch(ctx, bank_code, branch_code)
    account = accounts.find(ctx, bank_code, branch_code, type_, number)
    if account["status"] == "closed":
        raise SandboxError("account_not_found", "the account is closed")
    return {
        **result,
        "verified": True,
        "holder_kana": account["holder_kana"],
        "name_matches": holder_matches(ctx, given, account["holder_kana"]) if given else None,
        "account_status": account["status"],
    }


def holder_matches(ctx: Context, given: str, holder_kana: str) -> bool:
    """Whether a given name is the account holder's, as the bank's name check says (or a scenario makes it say)."""
    return same_holder(given, holder_kana) and "name_mismatch" not in ctx.scenario


def _check_branch(ctx: Context, bank_code: str, branch_code: str) -> None:
    if ctx.db.conn.execute("SELECT 1 FROM branches WHERE bank_code = ? AND code = ?", (bank_code, branch_code)).fetchone() is None:
        raise SandboxError("unknown_branch", f"bank {bank_code} has no branch {branch_code}", bank_code=bank_code, branch_code=branch_code)
