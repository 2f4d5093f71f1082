"""Direct debit: mandates (口座振替契約) between a payer and a collector, and instant debits (即時口座振替).

A debit takes the whole amount or nothing: there are no partial debits. It runs at once, around the
clock, as payment apps expect of instant account debits.
"""

from __future__ import annotations

from ..domain.calendar import parse_date
from ..domain.errors import SandboxError
from ..domain.identifiers import new_id
from ..domain.kana import passbook_kana
from ..domain.money import Leg, Movement, parse_yen
from ..store import ledger
from ..store.database import write
from . import accounts, events, idempotency
from .context import Context, optional_text, require
from .transfers import require_funds

_MANDATE = (
    "id, payer_account_id, collector_account_id, collector_name, customer_reference, max_amount, status,"
    " created_at, expires_on, revoked_at, connector_id"
)
_DEBIT = "id, mandate_id, amount, status, created_at, movement_id, description, client_reference, connector_id"


def _mandate(ctx: Context, mandate_id) -> dict:
    row = ctx.db.conn.execute(f"SELECT {_MANDATE} FROM mandates WHERE id = ?", (str(mandate_id),)).fetchone()
    if row is None or not (ctx.sees_account(row[1]) or ctx.sees_account(row[2])) or not (
            ctx.reaches(row[1]) or ctx.reaches(row[2])):
        raise SandboxError("mandate_not_found", f"no mandate {mandate_id!r}", mandate_id=str(mandate_id))
    mandate = dict(zip([c.strip() for c in _MANDATE.split(",")], row))
    if mandate["status"] == "active" and mandate["expires_on"] and mandate["expires_on"] < ctx.now().date().isoformat():
        mandate["status"] = "expired"
    return mandate


def _debit(ctx: Context, debit_id) -> dict:
    row = ctx.db.conn.execute(f"SELECT {_DEBIT} FROM debits WHERE id = ?", (str(debit_id),)).fetchone()
    if row is None:
        raise SandboxError("debit_not_found", f"no debit {debit_id!r}", debit_id=str(debit_id))
    data = dict(zip([c.strip() for c in _DEBIT.split(",")], row))
    try:
        _mandate(ctx, data["mandate_id"])
    except SandboxError:
        raise SandboxError("debit_not_found", f"no debit {debit_id!r}", debit_id=str(debit_id)) from None
    data["currency"] = "JPY"
    return data


def create_mandate(ctx: Context, payer_account_id=None, collector_account_id=None, customer_reference=None,
                   max_amount=None, expires_on=None) -> dict:
    """Register a mandate letting the collector debit the payer's account."""
    require({"payer_account_id": payer_account_id, "collector_account_id": collector_account_id},
            "payer_account_id", "collector_account_id")
    limit = parse_yen(max_amount, "max_amount") if max_amount is not None else None
    expiry = parse_date(expires_on, "expires_on").isoformat() if expires_on is not None else None
    reference = optional_text(customer_reference, "customer_reference", 64)
    with write(ctx.db):
        now = ctx.now()
        if expiry and expiry < now.date().isoformat():
            raise SandboxError("invalid_date", "expires_on is in the past", field="expires_on")
        payer = accounts.load(ctx, payer_account_id, own=False, role="payer")
        collector = accounts.load(ctx, collector_account_id, own=False, role="collector")
        _require_party(ctx, payer, collector)
        if payer["id"] == collector["id"]:
            raise SandboxError("same_account", "the payer and the collector are the same account")
        accounts.require_active(payer, "payer")
        accounts.require_active(collector, "collector")
        if collector["customer_kind"] != "corporate":
            raise SandboxError("invalid_request", "the collector must be a corporate customer's account", field="collector_account_id")
        clash = ctx.db.conn.execute(
            "SELECT id FROM mandates WHERE payer_account_id = ? AND collector_account_id = ? AND status = 'active'"
            " AND coalesce(customer_reference, '') = ?",
            (payer["id"], collector["id"], reference or ""),
        ).fetchone()
        if clash:
            raise SandboxError("mandate_exists", f"mandate {clash[0]} already links these accounts", mandate_id=clash[0])
        mandate_id = new_id("mdt")
        ctx.db.conn.execute(
            f"INSERT INTO mandates ({_MANDATE}) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, NULL, ?)",
            (mandate_id, payer["id"], collector["id"], collector["holder_kana"], reference, limit,
             now.isoformat(timespec="seconds"), expiry, ctx.connector_id),
        )
        mandate = _mandate(ctx, mandate_id)
        events.emit(ctx, "mandate.created", mandate)
        return mandate


def get_mandate(ctx: Context, mandate_id) -> dict:
    return _mandate(ctx, mandate_id)


def revoke_mandate(ctx: Context, mandate_id) -> dict:
    with write(ctx.db):
        mandate = _mandate(ctx, mandate_id)
        if mandate["status"] != "active":
            raise SandboxError("mandate_inactive", f"mandate {mandate['id']} is {mandate['status']}", status=mandate["status"])
        ctx.db.conn.execute(
            "UPDATE mandates SET status = 'revoked', revoked_at = ? WHERE id = ?",
            (ctx.now().isoformat(timespec="seconds"), mandate["id"]),
        )
        revoked = _mandate(ctx, mandate["id"])
        events.emit(ctx, "mandate.revoked", revoked)
        return revoked


def create_debit(ctx: Context, mandate_id=None, amount=None, description=None, client_reference=None, idempotency_key=None) -> dict:
    """Debit the payer under an active mandate, all of the amount or none of it."""
    require({"mandate_id": mandate_id, "amount": amount}, "mandate_id", "amount")
    amount = parse_yen(amount)
    description = optional_text(description, "description", 48)
    client_reference = optional_text(client_reference, "client_reference", 64)
    key = idempotency.check_key(idempotency_key)
    digest = idempotency.request_hash({"mandate": mandate_id, "amount": amount, "desc": description, "ref": client_reference})
    scope = f"debits.create:{ctx.connector_id or '-'}"
    conn = ctx.db.conn
    with write(ctx.db):
        earlier = idempotency.replay(conn, scope, key, digest)
        if earlier is not None:
            return earlier
        now = ctx.now()
        mandate = _mandate(ctx, mandate_id)
        if mandate["status"] != "active":
            raise SandboxError("mandate_inactive", f"mandate {mandate['id']} is {mandate['status']}", status=mandate["status"])
        if mandate["max_amount"] is not None and amount > mandate["max_amount"]:
            raise SandboxError("mandate_limit_exceeded", f"the mandate allows at most {mandate['max_amount']} yen", limit=mandate["max_amount"])
        payer = accounts.load(ctx, mandate["payer_account_id"], own=False)
        collector = accounts.load(ctx, mandate["collector_account_id"], own=False)
        accounts.require_active(payer, "payer")
        accounts.require_active(collector, "collector")
        require_funds(payer, amount)
        out_text = f"ｺｳﾌﾘ {passbook_kana(description) if description else collector['holder_kana']}"[:48]
        in_text = f"ｺｳﾌﾘ {payer['holder_kana']}"[:48]
        legs = [Leg(payer["id"], -amount, out_text)]
        if payer["bank_code"] != collector["bank_code"]:
            legs += [Leg(ctx.internal_account(payer["bank_code"], "clearing"), amount, out_text),
                     Leg(ctx.internal_account(collector["bank_code"], "clearing"), -amount, in_text)]
        legs.append(Leg(collector["id"], amount, in_text))
        debit_id = new_id("dbt")
        movement_id = ledger.post(ctx.db, Movement("debit", tuple(legs)), now, debit_id)
        conn.execute(
            f"INSERT INTO debits ({_DEBIT}) VALUES (?, ?, ?, 'executed', ?, ?, ?, ?, ?)",
            (debit_id, mandate["id"], amount, now.isoformat(timespec="seconds"), movement_id, description, client_reference, ctx.connector_id),
        )
        result = _debit(ctx, debit_id)
        events.emit(ctx, "debit.created", result)  # a refused debit writes nothing, so it has no event
        idempotency.remember(conn, scope, key, digest, result, now.isoformat(timespec="seconds"))
    return result


def get_debit(ctx: Context, debit_id) -> dict:
    return _debit(ctx, debit_id)


def _require_party(ctx: Context, payer: dict, collector: dict) -> None:
    """A mandate binds the payer (who signs it) and the collector (who debits): the caller is one of them."""
    if not (ctx.reaches(payer["id"]) or ctx.reaches(collector["id"])):
        raise SandboxError("account_not_found", f"no account {payer['id']!r} (the payer)", account_id=payer["id"],
                           role="payer")
