"""Banks outside the sandbox: real bank and branch codes, checked against the zengin-code package.

Callers ask the workspace first: a sandbox bank of the same code (a bank folder may declare a real code,
such as 0310) replaces the real bank inside its workspaces, and only a code the workspace does not
hold is looked up here.
"""

from __future__ import annotations

from functools import lru_cache

from ..domain.errors import SandboxError


@lru_cache(maxsize=1)
def _banks():
    import zengin_code  # loads the whole bank directory; only when a transfer leaves the sandbox

    return zengin_code.Bank.all


def check_outside_bank(bank_code: str, branch_code: str) -> dict:
    """Return the real bank's name and branch name, or refuse an unknown bank or branch code."""
    bank = _banks().get(bank_code)
    if bank is None:
        raise SandboxError("unknown_bank", f"no bank has code {bank_code}", bank_code=bank_code)
    branch = bank.branches.get(branch_code)
    if branch is None:
        raise SandboxError("unknown_branch", f"bank {bank_code} ({bank.name}) has no branch {branch_code}", bank_code=bank_code, branch_code=branch_code)
    return {"bank_name": bank.name, "bank_kana": bank.kana, "branch_name": branch.name}


def real_bank_codes() -> set[str]:
    return set(_banks())
