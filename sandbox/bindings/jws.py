"""JWS shapes: the placeholder signatures the sandbox puts on answers, and the payload of a signed body.

Open-banking APIs sign what they exchange: the UK's a detached JWS of each body in a header
(`x-jws-signature`), Brazil's each body itself as a compact JWS (`application/jwt`). The sandbox holds
no bank's key, so what it sends is the right shape with a placeholder signature (its `kid` says so),
which a client that decodes before it verifies can read; what a client sends is read for its payload,
unverified (the sandbox has no client key to verify it with either).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re

# Protected headers of the placeholder signatures: they name no real key, so no client mistakes one for a bank's.
_DETACHED = {"alg": "PS256", "kid": "bank-sandbox-placeholder", "b64": False, "crit": ["b64"]}
_COMPACT = {"alg": "PS256", "kid": "bank-sandbox-placeholder", "typ": "JWT"}
_COMPACT_SHAPE = re.compile(r"[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*")
# Media types whose bodies are a compact JWS of a JSON payload (RFC 7519's, and any `+jwt` of a vendor).
SIGNED_BODY = re.compile(r"^application/(?:jwt|[\w.+-]*\+jwt)$", re.IGNORECASE)
# And what answers are written as one: RFC 7515's `jose` too, its compact serialization (Pix's QR payloads; a
# request declared so reaches a binding as its text, which a binding may read as it likes).
SIGNED_ANSWER = re.compile(r"^application/(?:jwt|jose|[\w.+-]*\+jwt)$", re.IGNORECASE)
# JSON text: `application/json`, `text/json`, a structured suffix (`application/problem+json`) and a vendor's type
# whose last part says so (`application/vnd.bank.v2.json`, as some vendors version their types); not a sequence of
# documents (`application/x-ndjson`, `application/json-seq`).
_JSON_TEXT = re.compile(r"^(?:application|text)/(?:(?:x-)?json|[\w.+-]*[+.]json)$", re.IGNORECASE)


def carries_json(media_type, signed: bool = True) -> bool:
    """Whether a body of `media_type` holds JSON, whatever its parameters (`; charset=utf-8`): as its text
    (`_JSON_TEXT`), or as the payload of a compact JWS (`SIGNED_ANSWER`: Brazil's answers in `application/jwt`),
    whose schema is its payload's. `signed=False` asks whether the body is written as JSON text itself, as a
    body serialised or parsed is: a signed one is the text of its JWS."""
    bare = str(media_type or "").split(";")[0].strip()
    return bool(_JSON_TEXT.match(bare) or signed and SIGNED_ANSWER.match(bare))


def detached_jws(body) -> str:
    """A detached JWS shape over `body`: base64url(header) + '..' + base64url(placeholder signature)."""
    payload = _canonical(body)
    return f"{_b64(_canonical(_DETACHED, compact=True))}..{_b64(hashlib.sha256(payload).digest() * 8)}"


def compact_jws(body) -> str:
    """`body` as a compact JWS: base64url(header).base64url(JSON payload).base64url(placeholder signature)."""
    payload = _canonical(body)
    return f"{_b64(_canonical(_COMPACT, compact=True))}.{_b64(payload)}.{_b64(hashlib.sha256(payload).digest() * 8)}"


# Claims RFC 7519 puts on each signing, not on what is asked: a client signing the same request again (a
# retry under its idempotency key) sends another `iat` and `jti`, and the same content.
PER_SIGNING = ("iat", "jti", "exp", "nbf")


def content_of(request: dict):
    """The body of `request` as what it asks: a signed body's payload without its per-signing claims."""
    body = request.get("body")
    media = str((request.get("headers") or {}).get("content-type", "")).split(";")[0].strip()
    if isinstance(body, dict) and SIGNED_BODY.match(media):
        return {key: value for key, value in body.items() if key not in PER_SIGNING}
    return body


def payload_of(text: str):
    """The JSON payload of a compact JWS, or None when `text` is not one (or its payload is not JSON)."""
    found = _COMPACT_SHAPE.fullmatch(text.strip())
    if found is None:
        return None
    part = found.group(1)
    try:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (binascii.Error, ValueError):
        return None


def _canonical(value, compact: bool = False) -> bytes:
    if compact:
        return json.dumps(value, separators=(",", ":")).encode()
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str).encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
