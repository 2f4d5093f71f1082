"""A workspace's scenario rules: stored with its books, applied to calls, undone when cleared.

Rules live in the workspace file, so a reset (which restores the pristine file) clears them. Effects
that change the books (`account`: freeze, close, set a balance) are made when the rule is added and
undone when it is removed, through the ledger like any movement; `return_transfer` schedules a return
(組戻し) that `run_due` carries out when its business day comes.
"""

from __future__ import annotations

import json

from ..domain.calendar import next_business_day
from ..domain.errors import SandboxError
from ..domain.identifiers import new_id
from ..domain.money import Leg, Movement
from ..scenarios import Call, check_rule, fires, matches
from ..store import ledger
from ..store.database import write
from . import accounts
from .context import Context


def add(ctx: Context, rule: dict, pack: str | None = None) -> dict:
    """Add a rule (checked against the rule schema); account changes happen now."""
    return add_all(ctx, [rule], pack)[0]


def add_all(ctx: Context, rules: list, pack: str | None = None) -> list[dict]:
    """Add rules together: every one is checked first, and all are added in one transaction or none is."""
    checked = [check_rule(rule) for rule in rules]
    ids = []
    with write(ctx.db):
        for rule in checked:
            undo = _apply_account_change(ctx, rule["effect"]) if rule["effect"]["type"] == "account" else None
            position = ctx.db.conn.execute("SELECT coalesce(max(position), 0) + 1 FROM scenarios").fetchone()[0]
            ids.append(new_id("scn"))
            ctx.db.conn.execute(
                "INSERT INTO scenarios (id, position, rule, pack, created_at, undo) VALUES (?, ?, ?, ?, ?, ?)",
                (ids[-1], position, json.dumps(rule, ensure_ascii=False), pack, ctx.now().isoformat(timespec="seconds"),
                 json.dumps(undo) if undo else None))
    return [get(ctx, scenario_id) for scenario_id in ids]


def get(ctx: Context, scenario_id) -> dict:
    row = ctx.db.conn.execute(f"SELECT {_COLUMNS} FROM scenarios WHERE id = ?", (str(scenario_id),)).fetchone()
    if row is None:
        raise SandboxError("not_found", f"no scenario rule {scenario_id!r}", scenario_id=str(scenario_id))
    return _shown(ctx, row)


def list_rules(ctx: Context) -> list[dict]:
    return [_shown(ctx, row) for row in ctx.db.conn.execute(f"SELECT {_COLUMNS} FROM scenarios ORDER BY position")]


def remove(ctx: Context, scenario_id) -> None:
    """Remove a rule, undoing the account change it made."""
    with write(ctx.db):
        row = ctx.db.conn.execute("SELECT id, undo FROM scenarios WHERE id = ?", (str(scenario_id),)).fetchone()
        if row is None:
            raise SandboxError("not_found", f"no scenario rule {scenario_id!r}", scenario_id=str(scenario_id))
        _undo(ctx, row[1])
        ctx.db.conn.execute("DELETE FROM scenarios WHERE id = ?", (row[0],))


def clear(ctx: Context) -> int:
    """Remove every rule (newest first, so stacked account changes unwind in order)."""
    ids = [row[0] for row in ctx.db.conn.execute("SELECT id FROM scenarios ORDER BY position DESC")]
    for scenario_id in ids:
        remove(ctx, scenario_id)
    return len(ids)


def active(ctx: Context) -> bool:
    """Whether any rule is active in the workspace (one indexed read, unless the context knows: the common answer is no)."""
    if ctx.armed is not None:
        return ctx.armed
    return ctx.db.conn.execute("SELECT 1 FROM scenarios WHERE active = 1 LIMIT 1").fetchone() is not None


def firing(ctx: Context, call: Call) -> list[tuple[str, dict, int]]:
    """(id, rule, how many calls it matched before) of the rules that act on this call, in the order they
    were added; their counters move on."""
    conn = ctx.db.conn
    fired = []
    now = ctx.now()
    with write(ctx.db):
        rows = conn.execute("SELECT id, rule, seen, applied FROM scenarios WHERE active = 1 ORDER BY position").fetchall()
        for scenario_id, text, seen, applied in rows:
            rule = json.loads(text)
            lifetime = rule.get("lifetime") or {}
            if "until" in lifetime and now.isoformat() >= _aware(lifetime["until"], now):
                conn.execute("UPDATE scenarios SET active = 0 WHERE id = ?", (scenario_id,))
                continue
            if not matches(rule, call):
                continue
            acts = fires(rule, seen)
            applied += int(acts)
            spent = "times" in lifetime and applied >= lifetime["times"]
            conn.execute("UPDATE scenarios SET seen = seen + 1, applied = ?, active = ? WHERE id = ?",
                         (applied, int(not spent), scenario_id))
            if acts:
                fired.append((scenario_id, rule, seen))
    return fired


def schedule_return(ctx: Context, transfer_id: str, after_business_days: int, reason: str | None,
                    scenario_id: str) -> None:
    """Return (組戻し) a transfer that executed now, that many business days later. Call inside `write`."""
    day = ctx.now().date()
    for _ in range(after_business_days):
        day = next_business_day(day)
    ctx.db.conn.execute("INSERT OR REPLACE INTO scheduled_returns (transfer_id, due_on, reason, scenario_id) "
                        "VALUES (?, ?, ?, ?)", (transfer_id, day.isoformat(), reason, scenario_id))


def due_returns(ctx: Context) -> list[tuple[str, str | None]]:
    """(transfer id, reason) of the scheduled returns whose day has come; they are taken off the list."""
    today = ctx.now().date().isoformat()
    with write(ctx.db):
        rows = ctx.db.conn.execute("SELECT transfer_id, reason FROM scheduled_returns WHERE due_on <= ? ORDER BY due_on",
                                   (today,)).fetchall()
        ctx.db.conn.execute("DELETE FROM scheduled_returns WHERE due_on <= ?", (today,))
    return rows


_COLUMNS = "id, position, rule, pack, created_at, seen, applied, active"


def _shown(ctx: Context, row) -> dict:
    scenario_id, position, text, pack, created_at, seen, applied, active = row
    rule = json.loads(text)
    lifetime = rule.get("lifetime") or {}
    remaining = {"times": max(0, lifetime["times"] - applied)} if "times" in lifetime else {}
    if "until" in lifetime:
        remaining["until"] = lifetime["until"]
    return {"id": scenario_id, "position": position, "pack": pack, "rule": rule, "created_at": created_at,
            "matched": seen, "applied": applied, "active": bool(active), "remaining": remaining or None}


def _aware(moment: str, now) -> str:
    """An ISO moment comparable with `now` (a moment without an offset is taken in `now`'s zone)."""
    from datetime import datetime

    parsed = datetime.fromisoformat(moment)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=now.tzinfo)).astimezone(now.tzinfo).isoformat()


def _apply_account_change(ctx: Context, effect: dict) -> dict:
    account = accounts.load(ctx, effect["account"], own=False)
    change = effect["change"]
    if change in ("freeze", "close"):
        status = "frozen" if change == "freeze" else "closed"
        ctx.db.conn.execute("UPDATE accounts SET status = ? WHERE id = ?", (status, account["id"]))
        return {"account": account["id"], "status": account["status"]}
    difference = effect["balance"] - account["balance"]
    if difference == 0:
        return {"account": account["id"], "difference": 0}
    if effect["balance"] < -account["overdraft_limit"]:
        raise SandboxError("invalid_request", f"balance {effect['balance']} is below the account's overdraft limit",
                           field="effect/balance")
    _adjust(ctx, account, difference)
    return {"account": account["id"], "difference": difference}


def _adjust(ctx: Context, account: dict, difference: int) -> None:
    """Move `difference` yen into (or out of) the account against the bank's suspense account."""
    text = "ｼﾅﾘｵ ﾁｮｳｾｲ"
    legs = (Leg(account["id"], difference, text), Leg(ctx.internal_account(account["bank_code"], "suspense"), -difference, text))
    ledger.post(ctx.db, Movement("scenario_adjustment", legs), ctx.now(), None)


def _undo(ctx: Context, undo_text: str | None) -> None:
    if not undo_text:
        return
    undo = json.loads(undo_text)
    if "status" in undo:
        ctx.db.conn.execute("UPDATE accounts SET status = ? WHERE id = ?", (undo["status"], undo["account"]))
    elif undo.get("difference"):
        account = accounts.load(ctx, undo["account"], own=False)
        _adjust(ctx, account, -undo["difference"])
