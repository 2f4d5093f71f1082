"""Transfers waiting for the customer's approval (risk-based authentication), as the workspace keeps them.

A bank's `ApprovalPolicy` says when a transfer a connector asks for must wait. It is then kept here,
under the id it will have as a transfer, with the request and what it would do; nothing moves and no
limit is used. The customer approves it on the bank's approval page (then `transfers.approve` writes
it like any other transfer), rejects it, or lets it expire.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from ..domain.abuse import Signal, threshold_margin
from ..domain.errors import SandboxError
from .context import Context

APPROVAL_PAGE = "/oauth/approve"


def questions(ctx: Context, prepared: dict) -> list[tuple[str, str, tuple]] | None:
    """The reads the policy's check needs (`reasons`), each a scalar subquery: (name, text, parameters).
    Under the write lock they are asked as columns of the transfer's own read there (`transfers.ask_again`),
    one statement for all. None: no check."""
    if ctx.connector_class is None:
        return None
    payer, payee = prepared["payer"], prepared["payee"]
    policy = ctx.rules(payer["bank_code"]).approval
    # Both reads walk an index from the payer (migration 11), so they cost the same after 100,000
    # transfers as after ten; the hour's count stops at the policy's limit, all the policy asks about.
    asked = [("paid_before", ("(SELECT 1 FROM transfers WHERE from_account_id = ? AND to_account_number = ?"
                              " AND to_branch_code = ? AND to_bank_code = ? AND status IN ('scheduled', 'executed') LIMIT 1)"),
              (payer["id"], payee["account_number"], payee["branch_code"], payee["bank_code"]))]
    if policy.per_hour is not None and ctx.connector_class in policy.classes:
        since = (prepared["now"] - timedelta(hours=1)).isoformat(timespec="seconds")
        asked.append(("last_hour", ("(SELECT count(*) FROM (SELECT 1 FROM transfers"
                                    " WHERE from_account_id = ? AND requested_at >= ? LIMIT ?))"),
                      (payer["id"], since, policy.per_hour)))
    return asked


def reasons(ctx: Context, prepared: dict, request: dict, asked: dict | None = None) -> list[str]:
    """Why the bank's policy wants this transfer approved (empty: it does not). `asked`: the answers to
    `questions`, by name, read already; without them they are asked here."""
    if ctx.connector_class is None:
        return []
    if asked is None:
        reads = questions(ctx, prepared)
        row = ctx.db.conn.execute("SELECT " + ", ".join(text for _, text, _ in reads),
                                  [value for _, _, values in reads for value in values]).fetchone()
        asked = {name: value for (name, _, _), value in zip(reads, row)}
    payer, payee = prepared["payer"], prepared["payee"]
    new_payee = asked["paid_before"] is None
    found = ctx.rules(payer["bank_code"]).approval.reasons(
        connector_class=ctx.connector_class, customer_kind=payer["customer_kind"], amount=request["amount"],
        new_payee=new_payee, last_hour=asked.get("last_hour", 0))
    return found + _watched(ctx, payer, payee, request["amount"], new_payee)


def _watched(ctx: Context, payer: dict, payee: dict, amount: int, new_payee: bool) -> list[str]:
    """The abuse rules this transfer trips whose action is step_up (structuring, new-payee velocity).

    Structuring is measured against the lowest threshold the amount stays under: the approval amount
    (where it applies to the caller) or the per-transfer limit.
    """
    if ctx.watch is None:
        return []
    bank, actions = payer["bank_code"], {}
    rules = ctx.rules(bank)
    structuring = rules.abuse.rule("structuring")
    if structuring is not None:
        limit = rules.limits.get(payer["customer_kind"])
        bars = [limit.per_transfer if limit else None,
                rules.approval.amount_over if ctx.connector_class in rules.approval.classes else None]
        threshold = min((bar for bar in bars if bar is not None), default=None)
        if threshold_margin(amount, threshold, structuring.share or 0):
            actions["structuring"] = ctx.signal(bank, Signal("structuring", payer["id"], amount=amount,
                                                             threshold=threshold, subject=payer["id"]))
    if new_payee:
        payee_key = f"{payee['bank_code']}-{payee['branch_code']}-{payee['account_number']}"
        actions["new_payee_velocity"] = ctx.signal(bank, Signal("new_payee_velocity", payer["id"], item=payee_key,
                                                                subject=payer["id"]))
    return [rule for rule, action in actions.items() if action == "step_up"]


def hold(ctx: Context, transfer: dict, request: dict, why: list[str], payer: dict) -> dict:
    """Keep a transfer for approval; return it as the client sees it (status `pending_approval`). In `write`."""
    now = ctx.now()
    policy = ctx.rules(payer["bank_code"]).approval
    expires = (now + timedelta(minutes=policy.expires_minutes)).isoformat(timespec="seconds")
    preview = {**transfer, "status": "pending_approval"}
    ctx.db.conn.execute(
        "INSERT INTO approvals (transfer_id, request, preview, reasons, customer_id, connector_id, status, requested_at, "
        "expires_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
        (transfer["id"], json.dumps(request, ensure_ascii=False), json.dumps(preview, ensure_ascii=False),
         json.dumps(why), payer["customer_id"], ctx.connector_id, now.isoformat(timespec="seconds"), expires))
    return _shown(ctx, preview, why, "pending", expires)


def find(ctx: Context, transfer_id: str) -> dict | None:
    """The transfer as the client sees it while it waits (or after it was rejected or expired), or None."""
    row = _row(ctx, transfer_id)
    if row is None or row["status"] == "approved":
        return None
    return _shown(ctx, row["preview"], row["reasons"], _status(ctx, row), row["expires_at"])


def pending(ctx: Context, transfer_id: str) -> dict:
    """The stored approval (request, preview, customer), or `approval_not_found`."""
    row = _row(ctx, transfer_id)
    if row is None:
        raise SandboxError("approval_not_found", f"no transfer {transfer_id!r} waits for approval",
                           transfer_id=str(transfer_id))
    row["status"] = _status(ctx, row)
    return row


def list_pending(ctx: Context, payer_ids: list[str] | None = None, bank_code: str | None = None,
                 date_from: str | None = None, date_to: str | None = None, limit: int = 100,
                 cursor: int | None = None) -> dict:
    """Transfers still waiting for their customer's approval, newest first, each with its approval.

    Filtered like `transfers.list_transfers`: by payer (accounts), the payer's bank and execution date;
    `cursor` is the row number the previous page handed out. One that ran out of time is not listed.
    """
    clauses, params = ["status = 'pending'", "expires_at > ?"], [ctx.now().isoformat(timespec="seconds")]
    payer = "json_extract(preview, '$.from_account_id')"
    if payer_ids is not None:
        clauses.append(f"{payer} IN ({', '.join('?' * len(payer_ids))})")
        params.extend(payer_ids)
    if bank_code is not None:
        clauses.append(f"{payer} IN (SELECT id FROM accounts WHERE bank_code = ?)")
        params.append(bank_code)
    for bound, operator in ((date_from, ">="), (date_to, "<=")):
        if bound:
            clauses.append(f"json_extract(preview, '$.execution_date') {operator} ?")
            params.append(bound)
    if cursor is not None:
        clauses.append("rowid < ?")
        params.append(cursor)
    rows = ctx.db.conn.execute(
        f"SELECT rowid, preview, reasons, expires_at FROM approvals WHERE {' AND '.join(clauses)} "
        "ORDER BY rowid DESC LIMIT ?", (*params, limit + 1)).fetchall()
    items = [_shown(ctx, json.loads(preview), json.loads(why), "pending", expires) for _, preview, why, expires
             in rows[:limit]]
    return {"transfers": items, "next_cursor": str(rows[limit - 1][0]) if len(rows) > limit else None}


def mark(ctx: Context, transfer_id: str, status: str) -> None:
    ctx.db.conn.execute("UPDATE approvals SET status = ?, decided_at = ? WHERE transfer_id = ?",
                        (status, ctx.now().isoformat(timespec="seconds"), transfer_id))


def expire_due(ctx: Context) -> None:
    """Mark every approval whose time ran out as expired (the clock moved on). In `write`."""
    now = ctx.now().isoformat(timespec="seconds")
    ctx.db.conn.execute("UPDATE approvals SET status = 'expired', decided_at = ? WHERE status = 'pending' AND "
                        "expires_at <= ?", (now, now))


def _row(ctx: Context, transfer_id) -> dict | None:
    row = ctx.db.conn.execute(
        "SELECT transfer_id, request, preview, reasons, customer_id, connector_id, status, requested_at, expires_at, "
        "decided_at FROM approvals WHERE transfer_id = ?", (str(transfer_id),)).fetchone()
    if row is None:
        return None
    data = dict(zip(("transfer_id", "request", "preview", "reasons", "customer_id", "connector_id", "status",
                     "requested_at", "expires_at", "decided_at"), row))
    for name in ("request", "preview", "reasons"):
        data[name] = json.loads(data[name])
    return data


def _status(ctx: Context, row: dict) -> str:
    if row["status"] == "pending" and datetime.fromisoformat(row["expires_at"]) <= ctx.now():
        return "expired"
    return row["status"]


def _shown(ctx: Context, preview: dict, why: list, status: str, expires_at: str) -> dict:
    shown = {"pending": "pending_approval", "rejected": "approval_rejected", "expired": "approval_expired"}[status]
    return {**preview, "status": shown, "approval": {
        "reasons": list(why), "expires_at": expires_at, "status": status,
        "url": f"{APPROVAL_PAGE}?workspace={ctx.workspace}&transfer={preview['id']}"}}
