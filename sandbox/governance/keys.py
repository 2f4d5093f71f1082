"""A connector's public keys, for client authentication by `private_key_jwt` (RFC 7523).

Registered either as a JWKS, kept as given, or as a `jwks_uri`, fetched when an assertion arrives
and kept for a minute (so a connector can rotate its keys at its own address). Only public keys of
the asymmetric types FAPI 2.0 signs with are accepted: a private key sent by mistake is refused,
never stored. The JOSE work is joserfc's.
"""

from __future__ import annotations

import json
import re
import threading
import time

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ..domain.errors import SandboxError

# FAPI 2.0 lets clients sign with PS256, ES256 or EdDSA (Ed25519); RS256 is not among them.
ALGORITHMS = ["ES256", "PS256", "EdDSA"]
KEY_TYPES = ("EC", "RSA", "OKP")
FETCHED_TTL_S = 60
URI = re.compile(r"^https?://[^\s#]+$")


def check_jwks(value) -> str:
    """The JWKS as stored (JSON text), or `invalid_request` saying what is wrong with it."""
    if not isinstance(value, dict) or not isinstance(value.get("keys"), list) or not value["keys"]:
        raise SandboxError("invalid_request", "jwks must be a JSON Web Key Set: {\"keys\": [...]} with at least one key",
                           field="jwks")
    key_set = _import(value, "jwks")
    for key in key_set:
        if key.key_type not in KEY_TYPES:
            raise SandboxError("invalid_request", f"jwks: a {key.key_type} key cannot sign a client assertion "
                                                  f"(use {', '.join(KEY_TYPES)})", field="jwks")
        if key.is_private:
            raise SandboxError("invalid_request", "jwks holds a private key: register only the public half", field="jwks")
    return json.dumps(value, separators=(",", ":"))


def check_jwks_uri(value) -> str:
    if not (isinstance(value, str) and URI.match(value) and len(value) <= 500):
        raise SandboxError("invalid_request", f"jwks_uri {value!r} is not an http(s) URL without a fragment",
                           field="jwks_uri")
    return value


class PublicKeys:
    """Where the authorization server finds a connector's keys: its JWKS, or its jwks_uri (cached)."""

    def __init__(self):
        self._fetched: dict[str, tuple[float, KeySet]] = {}
        self._lock = threading.Lock()

    def of(self, connector) -> KeySet | None:
        """The connector's key set; None when it registered none or its jwks_uri gives no usable set."""
        if connector.jwks:
            return KeySet.import_key_set(json.loads(connector.jwks))
        if not connector.jwks_uri:
            return None
        with self._lock:
            cached = self._fetched.get(connector.jwks_uri)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        try:
            answer = httpx.get(connector.jwks_uri, timeout=5)
            answer.raise_for_status()
            key_set = KeySet.import_key_set(json.loads(check_jwks(answer.json())))
        except (httpx.HTTPError, ValueError, SandboxError, JoseError):
            return None
        with self._lock:
            self._fetched[connector.jwks_uri] = (time.monotonic() + FETCHED_TTL_S, key_set)
        return key_set


def _import(value: dict, field: str) -> KeySet:
    try:
        return KeySet.import_key_set(value)
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise SandboxError("invalid_request", f"{field}: not a usable JSON Web Key Set ({error})", field=field) from None


# A bearer token a connector signs itself (an API whose bearer scheme says `bearerFormat: JWT` and whose clients
# sign each token with their own key, Enable Banking's `kid` = the application id): RS256 too, which such APIs use.
SELF_SIGNED_ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"]


# The longest such a JWT may live, from its `iat` (else from now) to its `exp`: the widest bound these APIs set
# (Enable Banking's is a day; GitHub's app JWT ten minutes). One signed to live for years would pass a sandbox and
# fail the bank; seconds of clock skew are allowed either way.
SELF_SIGNED_MAX_LIFETIME_S = 86_400
SELF_SIGNED_SKEW_S = 60


def self_signed_claims(key_set: KeySet, token: str, now: float) -> dict:
    """The claims of a JWT the connector signed with one of its registered keys, within its `exp` (at most a day
    after its `iat`) and past its `nbf`; a ValueError saying why not otherwise. Any of its keys may have signed it:
    such a JWT's `kid` names the connector (its client id), not one of its keys."""
    from joserfc import jwt

    problem = "no key of the connector verifies its signature"
    for key in key_set:
        try:
            claims = jwt.decode(token, key, algorithms=SELF_SIGNED_ALGORITHMS).claims
        except (JoseError, ValueError) as error:
            problem = str(error) or problem
            continue
        expiry = claims.get("exp")
        if not isinstance(expiry, (int, float)) or isinstance(expiry, bool):
            raise ValueError("it says no expiry (exp)")
        if expiry <= now:
            raise ValueError("it has expired")
        issued = claims.get("iat")
        issued = issued if isinstance(issued, (int, float)) and not isinstance(issued, bool) else now
        if issued > now + SELF_SIGNED_SKEW_S:
            raise ValueError("it was issued in the future (iat)")
        if expiry - issued > SELF_SIGNED_MAX_LIFETIME_S + SELF_SIGNED_SKEW_S:
            raise ValueError(f"it lives {int(expiry - issued)} s, longer than the {SELF_SIGNED_MAX_LIFETIME_S} s such a "
                             "token may (exp - iat)")
        not_before = claims.get("nbf")
        if isinstance(not_before, (int, float)) and not isinstance(not_before, bool) and \
                not_before > now + SELF_SIGNED_SKEW_S:
            raise ValueError("it is not valid yet (nbf)")
        return claims
    raise ValueError(problem)
