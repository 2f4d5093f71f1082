"""Idempotency keys: a retried request gets the first result; a reused key with another body is refused.

The key is looked up and recorded inside the same write transaction as the effect it guards, so two
copies of a request racing each other queue on the database lock and the second sees the first's key.
Only successful results are recorded: a refused request changed nothing, so its retry is judged afresh.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

import orjson

from ..domain.errors import SandboxError
from ..store.database import pipeline, read, write
from .context import Context


def request_hash(request: dict) -> str:
    try:
        encoded = orjson.dumps(request, default=str, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # what orjson cannot write (an integer past 64 bits, a lone surrogate)
        encoded = json.dumps(request, default=str, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def check_key(key) -> str | None:
    if key is None:
        return None
    if not isinstance(key, str) or not (1 <= len(key) <= 255) or not key.isprintable():
        raise SandboxError("invalid_request", "idempotency key must be 1-255 printable characters", field="idempotency_key")
    return key


def replay(conn, scope: str, key: str | None, digest: str) -> dict | None:
    """Return the stored result for (scope, key), None if the key is new; refuse a changed body."""
    return _replayed(_lookup(conn, scope, key), key, digest)


def _lookup(conn, scope: str, key: str | None):
    """Ask for the stored record of (scope, key) (nothing to ask without a key); `_replayed` reads the answer."""
    if key is None:
        return None
    return conn.execute("SELECT request_hash, response FROM idempotency WHERE scope = ? AND key = ?", (scope, key))


def _replayed(asked, key: str | None, digest: str) -> dict | None:
    if asked is None:
        return None
    row = asked.fetchone()
    if row is None:
        return None
    if row[0] != digest:
        raise SandboxError("idempotency_conflict", f"idempotency key {key!r} was already used with a different request", idempotency_key=key)
    return orjson.loads(row[1])


def remember(conn, scope: str, key: str | None, digest: str, response: dict, at: str) -> None:
    if key is not None:
        conn.execute(
            "INSERT INTO idempotency (scope, key, request_hash, response, created_at) VALUES (?, ?, ?, ?, ?)",
            (scope, key, digest, _text(response), at),
        )


def _text(response) -> str:
    """A stored answer as JSON text. An answer from the spec alone may hold keys that are text of another type
    (a literal `$ref` of an example, spec.LiteralKey) or integers past 64 bits: written by the standard library
    then (orjson refused them, and each such keyed creation was a 500)."""
    try:
        return orjson.dumps(response, option=orjson.OPT_NON_STR_KEYS).decode()
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(response, ensure_ascii=False, default=str)


def once(ctx: Context, operation: str, key, request: dict, effect: Callable[..., dict],
         prepare: Callable[[], object] | None = None, ahead: Callable[..., object] | None = None) -> dict:
    """Run `effect` in one write transaction, or answer the first result when `key` already ran `request`.

    The scope is the operation and the calling connector; the result must carry its `requested_at`.
    `prepare`, when given, runs first and outside the write lock (the checks that only read); `effect`
    then gets what it returned. If it refuses the request, a retry of a request that went through still
    gets the first result: the key is committed with that result, so a refusal that saw the result's
    effects (a day's total it used up) also sees the key.

    `ahead`, when given, sends the reads the effect will make under the lock (it gets what `prepare`
    returned), right after the key's lookup and before either is answered; `effect` then also gets what
    it returned. On PostgreSQL they all come back in one round trip, not one each.
    """
    key = check_key(key)
    digest = request_hash(request) if key is not None else None
    scope = f"{operation}:{ctx.connector_id or '-'}"
    args = ()
    if prepare is not None:
        try:
            args = (prepare(),)
        except SandboxError:
            earlier = replay(ctx.db.conn, scope, key, digest)
            if earlier is not None:
                return earlier
            raise
    # On PostgreSQL the writes that need no answer (the effect's last ones, the key's record, COMMIT)
    # travel together: one round trip. The transaction's start goes with the key's lookup.
    with pipeline(ctx.db), write(ctx.db):
        asked = _lookup(ctx.db.conn, scope, key)
        if ahead is not None:
            args = (*args, ahead(*args))
        earlier = _replayed(asked, key, digest)
        if earlier is not None:
            return earlier
        result = effect(*args)
        remember(ctx.db.conn, scope, key, digest, result, result["requested_at"])
    return result


def claim(ctx: Context, operation: str, key, request: dict, at: str, answer=None) -> bool:
    """Hold `key` to `request` where no core action runs (an answer from the spec alone): the first request
    under it is recorded (True), with its `answer` (a JSON body) kept beside it; the same request again passes
    (False: a replay); another request under it is refused, as the core refuses it. Called once the answer is
    a success (a refused request claims nothing)."""
    key = check_key(key)
    digest = request_hash(request)
    scope = f"{operation}:{ctx.connector_id or '-'}"
    with write(ctx.db):
        if replay(ctx.db.conn, scope, key, digest) is not None:
            return False
        remember(ctx.db.conn, scope, key, digest, {"answer": answer} if isinstance(answer, (dict, list)) else {}, at)
        return True


def answered(ctx: Context, operation: str, key, answer) -> None:
    """Keep `answer` (a JSON body) as what the request that claimed `key` was answered, once it is final (kept and
    stamped after `claim`): a retry under the key is answered it again."""
    if isinstance(answer, (dict, list)):
        with write(ctx.db):
            ctx.db.conn.execute("UPDATE idempotency SET response = ? WHERE scope = ? AND key = ?",
                                (_text({"answer": answer}), f"{operation}:{ctx.connector_id or '-'}", check_key(key)))


def claimed(ctx: Context, operation: str, key) -> dict:
    """What `claim` kept of the first request under `key` (`{"answer": ...}`, or `{}`), whatever request was
    sent since: an API that answers a reused key with what was made under it (Moov's 409 with the transfer)
    answers that one, not another."""
    with read(ctx.db):
        asked = _lookup(ctx.db.conn, f"{operation}:{ctx.connector_id or '-'}", check_key(key))
        row = asked.fetchone() if asked is not None else None
    return orjson.loads(row[1]) if row is not None else {}
