"""Grants, pushed requests, codes and tokens, as the authorization server stores and the banks check them.

A grant is what a customer agreed to on the consent page: a connector, the customer, the accounts and
the scopes, until it expires or is revoked. Codes and tokens are kept only as SHA-256 hashes, so the
database alone lets no one call a bank. Times are wall-clock seconds (OAuth clients count in real time).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass
from functools import cached_property

from ..domain.errors import SandboxError
from ..store.governance import GovernanceStore
from .recent import Recent

CODE_TTL_S = 120
PUSHED_TTL_S = 300  # a pushed authorization request's request_uri (RFC 9126); FAPI 2.0 asks under 600 s
REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:"
REFRESH_TTL_S = 30 * 86400
GRANT_TTL_S = 90 * 86400


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class Grant:
    id: str
    connector_id: str
    workspace: str
    customer_id: str
    accounts: tuple[str, ...]
    scope: str
    created_at: float
    expires_at: float
    revoked_at: float | None
    consent_id: str | None = None  # the consent made at a bank's API that the customer granted (`consented`)

    def active(self, now: float | None = None) -> bool:
        return self.revoked_at is None and (now or time.time()) < self.expires_at

    def to_dict(self) -> dict:
        return {"id": self.id, "connector_id": self.connector_id, "workspace": self.workspace,
                "customer_id": self.customer_id, "accounts": list(self.accounts), "scope": self.scope,
                "created_at": _iso(self.created_at), "expires_at": _iso(self.expires_at),
                "revoked_at": _iso(self.revoked_at) if self.revoked_at else None,
                "status": "revoked" if self.revoked_at else ("active" if self.active() else "expired")}


@dataclass(frozen=True)
class Code:
    connector_id: str
    grant_id: str
    redirect_uri: str | None
    scope: str
    challenge: str | None
    challenge_method: str | None
    expires_at: float


@dataclass(frozen=True)
class Token:
    """A stored token (hashes only) joined with its connector's status and its grant."""
    access_hash: str
    refresh_hash: str | None
    connector_id: str
    grant_id: str | None
    scope: str
    issued_at: float
    expires_in: int
    refresh_expires_at: float | None
    revoked: bool
    connector_status: str
    workspace: str
    grant: Grant | None
    jkt: str | None = None  # the thumbprint of the key a DPoP-bound token is bound to (RFC 9449)

    @cached_property
    def scopes(self) -> frozenset:
        return frozenset(self.scope.split())

    def expired(self, now: float | None = None) -> bool:
        return (now or time.time()) >= self.issued_at + self.expires_in

    def refresh_expired(self, now: float | None = None) -> bool:
        return self.refresh_expires_at is None or (now or time.time()) >= self.refresh_expires_at

    def problem(self, now: float | None = None) -> str | None:
        """Why the access token no longer works (revoked, expired, its consent ended), or None if it does.

        The connector's own suspension is not here: callers name it apart (its own error code).
        """
        if self.revoked:
            return "the access token was revoked"
        if self.expired(now):
            return "the access token has expired; use the refresh token or ask for a new one"
        if self.grant is not None and not self.grant.active():
            return f"the customer's consent ({self.grant.id}) has {'revoked' if self.grant.revoked_at else 'expired'}"
        return None


def _iso(epoch: float) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds")


_GRANT = "id, connector_id, workspace, customer_id, accounts, scope, created_at, expires_at, revoked_at, consent_id"
_TOKEN = ("t.access_hash, t.refresh_hash, t.connector_id, t.grant_id, t.scope, t.issued_at, t.expires_in, "
          "t.refresh_expires_at, t.revoked, c.status, c.workspace, t.jkt")


def _grant(row) -> Grant:
    return Grant(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])), row[5], row[6], row[7], row[8], row[9])


# A sandbox token written after words of the client's choosing (`test_<token>`, `sk_test_<token>`): SDKs that
# tell live keys from test keys by their prefix (Mollie's) take no other. Several words (Paystack's and
# Stripe's `sk_test_`), or words and colons, as Up's personal access tokens are written (`up:yeah:<token>`).
_PREFIXED = re.compile(r"(?:[A-Za-z]+[_:])+([0-9a-f]{64})")


def opaque(nbytes: int) -> str:
    r"""A new access or refresh token: `nbytes` random bytes as hex, letters and digits only. SDKs check the
    keys they are given against `\w+` (Mollie's `^(live|test)_\w+$`), which a URL-safe token's `-` breaks."""
    return secrets.token_hex(nbytes)


class TokenStore:
    def __init__(self, store: GovernanceStore):
        self.store = store
        self._recent = Recent(store.data_version)

    # -- grants -----------------------------------------------------------------------------------
    def create_grant(self, connector_id: str, workspace: str, customer_id: str, accounts, scope: str,
                     ttl_s: int = GRANT_TTL_S, consent_id: str | None = None) -> Grant:
        now = time.time()
        grant = Grant("gr_" + secrets.token_hex(8), connector_id, workspace, customer_id, tuple(accounts), scope,
                      now, now + ttl_s, None, consent_id)
        with self.store.write() as conn:
            conn.execute(f"INSERT INTO grants ({_GRANT}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (grant.id, connector_id, workspace, customer_id, json.dumps(list(accounts)), scope,
                          grant.created_at, grant.expires_at, None, consent_id))
        return grant

    def grant(self, grant_id) -> Grant:
        row = self.store.conn.execute(f"SELECT {_GRANT} FROM grants WHERE id = ?", (str(grant_id),)).fetchone()
        if row is None:
            raise SandboxError("consent_not_found", f"no grant {grant_id!r}")
        return _grant(row)

    def grants(self, *, connector_id: str | None = None, workspace: str | None = None) -> list[Grant]:
        clauses, params = [], []
        for name, value in (("connector_id", connector_id), ("workspace", workspace)):
            if value is not None:
                clauses.append(f"{name} = ?")
                params.append(value)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return [_grant(r) for r in self.store.conn.execute(f"SELECT {_GRANT} FROM grants {where} ORDER BY created_at", params)]

    def revoke_grant(self, grant_id) -> Grant:
        grant = self.grant(grant_id)
        with self.store.write() as conn:
            conn.execute("UPDATE grants SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", (time.time(), grant.id))
            conn.execute("UPDATE tokens SET revoked = 1 WHERE grant_id = ?", (grant.id,))
        self._recent.clear()
        return self.grant(grant_id)

    # -- codes ------------------------------------------------------------------------------------
    def save_code(self, code: str, connector_id: str, grant_id: str, redirect_uri, scope: str, challenge, method,
                  ttl_s: int = CODE_TTL_S) -> None:
        with self.store.write() as conn:
            conn.execute("INSERT INTO codes (code_hash, connector_id, grant_id, redirect_uri, scope, challenge, "
                         "challenge_method, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (digest(code), connector_id, grant_id, redirect_uri, scope, challenge, method,
                          time.time() + ttl_s))

    def code(self, code: str, connector_id: str) -> Code | None:
        row = self.store.conn.execute(
            "SELECT connector_id, grant_id, redirect_uri, scope, challenge, challenge_method, expires_at FROM codes "
            "WHERE code_hash = ? AND connector_id = ?", (digest(code), connector_id)).fetchone()
        if row is None or row[6] <= time.time():
            return None
        return Code(*row)

    def delete_code(self, code: str) -> None:
        with self.store.write() as conn:
            conn.execute("DELETE FROM codes WHERE code_hash = ?", (digest(code),))

    # -- pushed authorization requests (RFC 9126) ----------------------------------------------------
    def push_request(self, connector_id: str, params: dict) -> str:
        """Keep an authorization request's parameters; the request_uri that names them (shown once)."""
        request_uri = REQUEST_URI_PREFIX + secrets.token_urlsafe(32)
        with self.store.write() as conn:
            conn.execute("DELETE FROM pushed_requests WHERE expires_at < ?", (time.time(),))
            conn.execute("INSERT INTO pushed_requests (uri_hash, connector_id, params, expires_at) VALUES (?, ?, ?, ?)",
                         (digest(request_uri), connector_id, json.dumps(params), time.time() + PUSHED_TTL_S))
        return request_uri

    def pushed(self, request_uri: str, connector_id: str) -> dict | None:
        """The parameters a connector pushed, until they expire or the authorization answer is sent."""
        row = self.store.conn.execute("SELECT params, expires_at FROM pushed_requests WHERE uri_hash = ? AND "
                                      "connector_id = ?", (digest(request_uri), connector_id)).fetchone()
        return json.loads(row[0]) if row and row[1] > time.time() else None

    def drop_pushed(self, request_uri: str) -> None:
        """A request_uri works for one authorization answer: forget it once the answer is sent."""
        with self.store.write() as conn:
            conn.execute("DELETE FROM pushed_requests WHERE uri_hash = ?", (digest(request_uri),))

    # -- tokens -----------------------------------------------------------------------------------
    def save_token(self, token: dict, connector_id: str, grant_id: str | None, jkt: str | None = None) -> None:
        now = time.time()
        refresh = token.get("refresh_token")
        with self.store.write() as conn:
            conn.execute(
                "INSERT INTO tokens (access_hash, refresh_hash, connector_id, grant_id, scope, issued_at, expires_in, "
                "refresh_expires_at, jkt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (digest(token["access_token"]), digest(refresh) if refresh else None, connector_id, grant_id,
                 token.get("scope", ""), now, int(token["expires_in"]), now + REFRESH_TTL_S if refresh else None, jkt))

    def issue(self, connector_id: str, scope: str, expires_in: int, *, refresh: bool = False,
              grant_id: str | None = None) -> dict:
        """A new bearer token (and refresh token) for a connector, stored as the OAuth server stores its own:
        for a token handed out by an operation of a bank's spec (http/token_exchange.py)."""
        token = {"access_token": opaque(32), "token_type": "Bearer", "expires_in": int(expires_in),
                 "scope": scope}
        if refresh:
            token["refresh_token"] = opaque(40)
        self.save_token(token, connector_id, grant_id)
        return token

    def forget_cached(self) -> None:
        """Empty this thread's cache: this thread's own connection changed what tokens answer (data_version stays)."""
        self._recent.clear()

    def by_access(self, access_token: str) -> Token | None:
        """The token behind a bearer value (cached per thread while fresh: governance/recent.py).

        Every bank call asks; a revocation, a suspension or a withdrawn consent written by another
        process empties the cache before the next call (or, on any engine, within MAX_AGE_S).
        """
        cache = self._recent.entries()
        key = digest(access_token)
        if key not in cache:
            cache[key] = self._token("t.access_hash = ?", key)
            if cache[key] is None and (prefixed := _PREFIXED.fullmatch(access_token)):
                cache[key] = self._token("t.access_hash = ?", digest(prefixed.group(1)))
        return cache[key]

    def by_refresh(self, refresh_token: str) -> Token | None:
        return self._token("t.refresh_hash = ?", digest(refresh_token))

    def _token(self, clause: str, value: str) -> Token | None:
        row = self.store.conn.execute(
            f"SELECT {_TOKEN} FROM tokens t JOIN connectors c ON c.id = t.connector_id WHERE {clause}", (value,)).fetchone()
        if row is None:
            return None
        grant = self.grant(row[3]) if row[3] else None
        return Token(*row[:8], bool(row[8]), row[9], row[10], grant, row[11])

    def revoke(self, token: Token) -> None:
        """Revoke a token; revoking either half of a pair revokes both (RFC 7009 allows it)."""
        with self.store.write() as conn:
            conn.execute("UPDATE tokens SET revoked = 1 WHERE access_hash = ?", (token.access_hash,))
        self._recent.clear()
