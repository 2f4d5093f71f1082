"""The connector registry: who may call the banks, in which class and plan, and the kill switch.

A connector belongs to one workspace and lives in the governance database, so a workspace reset
(which restores the workspace file) leaves its credentials alone. Client secrets are stored only as
salted hashes (`hash_secret`); the secret is shown once, when the connector is created or its secret rotated.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from ..domain.errors import SandboxError
from ..store.governance import GovernanceStore
from .keys import check_jwks, check_jwks_uri
from .plans import PROFILES, Plans
from .recent import Recent

CLASSES = ("self-use", "third-party")
# 電子決済等代行業者 registration numbers, e.g. 関東財務局長（電代）第12号.
REGISTRATION_FULL = re.compile(
    r"^(?:(?:北海道|東北|関東|東海|北陸|近畿|中国|四国|九州)財務局長|福岡財務支局長|沖縄総合事務局長)"
    r"[（(]電代[）)]第[0-9０-９]{1,5}号$"
)
NAME = re.compile(r"^\S(?:.{0,78}\S)?$")


@dataclass(frozen=True)
class Connector:
    id: str
    workspace: str
    name: str
    connector_class: str
    plan: str
    redirect_uris: tuple[str, ...]
    customer_id: str | None
    registration_number: str | None
    secret_hash: str
    token_ttl: int
    status: str
    created_at: str
    # `fapi2`: PAR, private_key_jwt and DPoP-bound tokens (docs/connectors.md); its plan may ask it too.
    security_profile: str = "plain"
    jwks: str | None = None  # JSON text of its public keys (private_key_jwt), or
    jwks_uri: str | None = None  # where to fetch them

    @property
    def suspended(self) -> bool:
        return self.status == "suspended"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["client_id_uuid"] = uuid_form(self.id)
        data.pop("secret_hash")
        data["jwks"] = json.loads(self.jwks) if self.jwks else None
        data["class"] = data.pop("connector_class")
        data["redirect_uris"] = list(self.redirect_uris)
        return data

    def check_secret(self, secret: str) -> bool:
        return verify_secret(self.secret_hash, secret)


def uuid_form(connector_id: str) -> str | None:
    """The connector's client id written as a UUID, for banks whose specs take client ids in no other form.

    Zuora's token request takes a `client_id` of exactly 36 characters, and its SDK checks that before it
    sends anything: the sandbox's `cn_` ids (19 characters) could not get a token there at all. The UUID
    (version 8, RFC 9562's form for ids of one's own making) carries the id's 64 bits, the rest of it a
    digest of the id, so it is read back without being stored (`from_uuid_form`) and every bank takes
    either form. None for an id that is not the sandbox's `cn_` and 16 hex digits."""
    if not isinstance(connector_id, str) or not _CONNECTOR_ID.fullmatch(connector_id):
        return None
    number = int(connector_id[3:], 16)
    rest = int.from_bytes(hashlib.sha256(connector_id.encode()).digest()[:8], "big") & ((1 << 58) - 1)
    high = ((number >> 16) << 16) | (0x8 << 12) | ((number >> 4) & 0xFFF)
    low = (0b10 << 62) | ((number & 0xF) << 58) | rest
    return str(uuid.UUID(int=(high << 64) | low))


def from_uuid_form(client_id) -> str | None:
    """The connector id a `uuid_form` client id stands for, or None when `client_id` is not one."""
    if not isinstance(client_id, str) or len(client_id) != 36:
        return None
    try:
        value = uuid.UUID(client_id).int
    except ValueError:
        return None
    high, low = value >> 64, value & ((1 << 64) - 1)
    number = ((high >> 16) << 16) | ((high & 0xFFF) << 4) | ((low >> 58) & 0xF)
    connector_id = f"cn_{number:016x}"
    return connector_id if uuid_form(connector_id) == client_id.lower() else None


_CONNECTOR_ID = re.compile(r"cn_[0-9a-f]{16}")


def new_secret() -> str:
    """A client secret: 240 random bits in 40 URL-safe characters. Banks bound the secrets their clients send
    (Zuora's token request: at most 42 characters, checked by its SDK before it sends), and 256 bits written
    out (43 characters) passed none of those bounds, for no safety a guess could tell from 240."""
    return secrets.token_urlsafe(30)


def hash_secret(secret: str, salt: str | None = None) -> str:
    """What is kept of a client secret: a salted SHA-256.

    Every secret is 240 random bits the sandbox drew itself (`new_secret`), so no
    guess can be sped up by a dictionary and a slow hash would protect nothing more; it would only
    cost each token request and each bad guess tens of milliseconds of CPU (60,000 PBKDF2 rounds,
    as secrets were hashed before: those hashes are still verified).
    """
    salt = salt or secrets.token_hex(16)
    return f"sha256${salt}${hashlib.sha256(f'{salt}{secret}'.encode()).hexdigest()}"


def verify_secret(stored: str, secret) -> bool:
    if not isinstance(secret, str) or not secret:
        return False
    scheme, _, rest = stored.partition("$")
    try:
        if scheme == "sha256":
            salt, digest = rest.split("$")
            given = hashlib.sha256(f"{salt}{secret}".encode()).hexdigest()
        elif scheme == "pbkdf2_sha256":
            rounds, salt, digest = rest.split("$")
            given = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt.encode(), int(rounds)).hex()
        else:
            return False
    except ValueError:
        return False
    return hmac.compare_digest(given, digest)


_COLUMNS = ("id, workspace, name, class, plan, redirect_uris, customer_id, registration_number, secret_hash, "
            "token_ttl, status, created_at, security_profile, jwks, jwks_uri")


def _connector(row) -> Connector:
    return Connector(row[0], row[1], row[2], row[3], row[4], tuple(json.loads(row[5])), row[6], row[7], row[8],
                     row[9], row[10], row[11], row[12], row[13], row[14])


class Connectors:
    """Create, read, suspend and resume connectors; every suspend and resume goes in the audit log."""

    def __init__(self, store: GovernanceStore, plans: Plans):
        self.store = store
        self.plans = plans
        self._recent = Recent(store.data_version)

    # -- registry ---------------------------------------------------------------------------------
    def create(self, workspace: str, *, name, connector_class, plan=None, redirect_uris=(), customer_id=None,
               registration_number=None, token_ttl=3600, security_profile=None, jwks=None,
               jwks_uri=None) -> tuple[Connector, str]:
        """A new connector and its client secret (shown this once; only its hash is kept)."""
        if not isinstance(name, str) or not NAME.match(name):
            raise SandboxError("invalid_request", "name must be 1 to 80 characters, not starting or ending with a space",
                               field="name")
        if connector_class not in CLASSES:
            raise SandboxError("invalid_request", f"class must be one of {', '.join(CLASSES)}, got {connector_class!r}",
                               field="class")
        plan = self._plan(plan or self.plans.default)
        uris = _redirect_uris(redirect_uris)
        if connector_class == "self-use":
            if not customer_id:
                raise SandboxError("invalid_request", "a self-use connector names the corporate customer it belongs to",
                                   field="customer_id")
            if registration_number:
                raise SandboxError("invalid_request", "a self-use connector has no registration number",
                                   field="registration_number")
        else:
            if customer_id:
                raise SandboxError("invalid_request", "a third-party connector acts for customers; it belongs to none",
                                   field="customer_id")
            if not isinstance(registration_number, str) or not REGISTRATION_FULL.match(registration_number):
                raise SandboxError(
                    "invalid_request",
                    "registration_number must be an 電子決済等代行業 registration such as 関東財務局長（電代）第12号",
                    field="registration_number")
            _require_redirects(connector_class, uris)
        _require_token_ttl(token_ttl)
        profile, jwks, jwks_uri = self._keys(plan, security_profile, jwks, jwks_uri)
        secret = new_secret()
        connector = Connector(
            "cn_" + secrets.token_hex(8), workspace, name, connector_class, plan, uris, customer_id,
            registration_number, hash_secret(secret), token_ttl, "active",
            datetime.now(timezone.utc).isoformat(timespec="seconds"), profile, jwks, jwks_uri)
        with self._write() as conn:
            conn.execute(f"INSERT INTO connectors ({_COLUMNS}) VALUES ({', '.join('?' * 15)})", (
                connector.id, workspace, name, connector_class, plan, json.dumps(list(uris)), customer_id,
                registration_number, connector.secret_hash, token_ttl, "active", connector.created_at, profile, jwks,
                jwks_uri))
            _audit(conn, workspace, connector.id, "created", "bank staff", None)
        return connector, secret

    def _keys(self, plan: str, profile, jwks, jwks_uri) -> tuple[str, str | None, str | None]:
        """The profile and public keys of a new connector: FAPI 2.0 (its own or its plan's) needs keys."""
        profile = profile or "plain"
        if profile not in PROFILES:
            raise SandboxError("invalid_request", f"security_profile must be one of {', '.join(PROFILES)}, got "
                                                  f"{profile!r}", field="security_profile")
        if jwks is not None and jwks_uri is not None:
            raise SandboxError("invalid_request", "give jwks or jwks_uri, not both", field="jwks")
        jwks = check_jwks(jwks) if jwks is not None else None
        jwks_uri = check_jwks_uri(jwks_uri) if jwks_uri is not None else None
        for asked in (profile, self.plans.get(plan).security_profile):
            _require_keys(asked, jwks, jwks_uri)
        return profile, jwks, jwks_uri

    def profile(self, connector: Connector) -> str:
        """The security profile the connector must follow: `fapi2` when it or its plan says so."""
        if "fapi2" in (connector.security_profile, self.plans.get(connector.plan).security_profile):
            return "fapi2"
        return "plain"

    def get(self, connector_id) -> Connector:
        """The connector, or `connector_not_found`; its id may be written as a UUID (`uuid_form`). Cached while
        fresh (governance/recent.py)."""
        connector_id = from_uuid_form(connector_id) or connector_id
        cache = self._recent.entries()
        connector = cache.get(connector_id)
        if connector is None:
            row = self.store.conn.execute(f"SELECT {_COLUMNS} FROM connectors WHERE id = ?", (str(connector_id),)).fetchone()
            if row is None:
                raise SandboxError("connector_not_found", f"no connector {connector_id!r}", connector_id=str(connector_id))
            connector = cache[connector_id] = _connector(row)
        return connector

    def _changed(self) -> None:
        self._recent.clear()  # this thread's own writes do not move its data_version

    @contextmanager
    def _write(self):
        try:
            with self.store.write() as conn:
                yield conn
        finally:
            self._changed()

    def find(self, connector_id) -> Connector | None:
        try:
            return self.get(connector_id)
        except SandboxError:
            return None

    def list(self, workspace: str | None = None) -> list[Connector]:
        if workspace is None:
            rows = self.store.conn.execute(f"SELECT {_COLUMNS} FROM connectors ORDER BY created_at, id")
        else:
            rows = self.store.conn.execute(f"SELECT {_COLUMNS} FROM connectors WHERE workspace = ? ORDER BY created_at, id",
                                           (workspace,))
        return [_connector(row) for row in rows]

    def update(self, connector_id, *, plan=None, redirect_uris=None, token_ttl=None) -> Connector:
        """Change what bank staff may change after registration; a new token lifetime applies to tokens issued
        from then on (those already issued keep theirs)."""
        connector = self.get(connector_id)
        if plan is not None:
            self._plan(plan)
            _require_keys(self.plans.get(plan).security_profile, connector.jwks, connector.jwks_uri)
        uris = connector.redirect_uris if redirect_uris is None else _require_redirects(
            connector.connector_class, _redirect_uris(redirect_uris))
        ttl = connector.token_ttl if token_ttl is None else _require_token_ttl(token_ttl)
        with self._write() as conn:
            conn.execute("UPDATE connectors SET plan = ?, redirect_uris = ?, token_ttl = ? WHERE id = ?",
                         (plan or connector.plan, json.dumps(list(uris)), ttl, connector.id))
            if plan and plan != connector.plan:
                _audit(conn, connector.workspace, connector.id, "plan_changed", "bank staff", f"{connector.plan} -> {plan}")
            if ttl != connector.token_ttl:
                _audit(conn, connector.workspace, connector.id, "token_ttl_changed", "bank staff",
                       f"{connector.token_ttl} s -> {ttl} s")
        return self.get(connector_id)

    def _plan(self, plan) -> str:
        if plan not in self.plans.names:
            raise SandboxError("invalid_request", f"unknown plan {plan!r} (plans: {', '.join(self.plans.names)})",
                               field="plan")
        return plan

    def rotate_secret(self, connector_id) -> tuple[Connector, str]:
        connector = self.get(connector_id)
        secret = new_secret()
        with self._write() as conn:
            conn.execute("UPDATE connectors SET secret_hash = ? WHERE id = ?", (hash_secret(secret), connector.id))
            _audit(conn, connector.workspace, connector.id, "secret_rotated", "bank staff", None)
        return self.get(connector_id), secret

    def delete(self, connector_id) -> None:
        connector = self.get(connector_id)
        with self._write() as conn:
            conn.execute("DELETE FROM connectors WHERE id = ?", (connector.id,))
            _audit(conn, connector.workspace, connector.id, "deleted", "bank staff", None)

    def delete_workspace(self, workspace: str) -> int:
        """Remove every connector of a workspace (when the workspace itself is deleted)."""
        with self._write() as conn:
            gone = conn.execute("DELETE FROM connectors WHERE workspace = ?", (workspace,)).rowcount
            if gone:
                _audit(conn, workspace, None, "connectors_deleted", "bank staff", f"{gone} connector(s)")
        return gone

    # -- kill switch ------------------------------------------------------------------------------
    def suspend(self, connector_id, *, actor: str, reason: str | None = None) -> Connector:
        """Stop the connector at once: its tokens are refused from the next request on."""
        return self._set_status(connector_id, "suspended", actor, reason)

    def resume(self, connector_id, *, actor: str, reason: str | None = None) -> Connector:
        return self._set_status(connector_id, "active", actor, reason)

    def _set_status(self, connector_id, status: str, actor: str, reason) -> Connector:
        connector = self.get(connector_id)
        if reason is not None and (not isinstance(reason, str) or len(reason) > 500):
            raise SandboxError("invalid_request", "reason must be text of at most 500 characters", field="reason")
        with self._write() as conn:
            conn.execute("UPDATE connectors SET status = ? WHERE id = ?", (status, connector.id))
            _audit(conn, connector.workspace, connector.id, "suspended" if status == "suspended" else "resumed",
                   actor, reason)
        return self.get(connector_id)

    def audit(self, *, workspace: str | None = None, connector_id: str | None = None, limit: int = 100) -> list[dict]:
        clauses, params = [], []
        if workspace is not None:
            clauses.append("workspace = ?")
            params.append(workspace)
        if connector_id is not None:
            clauses.append("connector_id = ?")
            params.append(connector_id)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.store.conn.execute(
            f"SELECT id, at, workspace, connector_id, event, actor, reason FROM audit {where} ORDER BY id DESC LIMIT ?",
            (*params, limit))
        return [dict(zip(("id", "at", "workspace", "connector_id", "event", "actor", "reason"), row)) for row in rows]


def _audit(conn, workspace, connector_id, event, actor, reason) -> None:
    conn.execute("INSERT INTO audit (at, workspace, connector_id, event, actor, reason) VALUES (?, ?, ?, ?, ?, ?)",
                 (datetime.now(timezone.utc).isoformat(timespec="milliseconds"), workspace, connector_id, event, actor,
                  reason))


def _require_keys(profile: str, jwks, jwks_uri) -> None:
    """A connector on the FAPI 2.0 profile (its own or its plan's) signs its client assertions: it needs keys."""
    if profile == "fapi2" and not (jwks or jwks_uri):
        raise SandboxError("invalid_request", "a connector on the FAPI 2.0 profile authenticates with private_key_jwt: "
                                              "register its public keys (jwks or jwks_uri)", field="jwks")


def _require_token_ttl(token_ttl) -> int:
    if not (isinstance(token_ttl, int) and not isinstance(token_ttl, bool) and 1 <= token_ttl <= 86400):
        raise SandboxError("invalid_request", "token_ttl must be whole seconds from 1 to 86400", field="token_ttl")
    return token_ttl


def _require_redirects(connector_class: str, uris: tuple[str, ...]) -> tuple[str, ...]:
    """A third-party connector signs customers in, so it always has somewhere to send them back."""
    if connector_class == "third-party" and not uris:
        raise SandboxError("invalid_request", "a third-party connector needs at least one redirect URI",
                           field="redirect_uris")
    return uris


def _redirect_uris(values) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise SandboxError("invalid_request", "redirect_uris must be a list of URLs", field="redirect_uris")
    uris = []
    for value in values:
        if not (isinstance(value, str) and re.match(r"^https?://[^\s#]+$", value) and len(value) <= 500):
            raise SandboxError("invalid_request", f"redirect URI {value!r} is not an http(s) URL without a fragment",
                               field="redirect_uris")
        uris.append(value)
    return tuple(uris)
