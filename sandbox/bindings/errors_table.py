"""Each bank's error table: how its binding renders every canonical error (status and the bank's own code)."""

from __future__ import annotations

from ..domain.errors import CANONICAL_ERRORS, SandboxError
from .functions import OPTIONS
from .loader import BankApi
from .runner import render_error


def error_table(api: BankApi) -> list[dict]:
    """One row per canonical error: its HTTP status and code in this bank's dialect; then one per code the
    bank renders differently for one role (`account_not_found (payee)`)."""
    document = {"path": {}, "query": {}, "headers": {}, "body": None, "now": None, "today": None, "bank": None,
                "interaction_id": "-"}
    rows = []
    by_role = [tuple(key.split(".")) for key in api.errors if "." in key]
    for code, role in [(code, None) for code in CANONICAL_ERRORS] + by_role:
        _, title = CANONICAL_ERRORS[code]
        reply = render_error(api, SandboxError(code, title, **({"role": role} if role else {})), document)
        own = api.error_code.search(reply.body, OPTIONS) if api.error_code else None
        rows.append({"canonical": f"{code} ({role})" if role else code, "status": reply.status,
                     "bank_code": own if isinstance(own, str) else code,
                     "title": title})
    return rows


def markdown(apis) -> str:
    """Every bank's table, as docs/errors.md holds it."""
    lines = ["# Error tables", "",
             "How each bank renders each canonical error: its HTTP status and the bank's own error code. Generated",
             "from the bindings by `bank-sandbox errors --markdown` (a test keeps this file in step).", ""]
    for api in apis:
        if not api.errors:
            continue
        lines += [f"## {api.slug} — {api.title}", "", "| canonical error | status | bank's code | meaning |",
                  "| --- | --- | --- | --- |"]
        lines += [f"| `{r['canonical']}` | {r['status']} | `{r['bank_code']}` | {r['title']} |" for r in error_table(api)]
        lines.append("")
    return "\n".join(lines)

