"""Consents: what a customer allowed a connector to do — read accounts, or make one given payment.

Consent-style bank APIs (UK Open Banking, Berlin Group) first create a consent resource, have the
customer authorise it at the bank, then act on it. Here a payment consent stores the canonical
transfer request, checked in full when the consent is made (so its fee is known), and is consumed
by exactly one transfer. Until the sandbox's OAuth consent pages authorise them, consents are created
already authorised.
"""

from __future__ import annotations

import json
from datetime import datetime

from ..domain.errors import SandboxError
from ..domain.identifiers import new_id
from ..store.database import write
from . import accounts, idempotency, transfers
from .context import Context

KINDS = ("account_access", "payment")
PERMISSIONS = ("accounts", "balances", "transactions", "payments")
_COLUMNS = ("id, kind, status, bank_code, permissions, account_ids, payment, fee, created_at, status_updated_at, expires_at,"
            " transfer_id, connector_id")


def _consent(ctx: Context, consent_id) -> dict:
    row = ctx.db.conn.execute(f"SELECT {_COLUMNS} FROM consents WHERE id = ?", (str(consent_id),)).fetchone()
    if row is None or not ctx.sees(row[3]):
        raise SandboxError("consent_not_found", f"no consent {consent_id!r}", consent_id=str(consent_id))
    data = dict(zip([c.strip() for c in _COLUMNS.split(",")], row))
    for field in ("permissions", "account_ids", "payment"):
        data[field] = json.loads(data[field]) if data[field] else None
    if data["status"] == "authorised" and data["expires_at"] and data["expires_at"] < ctx.now().isoformat(timespec="seconds"):
        data["status"] = "expired"
    data.pop("bank_code")
    return data


def create(ctx: Context, kind=None, permissions=None, account_ids=None, payment=None, expires_at=None, idempotency_key=None) -> dict:
    """Record a consent; a payment consent's transfer is checked now as if it were made."""
    if kind not in KINDS:
        raise SandboxError("invalid_request", f"kind must be one of {', '.join(KINDS)}", field="kind")
    if permissions is not None and (not isinstance(permissions, list) or any(p not in PERMISSIONS for p in permissions)):
        raise SandboxError("invalid_request", f"permissions must be a list of {', '.join(PERMISSIONS)}", field="permissions")
    if account_ids is not None and (not isinstance(account_ids, list) or not all(isinstance(a, str) for a in account_ids)):
        raise SandboxError("invalid_request", "account_ids must be a list of account ids", field="account_ids")
    if kind == "payment" and not isinstance(payment, dict):
        raise SandboxError("invalid_request", "a payment consent needs the payment", field="payment")
    if expires_at is not None:
        try:
            expires = datetime.fromisoformat(str(expires_at).replace("Z", "+00:00"))
        except ValueError:
            raise SandboxError("invalid_date", "expires_at must be an ISO 8601 date-time", field="expires_at") from None
        if expires.tzinfo is None:
            raise SandboxError("invalid_date", "expires_at must carry a time zone", field="expires_at")
        expires_at = expires.astimezone(ctx.now().tzinfo).isoformat(timespec="seconds")
    if kind == "payment":
        unknown = sorted(set(payment) - set(transfers.REQUEST_FIELDS))
        if unknown:
            raise SandboxError("invalid_request", f"payment has unknown fields: {', '.join(unknown)}", field="payment")
    request = transfers.parse_request(**payment) if kind == "payment" else None
    key = idempotency.check_key(idempotency_key)
    digest = idempotency.request_hash({"kind": kind, "permissions": permissions, "accounts": account_ids,
                                       "payment": request, "expires": expires_at})
    scope = f"consents.create:{ctx.connector_id or '-'}"
    with write(ctx.db):
        earlier = idempotency.replay(ctx.db.conn, scope, key, digest)
        if earlier is not None:
            return earlier
        now = ctx.now().isoformat(timespec="seconds")
        if expires_at is not None and expires_at <= now:
            raise SandboxError("invalid_date", "expires_at is in the past", field="expires_at")
        for account_id in account_ids or ():
            accounts.load(ctx, account_id, own=False)  # the customer authorises them with the consent
        fee = transfers.prepare(ctx, request, own=False)["fee"] if request else None
        consent_id = new_id("cns")
        ctx.db.conn.execute(
            f"INSERT INTO consents ({_COLUMNS}) VALUES (?, ?, 'authorised', ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
            (consent_id, kind, ctx.bank_code, json.dumps(permissions) if permissions is not None else None,
             json.dumps(account_ids) if account_ids is not None else None,
             json.dumps(request, ensure_ascii=False) if request else None, fee, now, now, expires_at, ctx.connector_id),
        )
        result = _consent(ctx, consent_id)
        idempotency.remember(ctx.db.conn, scope, key, digest, result, now)
    return result


def _of_kind(ctx: Context, consent_id, kind) -> dict:
    """The consent, refused as unknown when it is not of the `kind` asked for (if any)."""
    consent = _consent(ctx, consent_id)
    if kind is not None and consent["kind"] != kind:
        raise SandboxError("consent_not_found", f"no {kind} consent {consent_id!r}", consent_id=str(consent_id))
    return consent


def get(ctx: Context, consent_id, kind=None) -> dict:
    return _of_kind(ctx, consent_id, kind)


def revoke(ctx: Context, consent_id, kind=None) -> dict:
    with write(ctx.db):
        consent = _of_kind(ctx, consent_id, kind)
        if consent["status"] not in ("authorised", "awaiting_authorisation"):
            raise SandboxError("consent_inactive", f"consent {consent['id']} is {consent['status']}", status=consent["status"])
        ctx.db.conn.execute("UPDATE consents SET status = 'revoked', status_updated_at = ? WHERE id = ?",
                            (ctx.now().isoformat(timespec="seconds"), consent["id"]))
        return _consent(ctx, consent["id"])


def funds_check(ctx: Context, consent_id) -> dict:
    """Whether the payer could pay the consented payment and its fee right now."""
    consent = _payment_consent(ctx, consent_id)
    payer = accounts.load(ctx, consent["payment"]["from_account_id"], own=False)
    return {
        "consent_id": consent["id"],
        "funds_available": payer["available_balance"] >= consent["payment"]["amount"] + (consent["fee"] or 0),
        "checked_at": ctx.now().isoformat(timespec="seconds"),
    }


def create_transfer(ctx: Context, consent_id=None, payment=None, idempotency_key=None) -> dict:
    """Make the consented payment; the consent is consumed by it and cannot pay twice.

    When the request restates the payment (as consent-style APIs require), it must be the consented one.
    """
    key = idempotency.check_key(idempotency_key)
    restated = None
    if payment is not None:
        if not isinstance(payment, dict) or set(payment) - set(transfers.REQUEST_FIELDS):
            raise SandboxError("invalid_request", "payment must be a transfer request", field="payment")
        restated = transfers.parse_request(**payment)
    digest = idempotency.request_hash({"consent": consent_id, "payment": restated})
    scope = f"transfers.create_from_consent:{ctx.connector_id or '-'}"
    with write(ctx.db):
        earlier = idempotency.replay(ctx.db.conn, scope, key, digest)
        if earlier is not None:
            return earlier
        consent = _payment_consent(ctx, consent_id)
        if restated is not None and restated != consent["payment"]:
            raise SandboxError("consent_mismatch", "the payment differs from the one the customer consented to",
                               consent_id=consent["id"])
        transfer = transfers.insert(ctx, consent["payment"], consent["id"])
        ctx.db.conn.execute(
            "UPDATE consents SET status = 'consumed', status_updated_at = ?, transfer_id = ? WHERE id = ?",
            (ctx.now().isoformat(timespec="seconds"), transfer["id"], consent["id"]),
        )
        result = transfer
        idempotency.remember(ctx.db.conn, scope, key, digest, result, transfer["requested_at"])
    return result


def _payment_consent(ctx: Context, consent_id) -> dict:
    consent = _consent(ctx, consent_id)
    if consent["kind"] != "payment":
        raise SandboxError("consent_inactive", f"consent {consent['id']} is not a payment consent")
    if consent["status"] != "authorised":
        raise SandboxError("consent_inactive", f"consent {consent['id']} is {consent['status']}", status=consent["status"])
    return consent
