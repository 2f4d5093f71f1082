"""Transfers (振込): fee quotes, requests, status, cancellation, execution of what falls due, returns.

A request is checked in full before anything is written (accounts, names, limits, dates); then, in one
write transaction, it is either executed at once — one movement with the amount and the fee — or
scheduled for its execution date, when `run_due` executes it if the money is there, or fails it.

The checks that only read (parsing, the payee and its name, fee, calendar) run before the workspace's
writer lock is taken; inside it, only what another writer can change is read again (the accounts'
status and balance, the day's total, the approval counts) before the rows are written.
"""

from __future__ import annotations

from functools import lru_cache

from ..domain.abuse import Signal
from ..domain.calendar import HOLIDAY_RULES, parse_date
from ..domain.clock import in_jst
from ..domain.errors import SandboxError
from ..domain.identifiers import new_id, parse_account_number, parse_account_type, parse_bank_code, parse_branch_code
from ..domain.kana import to_zengin
from ..domain.money import Leg, Movement, parse_yen
from ..domain.transfers import due, plan_execution, route
from ..store import ledger
from ..store.database import pipeline, write
from . import accounts, approvals, events, idempotency, scenarios
from .beneficiaries import _check_branch, holder_matches
from .context import Context, optional_text, require
from .directory import check_outside_bank

_COLUMNS = (
    "id, from_account_id, to_bank_code, to_branch_code, to_account_type, to_account_number, to_name, to_account_id,"
    " route, destination, amount, fee, status, requested_at, execution_date, executed_at, cancelled_at, returned_at,"
    " failure_code, movement_id, payer_name, memo, client_reference, connector_id, consent_id"
)
_FIELDS = [c.strip() for c in _COLUMNS.split(",")]
_INSERT = f"INSERT INTO transfers ({_COLUMNS}) VALUES ({', '.join('?' * len(_FIELDS))})"
FEE_TEXT = "ﾃｽｳﾘｮｳ"
REQUEST_FIELDS = ("from_account_id", "to", "amount", "execution_date", "holiday_rule", "memo", "client_reference")


def _transfer(row) -> dict:
    """A transfer as the API answers it, from its row (the columns in `_FIELDS`' order)."""
    return _shaped(dict(zip(_FIELDS, row)))


def _shaped(data: dict) -> dict:
    """A transfer as the API answers it, from a copy of its row by column (changed in place)."""
    data["currency"] = "JPY"
    data["total"] = data["amount"] + data["fee"]
    data["to"] = {
        "bank_code": data.pop("to_bank_code"),
        "branch_code": data.pop("to_branch_code"),
        "account_type": data.pop("to_account_type"),
        "account_number": data.pop("to_account_number"),
        "name": data.pop("to_name"),
        "account_id": data.pop("to_account_id"),
    }
    return data


def _load(ctx: Context, transfer_id) -> dict:
    row = ctx.db.conn.execute(f"SELECT {_COLUMNS} FROM transfers WHERE id = ?", (str(transfer_id),)).fetchone()
    if row is None:
        waiting = approvals.find(ctx, str(transfer_id))
        if waiting is not None and ctx.sees_account(waiting["from_account_id"]) and (
                ctx.reaches(waiting["from_account_id"]) or waiting["connector_id"] == ctx.connector_id):
            return waiting
    if row is None or not ctx.sees_account(row[1]):
        raise SandboxError("transfer_not_found", f"no transfer {transfer_id!r}", transfer_id=str(transfer_id))
    transfer = _transfer(row)
    # A connector always sees the transfers it made itself (e.g. from a consent, with its own token).
    made_by_caller = ctx.connector_id is not None and transfer["connector_id"] == ctx.connector_id
    if not (ctx.reaches(row[1]) or made_by_caller):
        raise SandboxError("transfer_not_found", f"no transfer {transfer_id!r}", transfer_id=str(transfer_id))
    return transfer


def resolve_payee(ctx: Context, payer: dict, to: dict, asked=None, coordinates=None) -> dict:
    """Resolve where the money goes: an account in a sandbox bank, or a real bank outside it.

    `asked`: the payee account's row, asked for already (`_ask_parties`); `coordinates`: `to`'s, parsed
    already (`_coordinates`), so they are not parsed again.
    """
    bank_code, branch_code, type_, number = coordinates or _parse_coordinates(to)
    name = to_zengin(to.get("name"), "beneficiary name")
    bank = ctx.bank(bank_code)
    payee = {"bank_code": bank_code, "branch_code": branch_code, "account_type": type_, "account_number": number, "name": name}
    if bank is None:
        check_outside_bank(bank_code, branch_code)
        return {**payee, "account": None, "destination": "external", "moretime": False}
    _check_branch(ctx, bank_code, branch_code)
    account = accounts.find(ctx, bank_code, branch_code, type_, number, role="payee", asked=asked)
    if account["id"] == payer["id"]:
        raise SandboxError("same_account", "the payer and the payee are the same account")
    if not holder_matches(ctx, name, account["holder_kana"]):
        raise SandboxError(
            "beneficiary_name_mismatch",
            f"the beneficiary name {name!r} does not match the account holder",
            given=name,
        )
    destination = "internal" if bank_code == payer["bank_code"] else "sandbox"
    return {**payee, "account": account, "destination": destination, "moretime": bank["rules"].moretime}


def quote_fee(ctx: Context, from_account_id, to_bank_code, to_branch_code, amount) -> dict:
    """The fee the payer's bank charges for this route and amount."""
    payer = accounts.load(ctx, from_account_id, role="payer")
    amount = parse_yen(amount)
    bank_code, branch_code = parse_bank_code(to_bank_code), parse_branch_code(to_branch_code)
    if ctx.bank(bank_code) is None:
        check_outside_bank(bank_code, branch_code)
    else:
        _check_branch(ctx, bank_code, branch_code)
    rules = ctx.rules(payer["bank_code"])
    kind = route(payer["bank_code"], payer["branch_code"], bank_code, branch_code)
    return {
        "from_account_id": payer["id"],
        "to_bank_code": bank_code,
        "to_branch_code": branch_code,
        "amount": amount,
        "route": kind,
        "fee": rules.fees.fee(kind, amount),
        "fee_threshold": rules.fees.threshold,
        "currency": "JPY",
    }


def parse_request(from_account_id=None, to=None, amount=None, execution_date=None, holiday_rule="next",
                  memo=None, client_reference=None) -> dict:
    """Check the shape of a transfer request (no database); return it in canonical form."""
    require({"from_account_id": from_account_id, "to": to, "amount": amount}, "from_account_id", "to", "amount")
    if not isinstance(to, dict):
        raise SandboxError("invalid_request", "to must be an object naming the payee's account", field="to")
    holiday_rule = holiday_rule or "next"
    if holiday_rule not in HOLIDAY_RULES:
        raise SandboxError("invalid_request", f"holiday_rule must be one of {', '.join(HOLIDAY_RULES)}", field="holiday_rule")
    return {
        "from_account_id": from_account_id,
        "to": {k: to.get(k) for k in ("bank_code", "branch_code", "account_type", "account_number", "name")},
        "amount": parse_yen(amount),
        # Only an absent date means "today": an empty or malformed one is refused, never read as today.
        "execution_date": parse_date(execution_date, "execution_date").isoformat() if execution_date is not None else None,
        "holiday_rule": holiday_rule,
        "memo": optional_text(memo, "memo"),
        "client_reference": optional_text(client_reference, "client_reference", 64),
    }


def prepare(ctx: Context, request: dict, *, own: bool = True) -> dict:
    """Check a canonical request against the books and the bank's rules; return what would happen.

    `own`: the caller pays from an account within its reach; a payment a customer consented to
    (`consent_id`) carries its own authority instead.
    """
    now = ctx.now()
    asked = _ask_parties(ctx, request, now)
    payer_row = _Kept(asked["payer"]) if asked["payer"] is not None else None
    payer = accounts.load(ctx, request["from_account_id"], own=own, role="payer", asked=payer_row)
    accounts.require_active(payer, "payer")
    payee = resolve_payee(ctx, payer, request["to"], asked=asked["payee"], coordinates=asked["coordinates"])
    if payee["account"] is not None:
        accounts.require_active(payee["account"], "payee")
    rules = ctx.rules(payer["bank_code"])
    kind = route(payer["bank_code"], payer["branch_code"], payee["bank_code"], payee["branch_code"])
    amount = request["amount"]
    requested = parse_date(request["execution_date"]) if request["execution_date"] else None
    plan = plan_execution(now, rules, payee["moretime"], requested, request["holiday_rule"])
    day = plan.execution_date.isoformat()
    check_per_transfer_limit(rules, payer, amount)
    # The day whose total was asked for is the one the transfer runs on, or it is read again.
    used = (payer_row.fetchone()[-1] or 0) if asked["day"] == day else None
    check_daily_limit(ctx, rules, payer, amount, day, used=used)
    ctx.internal_accounts()  # read now, so that the write lock is not held for them
    # `day`: the execution date as stored, written once here for the reads and rows that name it.
    return {"payer": payer, "payee": payee, "route": kind, "fee": rules.fees.fee(kind, amount), "plan": plan, "now": now,
            "day": day}


def _ask_parties(ctx: Context, request: dict, now) -> dict:
    """Send the reads `prepare` needs, to be read there: the payer with its total on the day asked for
    (or today) as a column of its row, and the payee when its coordinates name a sandbox bank's account.
    On PostgreSQL they travel together and come back in one round trip. What cannot be asked (an id or
    coordinates that name nothing) is left for `prepare`, which refuses it in its usual order."""
    payer_id, day = request["from_account_id"], request["execution_date"] or in_jst(now).date().isoformat()
    parsed = coordinates = _coordinates(request["to"])
    if coordinates is not None and ctx.bank(coordinates[0]) is None:
        coordinates = None  # a bank outside the sandbox: no account to read
    with pipeline(ctx.db):
        return {"payer": accounts.ask(ctx, payer_id, (_TOTAL_ON_DAY, (day,))),
                "payee": accounts.ask_at(ctx, *coordinates) if coordinates is not None else None,
                "day": day if isinstance(payer_id, str) else None, "coordinates": parsed}


# What the account `a` has paid on a day so far (NULL: nothing), asked beside its row.
_TOTAL_ON_DAY = "(SELECT d.amount FROM daily_totals d WHERE d.account_id = a.id AND d.day = ?)"


class _Kept:
    """An answer of one row, read once and kept: `accounts.load` reads the payer's row from it, and
    `prepare` the day's total beside it."""

    def __init__(self, cursor):
        self._cursor, self._row, self._read = cursor, None, False

    def fetchone(self):
        if not self._read:
            self._row, self._read = self._cursor.fetchone(), True
        return self._row


def _parse_coordinates(to: dict) -> tuple[str, str, str, str]:
    """The payee's bank, branch, account type and number, each refused when malformed, in that order."""
    return (parse_bank_code(to.get("bank_code")), parse_branch_code(to.get("branch_code")),
            parse_account_type(to.get("account_type", "1")).value, parse_account_number(to.get("account_number")))


def _coordinates(to: dict) -> tuple[str, str, str, str] | None:
    """The payee's parsed coordinates, or None when any of them is malformed (refused later, in order)."""
    try:
        return _parse_coordinates(to)
    except SandboxError:
        return None


def create(ctx: Context, from_account_id=None, to=None, amount=None, execution_date=None, holiday_rule="next",
           memo=None, client_reference=None, idempotency_key=None) -> dict:
    """Request a transfer; it executes now or is scheduled (see the module docstring)."""
    request = parse_request(from_account_id, to, amount, execution_date, holiday_rule, memo, client_reference)
    return idempotency.once(ctx, "transfers.create", idempotency_key, request,
                            lambda prepared, asked: insert(ctx, request, prepared=prepared, asked=asked),
                            prepare=lambda: prepare(ctx, request), ahead=lambda prepared: ask_again(ctx, prepared))


def ask_again(ctx: Context, prepared: dict) -> dict:
    """Send the read that `insert` makes under the write lock, to be read there: the accounts with the
    day's total (`recheck`), and beside them, as columns of the same statement, the movement's number
    and the approval policy's reads (one statement for all of them, and on PostgreSQL one round trip
    with the idempotency key's lookup)."""
    approval = approvals.questions(ctx, prepared)
    beside = [("number", ledger.NEXT_NUMBER, ())] + [*(approval or ())]
    return {"accounts": _ask_fresh(ctx, _parties(prepared), prepared["day"], beside),
            "approval": approval is not None}


def recheck(ctx: Context, prepared: dict, request: dict, asked: dict | None = None) -> dict:
    """`prepared` with what may have changed since it was read: call inside `write`, before writing.

    The payer's and payee's status and balance are read again (one row each, by key), and the daily
    limit is checked against the day's total as it stands now: one statement for all of it, as the
    write lock is held meanwhile (`asked`: that statement, sent already by `ask_again`).
    """
    payee = prepared["payee"]
    both = _parties(prepared)
    day = prepared["day"]
    fresh, used = _fresh((asked["accounts"] if asked else _ask_fresh(ctx, both, day))(), both)
    payer = fresh[0]
    accounts.require_active(payer, "payer")
    if payee["account"] is not None:
        payee = {**payee, "account": fresh[1]}
        accounts.require_active(payee["account"], "payee")
    check_daily_limit(ctx, ctx.rules(payer["bank_code"]), payer, request["amount"], day, used=used)
    return {**prepared, "payer": payer, "payee": payee}


def _parties(prepared: dict) -> list[dict]:
    """The payer, and the payee when it is an account in the sandbox."""
    payee = prepared["payee"]["account"]
    return [prepared["payer"]] + ([payee] if payee is not None else [])


_FRESH = "a.id, a.status, a.balance, a.overdraft_limit, d.amount"
_FRESH_WIDTH = len(_FRESH.split(","))


def _ask_fresh(ctx: Context, accounts_: list[dict], day: str, beside: list[tuple[str, str, tuple]] = ()):
    """Ask for the accounts' status and balance as they stand now, with the first one's total on `day`,
    and `beside` them the scalar subqueries (name, text, parameters) each row answers the same. Returns
    what reads the answer, once however often it is called: its rows (`_fresh`), and with `_beside` the
    subqueries' answers by name."""
    params = [value for _, _, values in beside for value in values]
    params.append(day)
    params += [account["id"] for account in accounts_]
    cursor = ctx.db.conn.execute(_fresh_text(tuple(text for _, text, _ in beside), len(accounts_)), params)
    rows = []

    def read() -> list:
        if not rows:
            rows.append(cursor.fetchall())
        return rows[0]
    read.names = [name for name, _, _ in beside]
    return read


@lru_cache(maxsize=32)
def _fresh_text(beside: tuple[str, ...], count: int) -> str:
    """The statement of `_ask_fresh` for `count` accounts with these subqueries beside them: a handful of
    shapes in all (one or two accounts, with or without the approval policy's reads), written once each."""
    columns = "".join(f", {text}" for text in beside)
    return (f"SELECT {_FRESH}{columns} FROM accounts a LEFT JOIN daily_totals d ON d.account_id = a.id AND d.day = ?"
            f" WHERE a.id IN ({', '.join('?' * count)})")


def _beside(read) -> dict:
    """The answers of `_ask_fresh`'s subqueries, by name."""
    return dict(zip(read.names, read()[0][_FRESH_WIDTH:]))


def _fresh(rows, accounts_: list[dict]) -> tuple[list[dict], int]:
    """The accounts updated from the rows of `_ask_fresh`, and the first one's total that day."""
    rows = {row[0]: row[1:5] for row in rows}
    fresh = []
    for account in accounts_:
        status, balance, overdraft, _ = rows[account["id"]]
        fresh.append({**account, "status": status, "balance": balance, "available_balance": balance + overdraft,
                      "overdraft_limit": overdraft})
    return fresh, rows[accounts_[0]["id"]][3] or 0


def insert(ctx: Context, request: dict, consent_id: str | None = None, *, approved: dict | None = None,
           prepared: dict | None = None, asked: dict | None = None) -> dict:
    """Write a transfer for a canonical request and execute it if it runs now. Call inside `write`.

    A transfer the bank's approval policy flags waits for the customer instead (nothing moves);
    `approved` is that stored approval, when the customer has approved it. `prepared`: what `prepare`
    found before the lock was taken (it is checked again here); without it, it is worked out here.
    `asked`: the reads for the check, sent already under this lock (`ask_again`).
    """
    if prepared is None:
        prepared = prepare(ctx, request, own=consent_id is None and approved is None)
    else:
        prepared = recheck(ctx, prepared, request, asked)
    payer, payee, plan, now = prepared["payer"], prepared["payee"], prepared["plan"], prepared["now"]
    amount, fee = request["amount"], prepared["fee"]
    transfer_id = approved["transfer_id"] if approved else new_id("trf")
    connector_id = approved["connector_id"] if approved else ctx.connector_id
    at = now.isoformat(timespec="seconds")
    status, executed_at, movement_id = "scheduled", None, None
    beside = _beside(asked["accounts"]) if asked else {}
    why = (approvals.reasons(ctx, prepared, request, beside if asked and asked["approval"] else None)
           if consent_id is None and approved is None else [])
    if "step_up" in ctx.scenario and approved is None:
        if consent_id is not None:
            raise SandboxError("step_up_required", "the bank asks for the customer's extra approval of this payment")
        why = why or ["scenario"]
    if why:
        row = _row(transfer_id, request, prepared, status, at, None, None, connector_id, consent_id)
        held = approvals.hold(ctx, _transfer(tuple(row.values())), request, why, payer)
        events.emit(ctx, "transfer.pending_approval", held)
        return held
    if plan.immediate:
        require_funds(payer, amount + fee)
        movement_id = _post(ctx, transfer_id, payer, payee["account"] and payee["account"]["id"], payee["bank_code"],
                            payee["destination"], amount, fee, payee["name"], now, beside.get("number"))
        status, executed_at = "executed", at
    row = _row(transfer_id, request, prepared, status, at, executed_at, movement_id, connector_id, consent_id)
    ctx.db.conn.execute(_INSERT, [row[name] for name in _FIELDS])  # (by name: a column added out of order misplaces nothing)
    if status == "executed" and "return_transfer" in ctx.scenario:
        scenarios.schedule_return(ctx, transfer_id, *ctx.scenario["return_transfer"])
    count_towards_limit(ctx, payer["id"], row["execution_date"], amount)
    transfer = _shaped(row)
    events.emit_all(ctx, [("transfer.created", transfer)] + ([("transfer.executed", transfer)] if status == "executed" else []))
    return transfer


def _row(transfer_id, request, prepared, status, at, executed_at, movement_id, connector_id, consent_id) -> dict:
    """The new transfer's row by column (every one of `_FIELDS`)."""
    payer, payee = prepared["payer"], prepared["payee"]
    return {
        "id": transfer_id, "from_account_id": payer["id"], "to_bank_code": payee["bank_code"],
        "to_branch_code": payee["branch_code"], "to_account_type": payee["account_type"],
        "to_account_number": payee["account_number"], "to_name": payee["name"],
        "to_account_id": payee["account"] and payee["account"]["id"], "route": prepared["route"],
        "destination": payee["destination"], "amount": request["amount"], "fee": prepared["fee"], "status": status,
        "requested_at": at, "execution_date": prepared["day"], "executed_at": executed_at, "cancelled_at": None,
        "returned_at": None, "failure_code": None, "movement_id": movement_id, "payer_name": payer["holder_kana"],
        "memo": request["memo"], "client_reference": request["client_reference"], "connector_id": connector_id,
        "consent_id": consent_id,
    }


def approve(ctx: Context, transfer_id, customer_id, decision="approve") -> dict:
    """The customer's answer to a transfer waiting for approval: approve (it is written and runs) or reject."""
    if decision not in ("approve", "reject"):
        raise SandboxError("invalid_request", "decision must be approve or reject", field="decision")
    with write(ctx.db):
        waiting = approvals.pending(ctx, transfer_id)
        if waiting["customer_id"] != customer_id:
            raise SandboxError("forbidden", "only the paying customer can answer for this transfer")
        if waiting["status"] == "expired":
            approvals.mark(ctx, waiting["transfer_id"], "expired")
        elif waiting["status"] == "pending":
            if decision == "reject":
                approvals.mark(ctx, waiting["transfer_id"], "rejected")
                return approvals.find(ctx, waiting["transfer_id"])
            result = insert(ctx, waiting["request"], approved=waiting)
            approvals.mark(ctx, waiting["transfer_id"], "approved")
            return result
    if waiting["status"] == "expired":
        raise SandboxError("approval_expired", f"transfer {waiting['transfer_id']} waited too long for approval "
                                               f"(until {waiting['expires_at']})", transfer_id=waiting["transfer_id"])
    raise SandboxError("not_cancellable", f"transfer {waiting['transfer_id']} was already {waiting['status']}",
                       transfer_id=waiting["transfer_id"])


def count_towards_limit(ctx: Context, account_id: str, day: str, amount: int) -> None:
    """Add (or, with a negative amount, give back) a transfer's amount to the account's daily total."""
    if amount < 0:
        ctx.db.conn.execute("UPDATE daily_totals SET amount = amount + ? WHERE account_id = ? AND day = ?",
                            (amount, account_id, day))
        return
    ctx.db.conn.execute(
        "INSERT INTO daily_totals (account_id, day, amount) VALUES (?, ?, ?)"
        " ON CONFLICT (account_id, day) DO UPDATE SET amount = amount + excluded.amount",
        (account_id, day, amount),
    )


def get(ctx: Context, transfer_id) -> dict:
    return _load(ctx, transfer_id)


# What a transfer list can be filtered by: the stored statuses, and those still waiting for approval.
STATUSES = ("scheduled", "executed", "failed", "cancelled", "returned", "pending_approval")


def list_transfers(ctx: Context, account_id=None, status=None, date_from=None, date_to=None, limit=100, cursor=None) -> dict:
    """List transfers, newest request first, filtered by payer account, status or execution date."""
    if status is not None and status not in STATUSES:
        raise SandboxError("invalid_request", f"unknown transfer status {status!r} (one of {', '.join(STATUSES)})",
                           field="status")
    payer = accounts.load(ctx, account_id)["id"] if account_id is not None else None
    bank_code = ctx.bank_code if payer is None else None
    date_from = parse_date(date_from, "date_from").isoformat() if date_from else None
    date_to = parse_date(date_to, "date_to").isoformat() if date_to else None
    cursor = accounts.numeric_cursor(cursor) if cursor else None
    limit = accounts._page_size(limit)
    if status == "pending_approval":  # not a transfer yet: kept with its approval until the customer answers
        payers = [payer] if payer is not None else None if ctx.reach is None else sorted(ctx.reach)
        return approvals.list_pending(ctx, payers, bank_code, date_from, date_to, limit, cursor)
    clauses, params = [], []
    if payer is None and ctx.reach is not None:  # a connector lists what its token reaches, and what it made
        reached = sorted(ctx.reach)
        clauses.append(f"(from_account_id IN ({', '.join('?' * len(reached))}) OR connector_id = ?)")
        params.extend([*reached, ctx.connector_id])
    for clause, value in (("from_account_id = ?", payer), ("status = ?", status), ("execution_date >= ?", date_from),
                          ("execution_date <= ?", date_to), ("rowid < ?", cursor),
                          ("from_account_id IN (SELECT id FROM accounts WHERE bank_code = ?)", bank_code)):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = ctx.db.conn.execute(
        f"SELECT rowid, {_COLUMNS} FROM transfers {where} ORDER BY rowid DESC LIMIT ?", (*params, limit + 1)
    ).fetchall()
    items = [_transfer(r[1:]) for r in rows[:limit]]
    return {"transfers": items, "next_cursor": str(rows[limit - 1][0]) if len(rows) > limit else None}


def cancel(ctx: Context, transfer_id) -> dict:
    """Cancel a scheduled transfer; an executed, failed or cancelled one cannot be."""
    with write(ctx.db):
        transfer = _load(ctx, transfer_id)
        if transfer["status"] != "scheduled":
            raise SandboxError("not_cancellable", f"transfer {transfer['id']} is {transfer['status']}", status=transfer["status"])
        ctx.db.conn.execute(
            "UPDATE transfers SET status = 'cancelled', cancelled_at = ? WHERE id = ?",
            (ctx.now().isoformat(timespec="seconds"), transfer["id"]),
        )
        count_towards_limit(ctx, transfer["from_account_id"], transfer["execution_date"], -transfer["amount"])
        cancelled = _load(ctx, transfer["id"])
        events.emit(ctx, "transfer.cancelled", cancelled)
        if ctx.watch is not None:
            bank = ctx.db.conn.execute("SELECT bank_code FROM accounts WHERE id = ?", (transfer["from_account_id"],))
            ctx.signal(bank.fetchone()[0], Signal("cancel_cycling", ctx.connector_id, subject=transfer["from_account_id"]))
        return cancelled


def run_due(ctx: Context) -> dict:
    """Execute every scheduled transfer whose date has come, oldest first; fail those that cannot run."""
    now = ctx.now()
    with write(ctx.db):
        approvals.expire_due(ctx)
    rows = ctx.db.conn.execute(
        "SELECT t.id, t.execution_date, t.connector_id, a.bank_code FROM transfers t"
        " JOIN accounts a ON a.id = t.from_account_id WHERE t.status = 'scheduled' AND t.execution_date <= ?"
        " ORDER BY t.execution_date, t.rowid",
        (now.date().isoformat(),),
    ).fetchall()
    executed, failed, held = [], [], []
    for transfer_id, execution_date, connector_id, bank_code in rows:
        if not due(parse_date(execution_date), now, ctx.rules(bank_code).core_start):
            continue
        if connector_id in ctx.held:
            held.append(transfer_id)
            continue
        with write(ctx.db):
            transfer = _load(ctx, transfer_id)
            if transfer["status"] != "scheduled":
                continue  # another worker ran it
            try:
                payer = accounts.load(ctx, transfer["from_account_id"], own=False)
                accounts.require_active(payer, "payer")
                if transfer["to"]["account_id"]:
                    accounts.require_active(accounts.load(ctx, transfer["to"]["account_id"], own=False), "payee")
                require_funds(payer, transfer["total"])
            except SandboxError as refusal:
                ctx.db.conn.execute("UPDATE transfers SET status = 'failed', failure_code = ? WHERE id = ?", (refusal.code, transfer_id))
                count_towards_limit(ctx, transfer["from_account_id"], transfer["execution_date"], -transfer["amount"])
                events.emit(ctx, "transfer.failed", {**transfer, "status": "failed", "failure_code": refusal.code})
                failed.append(transfer_id)
                continue
            _execute(ctx, transfer, now)
            executed.append(transfer_id)
    returned = []
    for transfer_id, reason in scenarios.due_returns(ctx):  # returns (組戻し) a scenario scheduled
        try:
            returned.append(return_transfer(ctx, transfer_id, reason)["id"])
        except SandboxError:
            continue  # cancelled, already returned, or the payee has spent the money: nothing to return
    return {"executed": executed, "failed": failed, "held": held, "returned": returned}


def return_transfer(ctx: Context, transfer_id, reason=None) -> dict:
    """Return (組戻し) an executed transfer: the amount goes back to the payer; the fee stays charged."""
    with write(ctx.db):
        transfer = _load(ctx, transfer_id)
        if transfer["status"] != "executed":
            raise SandboxError("not_returnable", f"transfer {transfer['id']} is {transfer['status']}", status=transfer["status"])
        now = ctx.now()
        payer = accounts.load(ctx, transfer["from_account_id"], own=False)
        legs = return_legs(ctx, payer, transfer["to"], transfer["destination"], transfer["amount"], payer["holder_kana"])
        movement_id = ledger.post(ctx.db, Movement("transfer_return", tuple(legs)), now, transfer["id"])
        ctx.db.conn.execute(
            "UPDATE transfers SET status = 'returned', returned_at = ?, return_movement_id = ?, failure_code = ? WHERE id = ?",
            (now.isoformat(timespec="seconds"), movement_id, optional_text(reason, "reason", 64), transfer["id"]),
        )
        returned = _load(ctx, transfer["id"])
        events.emit(ctx, "transfer.returned", returned)
        return returned


def return_legs(ctx: Context, payer: dict, to: dict, destination: str, amount: int, payer_name: str) -> list[Leg]:
    """The legs that bring `amount` back from the payee (`to`, as a transfer names it) to the payer.

    A payee inside the sandbox must still hold the amount; money that left the sandbox comes back
    through the payer bank's suspense account.
    """
    text = f"ｸﾐﾓﾄﾞｼ {to['name']}"[:48]
    legs = [Leg(payer["id"], amount, text)]
    if destination == "external":
        legs.append(Leg(ctx.internal_account(payer["bank_code"], "suspense"), -amount, text))
        return legs
    payee = accounts.load(ctx, to["account_id"], own=False)
    require_funds(payee, amount)
    back = f"ｸﾐﾓﾄﾞｼ {payer_name}"[:48]
    legs.append(Leg(payee["id"], -amount, back))
    if destination == "sandbox":
        legs += [Leg(ctx.internal_account(payee["bank_code"], "clearing"), amount, back),
                 Leg(ctx.internal_account(payer["bank_code"], "clearing"), -amount, text)]
    return legs


def _execute(ctx: Context, transfer: dict, now) -> None:
    """Execute a scheduled transfer: write its movement and mark it executed."""
    payer = accounts.load(ctx, transfer["from_account_id"], own=False)
    movement_id = _post(ctx, transfer["id"], payer, transfer["to"]["account_id"], transfer["to"]["bank_code"],
                        transfer["destination"], transfer["amount"], transfer["fee"], transfer["to"]["name"], now)
    ctx.db.conn.execute(
        "UPDATE transfers SET status = 'executed', executed_at = ?, movement_id = ? WHERE id = ?",
        (now.isoformat(timespec="seconds"), movement_id, transfer["id"]),
    )
    events.emit(ctx, "transfer.executed",
                {**transfer, "status": "executed", "executed_at": now.isoformat(timespec="seconds"), "movement_id": movement_id})


def _post(ctx: Context, transfer_id: str, payer: dict, payee_id, payee_bank: str, destination: str, amount: int,
          fee: int, payee_name: str, now, number=None) -> int:
    """Write one transfer's movement: the amount (through clearing or suspense if it leaves the bank) and the fee."""
    out_text = f"ﾌﾘｺﾐ {payee_name}"[:48]
    in_text = f"ﾌﾘｺﾐ {payer['holder_kana']}"[:48]
    legs = [Leg(payer["id"], -amount, out_text)]
    if destination == "external":
        legs.append(Leg(ctx.internal_account(payer["bank_code"], "suspense"), amount, out_text))
    else:
        if destination == "sandbox":
            legs += [Leg(ctx.internal_account(payer["bank_code"], "clearing"), amount, out_text),
                     Leg(ctx.internal_account(payee_bank, "clearing"), -amount, in_text)]
        legs.append(Leg(payee_id, amount, in_text))
    if fee:
        legs += [Leg(payer["id"], -fee, FEE_TEXT), Leg(ctx.internal_account(payer["bank_code"], "fee_income"), fee, FEE_TEXT)]
    return ledger.post(ctx.db, Movement("transfer", tuple(legs)), now, transfer_id, number=number)


def require_funds(account: dict, total: int) -> None:
    if account["available_balance"] < total:
        raise SandboxError(
            "insufficient_funds",
            f"the account has {account['available_balance']} yen available, {total} needed",
            available=account["available_balance"], required=total,
        )


def _ask_total(ctx: Context, account_id: str, day: str):
    """Ask for what the account has paid on `day` so far (no row: nothing)."""
    return ctx.db.conn.execute("SELECT amount FROM daily_totals WHERE account_id = ? AND day = ?", (account_id, day))


def _total(asked) -> int:
    """The answer of `_ask_total`: what was paid that day (no row: nothing)."""
    row = asked.fetchone()
    return row[0] if row else 0


def check_per_transfer_limit(rules, payer: dict, amount: int) -> None:
    """Refuse one payment above the payer's per-transfer limit (a bulk transfer checks each item)."""
    limits = rules.limits.get(payer["customer_kind"] or "individual")
    if limits is not None and amount > limits.per_transfer:
        raise SandboxError("limit_exceeded", f"the amount exceeds the per-transfer limit of {limits.per_transfer} yen",
                           limit=limits.per_transfer, kind="per_transfer")


def check_daily_limit(ctx: Context, rules, payer: dict, amount: int, execution_date: str, used: int | None = None) -> None:
    """Refuse `amount` more on `execution_date` when it would pass the payer's daily limit.

    `used`: the payer's total on that day, when the caller has just read it; else it is read here.
    """
    limits = rules.limits.get(payer["customer_kind"] or "individual")
    if limits is None:
        return
    if used is None:
        used = _total(_ask_total(ctx, payer["id"], execution_date))
    if used + amount > limits.per_day:
        raise SandboxError("limit_exceeded", f"the transfer would pass the daily limit of {limits.per_day} yen ({used} already used)",
                           limit=limits.per_day, used=used, kind="per_day")

