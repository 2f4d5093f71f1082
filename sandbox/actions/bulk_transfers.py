"""Bulk transfers (総合振込): up to 9,999 payments from one account on one designated date.

A batch arrives as JSON items or as a Zengin file (sandbox/domain/zengin.py). Each item is checked as a
single transfer's payee is (bank and branch, account, holder name, amount, per-transfer limit, fee by
route: the rules of sandbox/actions/transfers.py), and every refusal is reported at once, one entry per
item (`invalid_bulk_items`): a batch with a bad item is refused whole and writes nothing. The batch's
total counts towards the payer's daily limit on its date.

A batch executes on its date at the payer bank's cut-off, when the sandbox clock gets there (`run_due`).
One movement debits the payer once for the amounts and once for the fees and credits every payee,
through the banks' clearing accounts or, for banks outside the sandbox, the suspense account. An item
whose payee account was frozen or closed meanwhile fails alone; when the payer cannot pay for the rest,
the whole batch fails and nothing moves. A scheduled batch can be cancelled; an executed item can be
returned (組戻し) on its own, its fee staying charged.
"""

from __future__ import annotations

import base64
from datetime import date, datetime

from ..domain import zengin
from ..domain.calendar import JST, parse_date
from ..domain.errors import SandboxError
from ..domain.identifiers import new_id
from ..domain.money import Leg, Movement, parse_yen
from ..domain.transfers import plan_execution, route
from ..store import ledger
from ..store.database import write
from . import accounts, events, idempotency
from .context import Context, optional_text
from .transfers import (
    FEE_TEXT,
    check_daily_limit,
    check_per_transfer_limit,
    count_towards_limit,
    require_funds,
    resolve_payee,
    return_legs,
)

_BATCH = ("id, from_account_id, execution_date, status, item_count, total_amount, total_fee, debited, requested_at,"
          " executed_at, cancelled_at, failure_code, movement_id, payer_name, requester_code, source, client_reference,"
          " connector_id")
_BATCH_FIELDS = [c.strip() for c in _BATCH.split(",")]
_ITEM = ("no, to_bank_code, to_branch_code, to_account_type, to_account_number, to_name, to_account_id, route,"
         " destination, amount, fee, status, failure_code, client_reference, returned_at, return_movement_id")
_ITEM_FIELDS = [c.strip() for c in _ITEM.split(",")]
ITEM_STATUSES = ("scheduled", "executed", "failed", "cancelled", "returned")
DEBIT_TEXT = "ｿｳｺﾞｳﾌﾘｺﾐ"
# Item refusals listed in one error (the rest are counted): enough to fix a file, small enough to read.
MAX_LISTED_REFUSALS = 100


def create(ctx: Context, from_account_id=None, items=None, execution_date=None, file=None, client_reference=None,
           idempotency_key=None) -> dict:
    """Accept a batch, given as JSON (`from_account_id`, `items`) or as a Zengin `file`; it is scheduled for its date."""
    if file is not None:
        if from_account_id is not None or items is not None:
            raise SandboxError("invalid_request", "send either a Zengin file or JSON items, not both", field="file")
        request = _request_from_file(ctx, file)
    else:
        request = _request_from_json(from_account_id, items, execution_date, client_reference)
    return idempotency.once(ctx, "bulk_transfers.create", idempotency_key, request, lambda: _insert(ctx, request))


def _request_from_json(from_account_id, items, execution_date, client_reference) -> dict:
    """The canonical request of a JSON batch (shape only; the books are read later)."""
    if from_account_id in (None, ""):
        raise SandboxError("invalid_request", "from_account_id is required", field="from_account_id")
    if not isinstance(items, list) or not items:
        raise SandboxError("invalid_request", "items must be a non-empty list of payments", field="items")
    _check_count(len(items))
    return {
        "source": "json",
        "payer": {"account_id": from_account_id},
        # Only an absent date means "the next one possible": an empty or malformed one is refused.
        "execution_date": parse_date(execution_date, "execution_date").isoformat() if execution_date is not None else None,
        "items": [_item_request(item) for item in items],
        "client_reference": optional_text(client_reference, "client_reference", 64),
        "requester_code": None,
        "requester_name": None,
    }


def _item_request(item) -> dict:
    if not isinstance(item, dict):
        return {"to": None, "amount": None, "client_reference": None}
    return {"to": item.get("to"), "amount": item.get("amount"), "client_reference": item.get("client_reference")}


def _request_from_file(ctx: Context, file) -> dict:
    """The canonical request of a Zengin file: the payer by its coordinates, the date from the header's MMDD."""
    bulk = zengin.parse(_file_content(file))
    _check_count(len(bulk.payments))
    head = bulk.header
    return {
        "source": "zengin",
        "payer": {"bank_code": head.bank_code, "branch_code": head.branch_code, "account_type": head.account_type,
                  "account_number": head.account_number},
        "execution_date": _designated_date(head.transfer_date, ctx.now()).isoformat(),
        "items": [{"to": {"bank_code": p.bank_code, "branch_code": p.branch_code, "account_type": p.account_type,
                          "account_number": p.account_number, "name": p.name},
                   "amount": p.amount, "client_reference": p.reference.strip() or None}
                  for p in bulk.payments],
        "client_reference": None,
        "requester_code": head.requester_code,
        "requester_name": head.requester_name or None,
    }


def _file_content(file) -> bytes | str:
    """The file as sent: bytes, or text; or text in base64, as a request document carries bytes that are not UTF-8.

    Every Zengin file starts with its header's data kind `1`, which base64 writes as `M`: a text that
    does not start with `1` and decodes as base64 is that encoding, anything else is the file itself
    (and is judged by the codec).
    """
    if isinstance(file, str) and not file.startswith("1"):
        try:
            return base64.b64decode(file, validate=True)
        except ValueError:
            return file
    return file


def _check_count(count: int) -> None:
    if count > zengin.MAX_PAYMENTS:
        raise SandboxError("invalid_request", f"a bulk transfer carries at most {zengin.MAX_PAYMENTS} payments, "
                                              f"this one {count}", field="items")


def _designated_date(mmdd: str, now: datetime) -> date:
    """The next date (today included) with this month and day: a file names its day without the year."""
    today = now.astimezone(JST).date()
    for year in (today.year, today.year + 1):
        try:
            day = date(year, int(mmdd[:2]), int(mmdd[2:]))
        except ValueError:
            continue  # 29 February of a year without it: try the next
        if day >= today:
            return day
    raise SandboxError("invalid_date", f"the header's transfer date {mmdd} is not a month and day (MMDD)",
                       field="transfer_date", record=1)


def _payer(ctx: Context, payer: dict) -> dict:
    if "account_id" in payer:
        return accounts.load(ctx, payer["account_id"])
    found = accounts.find(ctx, payer["bank_code"], payer["branch_code"], payer["account_type"], payer["account_number"])
    return accounts.load(ctx, found["id"])  # within the caller's reach, as any account it pays from


def _insert(ctx: Context, request: dict) -> dict:
    """Check the batch against the books and the bank's rules, then write it scheduled. Call inside `write`."""
    now = ctx.now()
    payer = _payer(ctx, request["payer"])
    accounts.require_active(payer, "payer")
    rules = ctx.rules(payer["bank_code"])
    requested = parse_date(request["execution_date"]) if request["execution_date"] else None
    # A batch never runs at once and never around the clock: it runs at the cut-off of a business day.
    plan = plan_execution(now, rules, False, requested, "refuse" if requested else "next")
    day = plan.execution_date.isoformat()
    items, refusals = [], []
    for no, item in enumerate(request["items"], start=1):
        try:
            items.append(_checked_item(ctx, rules, payer, no, item))
        except SandboxError as refusal:
            refusals.append({"item": no, "code": refusal.code, "message": refusal.message,
                             **({"field": refusal.details["field"]} if "field" in refusal.details else {})})
    if refusals:
        raise SandboxError("invalid_bulk_items", f"{len(refusals)} of {len(request['items'])} items are refused "
                                                 f"(item {refusals[0]['item']}: {refusals[0]['message']})",
                           refused=len(refusals), items=refusals[:MAX_LISTED_REFUSALS])
    total = sum(item["amount"] for item in items)
    check_daily_limit(ctx, rules, payer, total, day)
    batch_id = new_id("blk")
    at = now.isoformat(timespec="seconds")
    row = {"id": batch_id, "from_account_id": payer["id"], "execution_date": day, "status": "scheduled",
           "item_count": len(items), "total_amount": total, "total_fee": sum(item["fee"] for item in items),
           "debited": None, "requested_at": at, "executed_at": None, "cancelled_at": None, "failure_code": None,
           "movement_id": None, "payer_name": request["requester_name"] or payer["holder_kana"],
           "requester_code": request["requester_code"], "source": request["source"],
           "client_reference": request["client_reference"], "connector_id": ctx.connector_id}
    conn = ctx.db.conn
    conn.execute(f"INSERT INTO bulk_transfers ({_BATCH}) VALUES ({', '.join('?' * len(_BATCH_FIELDS))})",
                 tuple(row[f] for f in _BATCH_FIELDS))
    conn.executemany(
        f"INSERT INTO bulk_transfer_items (bulk_transfer_id, {_ITEM}) VALUES (?, {', '.join('?' * len(_ITEM_FIELDS))})",
        [(batch_id, *(item.get(f) for f in _ITEM_FIELDS)) for item in items],
    )
    count_towards_limit(ctx, payer["id"], day, total)
    batch = _summary(ctx, row)
    events.emit(ctx, "bulk_transfer.created", batch)
    return batch


def _checked_item(ctx: Context, rules, payer: dict, no: int, item: dict) -> dict:
    """One item as a stored row, or the refusal a single transfer to that payee would meet."""
    to = item["to"]
    if not isinstance(to, dict):
        raise SandboxError("invalid_request", "to must be an object naming the payee's account", field="to")
    amount = parse_yen(item["amount"])
    payee = resolve_payee(ctx, payer, to)
    if payee["account"] is not None:
        accounts.require_active(payee["account"], "payee")
    check_per_transfer_limit(rules, payer, amount)
    kind = route(payer["bank_code"], payer["branch_code"], payee["bank_code"], payee["branch_code"])
    return {"no": no, "to_bank_code": payee["bank_code"], "to_branch_code": payee["branch_code"],
            "to_account_type": payee["account_type"], "to_account_number": payee["account_number"],
            "to_name": payee["name"], "to_account_id": payee["account"] and payee["account"]["id"], "route": kind,
            "destination": payee["destination"], "amount": amount, "fee": rules.fees.fee(kind, amount),
            "status": "scheduled", "client_reference": optional_text(item["client_reference"], "client_reference", 20)}


def _summary(ctx: Context, row: dict) -> dict:
    """A batch as actions return it: its row, its totals and how many items stand in each status."""
    counts = dict.fromkeys(ITEM_STATUSES, 0)
    counts.update(ctx.db.conn.execute(
        "SELECT status, count(*) FROM bulk_transfer_items WHERE bulk_transfer_id = ? GROUP BY status", (row["id"],)
    ).fetchall())
    return {**row, "total": row["total_amount"] + row["total_fee"], "currency": "JPY", "item_counts": counts}


def _load_row(ctx: Context, bulk_transfer_id) -> dict:
    row = ctx.db.conn.execute(f"SELECT {_BATCH} FROM bulk_transfers WHERE id = ?", (str(bulk_transfer_id),)).fetchone()
    if row is None or not ctx.sees_account(row[1]) or not (
            ctx.reaches(row[1]) or (ctx.connector_id is not None and row[-1] == ctx.connector_id)):
        raise SandboxError("bulk_transfer_not_found", f"no bulk transfer {bulk_transfer_id!r}",
                           bulk_transfer_id=str(bulk_transfer_id))
    return dict(zip(_BATCH_FIELDS, row))


def get(ctx: Context, bulk_transfer_id) -> dict:
    """The batch, its totals and its items' statuses (the items themselves: `items`)."""
    return _summary(ctx, _load_row(ctx, bulk_transfer_id))


def list_items(ctx: Context, bulk_transfer_id, status=None, limit=100, cursor=None) -> dict:
    """The batch's items in the order sent, a page at a time (optionally one status), with the batch itself."""
    batch = _load_row(ctx, bulk_transfer_id)
    clauses, params = ["bulk_transfer_id = ?"], [batch["id"]]
    if status is not None:
        if status not in ITEM_STATUSES:
            raise SandboxError("invalid_request", f"unknown item status {status!r}", field="status")
        clauses.append("status = ?")
        params.append(status)
    if cursor:
        clauses.append("no > ?")
        params.append(accounts.numeric_cursor(cursor))
    limit = accounts._page_size(limit)
    rows = ctx.db.conn.execute(
        f"SELECT {_ITEM} FROM bulk_transfer_items WHERE {' AND '.join(clauses)} ORDER BY no LIMIT ?", (*params, limit + 1)
    ).fetchall()
    page = [_item(batch["id"], row) for row in rows[:limit]]
    return {"bulk_transfer_id": batch["id"], "bulk_transfer": _summary(ctx, batch), "items": page,
            "next_cursor": str(page[-1]["item_no"]) if len(rows) > limit else None}


def _item(bulk_transfer_id: str, row) -> dict:
    data = {"bulk_transfer_id": bulk_transfer_id, **dict(zip(_ITEM_FIELDS, row))}
    data["item_no"] = data.pop("no")
    data["to"] = {"bank_code": data.pop("to_bank_code"), "branch_code": data.pop("to_branch_code"),
                  "account_type": data.pop("to_account_type"), "account_number": data.pop("to_account_number"),
                  "name": data.pop("to_name"), "account_id": data.pop("to_account_id")}
    data["currency"] = "JPY"
    return data


def cancel(ctx: Context, bulk_transfer_id) -> dict:
    """Cancel a scheduled batch, every item with it; its total no longer counts towards the daily limit."""
    with write(ctx.db):
        batch = _load_row(ctx, bulk_transfer_id)
        if batch["status"] != "scheduled":
            raise SandboxError("not_cancellable", f"bulk transfer {batch['id']} is {batch['status']}",
                               status=batch["status"])
        at = ctx.now().isoformat(timespec="seconds")
        conn = ctx.db.conn
        conn.execute("UPDATE bulk_transfers SET status = 'cancelled', cancelled_at = ? WHERE id = ?", (at, batch["id"]))
        conn.execute("UPDATE bulk_transfer_items SET status = 'cancelled' WHERE bulk_transfer_id = ?", (batch["id"],))
        count_towards_limit(ctx, batch["from_account_id"], batch["execution_date"], -batch["total_amount"])
        cancelled = _summary(ctx, {**batch, "status": "cancelled", "cancelled_at": at})
        events.emit(ctx, "bulk_transfer.cancelled", cancelled)
        return cancelled


def run_due(ctx: Context) -> dict:
    """Execute every scheduled batch whose date has come and whose bank's cut-off has passed, oldest first."""
    now = ctx.now()
    local = now.astimezone(JST)
    rows = ctx.db.conn.execute(
        "SELECT b.id, b.execution_date, b.connector_id, a.bank_code FROM bulk_transfers b"
        " JOIN accounts a ON a.id = b.from_account_id"
        " WHERE b.status = 'scheduled' AND b.execution_date <= ? ORDER BY b.execution_date, b.rowid",
        (local.date().isoformat(),),
    ).fetchall()
    executed, failed, held = [], [], []
    for batch_id, execution_date, connector_id, bank_code in rows:
        if execution_date == local.date().isoformat() and local.time() < ctx.rules(bank_code).cutoff:
            continue
        if connector_id in ctx.held:
            held.append(batch_id)
            continue
        with write(ctx.db):
            batch = dict(zip(_BATCH_FIELDS, ctx.db.conn.execute(
                f"SELECT {_BATCH} FROM bulk_transfers WHERE id = ?", (batch_id,)).fetchone()))
            if batch["status"] != "scheduled":
                continue  # another worker ran it
            (executed if _execute(ctx, batch, now) else failed).append(batch_id)
    return {"executed": executed, "failed": failed, "held": held}


def _execute(ctx: Context, batch: dict, now: datetime) -> bool:
    """Run one batch (inside `write`): one movement for every item that can be paid, or fail it whole."""
    conn = ctx.db.conn
    at = now.isoformat(timespec="seconds")
    rows = conn.execute(
        "SELECT i.no, i.to_account_id, i.to_bank_code, i.destination, i.amount, i.fee, a.status"
        " FROM bulk_transfer_items i LEFT JOIN accounts a ON a.id = i.to_account_id"
        " WHERE i.bulk_transfer_id = ? AND i.status = 'scheduled' ORDER BY i.no", (batch["id"],),
    ).fetchall()
    # A payee account frozen or closed since the batch was accepted refuses its item alone.
    unpaid = [(f"account_{row[6]}", row[0], row[4]) for row in rows if row[6] in ("frozen", "closed")]
    paid = [row for row in rows if row[6] not in ("frozen", "closed")]
    conn.executemany("UPDATE bulk_transfer_items SET status = 'failed', failure_code = ? WHERE bulk_transfer_id = ? AND no = ?",
                     [(code, batch["id"], no) for code, no, _ in unpaid])
    payer = accounts.load(ctx, batch["from_account_id"], own=False)
    amount, fee = sum(row[4] for row in paid), sum(row[5] for row in paid)
    try:
        accounts.require_active(payer, "payer")
        if not paid:
            raise SandboxError(unpaid[0][0], "no payee of the batch can take money any more")
        require_funds(payer, amount + fee)
    except SandboxError as refusal:
        conn.execute("UPDATE bulk_transfers SET status = 'failed', failure_code = ? WHERE id = ?",
                     (refusal.code, batch["id"]))
        conn.execute("UPDATE bulk_transfer_items SET status = 'failed', failure_code = ?"
                     " WHERE bulk_transfer_id = ? AND status = 'scheduled'", (refusal.code, batch["id"]))
        count_towards_limit(ctx, payer["id"], batch["execution_date"], -batch["total_amount"])
        events.emit(ctx, "bulk_transfer.failed", _summary(ctx, {**batch, "status": "failed", "failure_code": refusal.code}))
        return False
    movement_id = ledger.post(ctx.db, Movement("bulk_transfer", tuple(_legs(ctx, payer, batch, paid, amount, fee))),
                              now, batch["id"])
    conn.execute("UPDATE bulk_transfer_items SET status = 'executed' WHERE bulk_transfer_id = ? AND status = 'scheduled'",
                 (batch["id"],))
    conn.execute("UPDATE bulk_transfers SET status = 'executed', executed_at = ?, movement_id = ?, debited = ? WHERE id = ?",
                 (at, movement_id, amount + fee, batch["id"]))
    if unpaid:  # what they no longer take from the payer's daily limit
        count_towards_limit(ctx, payer["id"], batch["execution_date"], -sum(item[2] for item in unpaid))
    events.emit(ctx, "bulk_transfer.executed", _summary(ctx, {**batch, "status": "executed", "executed_at": at,
                                                               "movement_id": movement_id, "debited": amount + fee}))
    return True


def _legs(ctx: Context, payer: dict, batch: dict, paid: list, amount: int, fee: int) -> list[Leg]:
    """The batch's movement: the payer's one debit of the amounts (and one of the fees), each payee's credit.

    Money for other sandbox banks crosses through both banks' clearing accounts, and money for banks
    outside the sandbox leaves through the payer bank's suspense account: one leg per bank, not per item.
    """
    payer_bank = payer["bank_code"]
    debit_text = f"{DEBIT_TEXT} {len(paid)}ｹﾝ"
    credit_text = f"ﾌﾘｺﾐ {batch['payer_name']}"[:48]
    legs = [Leg(payer["id"], -amount, debit_text)]
    leaving: dict[str, int] = {}  # other sandbox banks (clearing) and the suspense account, by bank code
    for _, payee_id, payee_bank, destination, item_amount, _, _ in paid:
        if destination == "external":
            leaving["suspense"] = leaving.get("suspense", 0) + item_amount
            continue
        if destination == "sandbox":
            leaving[payee_bank] = leaving.get(payee_bank, 0) + item_amount
        legs.append(Leg(payee_id, item_amount, credit_text))
    for where, total in leaving.items():
        if where == "suspense":
            legs.append(Leg(ctx.internal_account(payer_bank, "suspense"), total, debit_text))
        else:
            legs += [Leg(ctx.internal_account(payer_bank, "clearing"), total, debit_text),
                     Leg(ctx.internal_account(where, "clearing"), -total, credit_text)]
    if fee:
        legs += [Leg(payer["id"], -fee, FEE_TEXT), Leg(ctx.internal_account(payer_bank, "fee_income"), fee, FEE_TEXT)]
    return legs


def return_item(ctx: Context, bulk_transfer_id, item_no, reason=None) -> dict:
    """Return (組戻し) one executed item: its amount goes back to the payer; its fee stays charged."""
    reason = optional_text(reason, "reason", 64)
    with write(ctx.db):
        batch = _load_row(ctx, bulk_transfer_id)
        no = _item_number(item_no)
        row = ctx.db.conn.execute(f"SELECT {_ITEM} FROM bulk_transfer_items WHERE bulk_transfer_id = ? AND no = ?",
                                  (batch["id"], no)).fetchone()
        if row is None:
            raise SandboxError("bulk_transfer_not_found", f"bulk transfer {batch['id']} has no item {no}",
                               bulk_transfer_id=batch["id"], item=no)
        item = _item(batch["id"], row)
        if item["status"] != "executed":
            raise SandboxError("not_returnable", f"item {no} of bulk transfer {batch['id']} is {item['status']}",
                               status=item["status"])
        now = ctx.now()
        payer = accounts.load(ctx, batch["from_account_id"], own=False)
        legs = return_legs(ctx, payer, item["to"], item["destination"], item["amount"], batch["payer_name"])
        movement_id = ledger.post(ctx.db, Movement("transfer_return", tuple(legs)), now, f"{batch['id']}/{no}")
        at = now.isoformat(timespec="seconds")
        ctx.db.conn.execute(
            "UPDATE bulk_transfer_items SET status = 'returned', returned_at = ?, return_movement_id = ?, failure_code = ?"
            " WHERE bulk_transfer_id = ? AND no = ?", (at, movement_id, reason, batch["id"], no))
        returned = {**item, "status": "returned", "returned_at": at, "return_movement_id": movement_id,
                    "failure_code": reason}
        events.emit(ctx, "bulk_transfer.item_returned", {**returned, "id": batch["id"], "connector_id": batch["connector_id"]})
        return returned


def _item_number(value) -> int:
    text = str(value)
    if isinstance(value, bool) or not (text.isascii() and text.isdigit() and 1 <= int(text) <= zengin.MAX_PAYMENTS):
        raise SandboxError("invalid_request", f"an item number runs from 1 to {zengin.MAX_PAYMENTS}, got {value!r}",
                           field="item_no")
    return int(text)
