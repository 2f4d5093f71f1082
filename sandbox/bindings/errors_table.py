"""Each bank's error table: how its binding renders every canonical error (status and the bank's own code)."""

from __future__ import annotations

from ..domain.errors import CANONICAL_ERRORS, SandboxError
from .loader import BankApi
from .runner import render_error

# Where each dialect puts its own error code; a bank without an entry shows its canonical code.
_CODE_FIELDS = ("errorCode", "code", "error.code", "Errors.0.ErrorCode")


def error_table(api: BankApi) -> list[dict]:
    """One row per canonical error: its HTTP status and code in this bank's dialect."""
    document = {"path": {}, "query": {}, "headers": {}, "body": None, "now": None, "today": None, "bank": None,
                "interaction_id": "-"}
    rows = []
    for code, (status, title) in CANONICAL_ERRORS.items():
        reply = render_error(api, SandboxError(code, title), document)
        rows.append({"canonical": code, "status": reply.status, "bank_code": _bank_code(reply.body) or code,
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


def _bank_code(body) -> str | None:
    for path in _CODE_FIELDS:
        value = body
        for part in path.split("."):
            if isinstance(value, dict):
                value = value.get(part)
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                value = None
        if isinstance(value, str):
            return value
    return None
