"""Statements: an account's passbook lines over a date range, paged with an opaque next key."""

from __future__ import annotations

from ..domain.calendar import parse_date_range
from .accounts import _page_size, load, numeric_cursor
from .context import Context


def statement(ctx: Context, account_id, date_from=None, date_to=None, limit=100, cursor=None) -> dict:
    """Return the account's lines from `date_from` to `date_to` (inclusive), oldest first."""
    account = load(ctx, account_id)
    start, end = parse_date_range(date_from, date_to)
    clauses, params = ["account_no = (SELECT no FROM accounts WHERE id = ?)"], [account["id"]]
    if start:
        clauses.append("booked_on >= ?")
        params.append(start.isoformat())
    if end:
        clauses.append("booked_on <= ?")
        params.append(end.isoformat())
    if cursor is not None:
        clauses.append("id > ?")
        params.append(numeric_cursor(cursor))
    limit = _page_size(limit)
    rows = ctx.db.conn.execute(
        f"SELECT id, booked_on, amount, balance_after, description, movement_id FROM postings"
        f" WHERE {' AND '.join(clauses)} ORDER BY id LIMIT ?",
        (*params, limit + 1),
    ).fetchall()
    lines = [
        {
            "line_id": row[0],
            "date": row[1],
            "amount": abs(row[2]),
            "direction": "credit" if row[2] > 0 else "debit",
            "signed_amount": row[2],
            "balance_after": row[3],
            "description": row[4],
            "movement_id": row[5],
        }
        for row in rows[:limit]
    ]
    return {
        "account_id": account["id"],
        "account": account,
        "currency": "JPY",
        "date_from": start.isoformat() if start else None,
        "date_to": end.isoformat() if end else None,
        "lines": lines,
        "next_cursor": str(lines[-1]["line_id"]) if len(rows) > limit else None,
    }
