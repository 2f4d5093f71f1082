"""DPoP proofs (RFC 9449), checked at the token endpoint and on every bank call with a bound token.

A proof is a JWT the client signs for one request with a key of its own: the header carries the
public key (`typ: dpop+jwt`, `jwk`), the claims the method and URL (`htm`, `htu`), when (`iat`), a
unique id (`jti`) and, at a resource, the hash of the access token (`ath`). An access token is bound
to the key's thumbprint (`jkt`, RFC 7638), so a stolen token is useless without the key. The JOSE
work is joserfc's. Ids already seen live in governance.db (`SeenIds`), so a proof replayed at another
worker is refused there too; client assertions (private_key_jwt) use the same store.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import time
from urllib.parse import urlsplit

from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import import_key

from ..store.governance import GovernanceStore
from .keys import ALGORITHMS, KEY_TYPES

# How far a proof's `iat` may be from the server's time, either way; a seen id is kept this long after.
WINDOW_S = 60
_DEFAULT_PORTS = {"http": 80, "https": 443}


class ProofError(Exception):
    """A token presented against its binding: `invalid_dpop_proof` or `invalid_token`; the message says why."""

    def __init__(self, description: str, error: str = "invalid_dpop_proof"):
        super().__init__(description)
        self.error = error


class SeenIds:
    """Ids (`jti`) accepted once and refused afterwards, shared by every worker through governance.db."""

    def __init__(self, store: GovernanceStore):
        self.store = store
        self._calls = itertools.count()

    def first_use(self, key: str, expires_at: float) -> bool:
        """Remember `key` until `expires_at`; False when it was seen before (a replay)."""
        now = time.time()
        with self.store.write() as conn:
            if next(self._calls) % 256 == 0:  # forget the expired now and then, not on every call
                conn.execute("DELETE FROM seen_jtis WHERE expires_at < ?", (now,))
            conn.execute("DELETE FROM seen_jtis WHERE key = ? AND expires_at < ?", (key, now))
            return conn.execute("INSERT OR IGNORE INTO seen_jtis (key, expires_at) VALUES (?, ?)",
                                (key, expires_at)).rowcount == 1


def token_hash(access_token: str) -> str:
    """`ath`: base64url (no padding) of the SHA-256 of the access token."""
    return base64.urlsafe_b64encode(hashlib.sha256(access_token.encode()).digest()).rstrip(b"=").decode()


def target(url: str) -> str:
    """A URL as `htu` compares it: scheme, host and path, without query or fragment or a default port."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port and parts.port != _DEFAULT_PORTS.get(scheme) else ""
    return f"{scheme}://{host}{port}{parts.path or '/'}"


def _target_or_none(url: str) -> str | None:
    try:
        return target(url)
    except ValueError:  # not a URL at all (an unclosed IPv6 bracket, a port that is no number)
        return None


class Proofs:
    def __init__(self, seen: SeenIds):
        self.seen = seen

    def check(self, proof: str | None, method: str, url: str, access_token: str | None = None) -> str:
        """The thumbprint (`jkt`) of the key that signed a valid proof for this request, or ProofError."""
        if not proof:
            raise ProofError("send a DPoP proof in the DPoP header")
        if "," in proof:
            raise ProofError("send exactly one DPoP header")
        try:
            header = jws.extract_compact(proof.encode()).headers()
        except (JoseError, ValueError, UnicodeError):
            raise ProofError("the DPoP header is not a signed JWT") from None
        if header.get("typ") != "dpop+jwt":
            raise ProofError("a DPoP proof has typ dpop+jwt")
        if header.get("alg") not in ALGORITHMS:
            raise ProofError(f"sign the DPoP proof with one of {', '.join(ALGORITHMS)}")
        public = header.get("jwk")
        if not isinstance(public, dict) or public.get("kty") not in KEY_TYPES:
            raise ProofError(f"the proof's jwk header must be a public {', '.join(KEY_TYPES)} key")
        try:
            key = import_key(public)
        except (JoseError, ValueError, TypeError, KeyError):
            raise ProofError("the proof's jwk header is not a usable public key") from None
        if key.is_private:
            raise ProofError("the proof's jwk header holds a private key")
        try:
            claims = jwt.decode(proof, key, algorithms=ALGORITHMS).claims
        except (JoseError, ValueError):
            raise ProofError("the DPoP proof's signature does not verify with its jwk") from None
        jti, iat = claims.get("jti"), claims.get("iat")
        if not isinstance(jti, str) or not jti:
            raise ProofError("the DPoP proof needs a jti")
        if claims.get("htm") != method.upper():
            raise ProofError(f"the DPoP proof is for {claims.get('htm')!r}, not {method.upper()}")
        if not isinstance(claims.get("htu"), str) or _target_or_none(claims["htu"]) != target(url):
            raise ProofError(f"the DPoP proof's htu is not {target(url)}")
        now = time.time()
        if isinstance(iat, bool) or not isinstance(iat, (int, float)) or abs(now - iat) > WINDOW_S:
            raise ProofError(f"the DPoP proof's iat must be within {WINDOW_S} s of the server's time")
        if access_token is not None and claims.get("ath") != token_hash(access_token):
            raise ProofError("the DPoP proof's ath is not the hash of this access token")
        jkt = key.thumbprint()
        if not self.seen.first_use(f"dpop:{jkt}:{jti}", now + 2 * WINDOW_S):
            raise ProofError("this DPoP proof was already used (jti); make a new proof for every request")
        return jkt

    def check_presentation(self, access_token: str, jkt: str | None, scheme: str, proof: str | None, method: str,
                           url: str, *, required: bool) -> None:
        """At a bank: the token is presented as it is bound (RFC 9449 section 7), else ProofError.

        `scheme` is how it came (`Bearer`, `DPoP`, or `apiKey` for a token in an API key's place);
        `required`: the bank takes DPoP-bound tokens only.
        """
        if jkt is None:
            if scheme == "DPoP":
                raise ProofError("this access token is not DPoP-bound: send it as Bearer", "invalid_token")
            if required:
                raise ProofError("this bank follows FAPI 2.0 and takes only DPoP-bound access tokens", "invalid_token")
            return
        if scheme == "Bearer":
            raise ProofError("this access token is DPoP-bound: send it as 'Authorization: DPoP <token>' with a proof "
                             "in the DPoP header", "invalid_token")
        if self.check(proof, method, url, access_token) != jkt:
            raise ProofError("the DPoP proof is signed with another key than the one the token is bound to")
