"""Settings: every default in one place, read from the environment only when asked."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
import time
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path


from .resources import data_dir


# How long to wait for another worker to finish writing the admin token it has just created.
TOKEN_WAIT_S = 5.0
# The most worker processes `serve` starts on its own: past this a machine is better served by replicas,
# and each worker holds its own copy of the parsed specs (about 150 MiB).
MAX_DEFAULT_WORKERS = 8


def machine_workers(cgroup: Path = Path("/sys/fs/cgroup/cpu.max")) -> int:
    """One worker per CPU this process may use: its CPU affinity, within a container's CPU quota, at most 8.

    A worker runs its requests' short SQLite work on its own event loop, so it keeps one CPU busy; more
    workers than CPUs only take turns. `--workers` or SANDBOX_WORKERS say otherwise.
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        quota, period = cgroup.read_text().split()[:2]
        if quota != "max":
            cpus = min(cpus, max(1, -(-int(quota) // int(period))))  # a quota of 1.5 CPUs gets 2 workers
    except (OSError, ValueError):
        pass  # no cgroup v2 quota: the affinity decides
    return max(1, min(cpus, MAX_DEFAULT_WORKERS))


# The admin token opens everything: shorter than this, it could be guessed (the generated one is 32).
MIN_ADMIN_TOKEN = 32


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the variable and the value."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path(".sandbox")
    # A PostgreSQL URL (postgresql://user:password@host:5432/db): all state lives there, so replicas on
    # other machines share it and their data directories hold nothing that decides an answer. Unset:
    # SQLite files under data_dir.
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    # Server worker processes: by default one per CPU this process may use (`machine_workers`).
    workers: int = field(default_factory=machine_workers)
    admin_token: str | None = None
    specs: tuple[Path, ...] = field(default_factory=tuple)
    default_workspace: str = "default"
    default_profile: str = "default"
    # Off by default: bank APIs take only OAuth tokens. On, a request without a token is let through as
    # the development caller, naming its workspace in `workspace_header` (quick experiments, fuzzing).
    open_access: bool = False
    # The request log records every bank API call; off only to measure what it costs (bench/).
    request_log: bool = True
    # The business-logic abuse rules (docs/abuse.md) watch connectors' calls; off only to measure what they cost.
    abuse_rules: bool = True
    # Connector plans (API categories, capacity, prices); the shipped fixtures/plans.yaml when unset.
    plans: Path | None = None
    workspace_header: str = "X-Sandbox-Workspace"
    validate_responses: bool = True
    # A frozen sandbox time (ISO 8601) for the whole server, e.g. for CI; real time when unset.
    clock: str | None = None
    # On, a bank folder that cannot be served stops start-up; off, it is reported and the others are served.
    strict: bool = False
    # Failed admin-token or customer sign-ins allowed per client address, in `limits` notation.
    failed_auth_limit: str = "10/minute"
    # Request bodies larger than this are refused (413) before they are read.
    max_body_bytes: int = 1024 * 1024
    # Bulk-transfer submissions (up to 9,999 items; a full Zengin file is about 1.2 MB) may be this large.
    max_bulk_body_bytes: int = 16 * 1024 * 1024
    # Requests one worker works on at once, and how late its event loop may run (how long a new request
    # would wait to start); past either, requests are refused at once (503 + Retry-After), not queued.
    max_in_flight: int = 64
    max_queue_ms: int = 250
    # HTTPS: with a certificate from the sandbox's own authority, which names every host the served specs
    # name (http/certificates.py), or with `tls_cert` and `tls_key` when given (either turns TLS on).
    tls: bool = False
    tls_cert: Path | None = None
    tls_key: Path | None = None

    @classmethod
    def from_env(cls, environ=None, **overrides) -> "Settings":
        """Build settings from SANDBOX_* variables, then apply `overrides` (None values are ignored)."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            name = f"SANDBOX_{f.name.upper()}"
            if name in environ and environ[name] != "":
                values[f.name] = _parse(name, environ[name], f.name)
        settings = cls(**values)
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def base_url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"{'https' if self.serves_tls else 'http'}://{host}:{self.port}"

    @property
    def serves_tls(self) -> bool:
        return bool(self.tls or self.tls_cert)

    @property
    def plans_file(self) -> Path:
        """The connector plans in force: `plans` when set, else the shipped fixtures/plans.yaml."""
        return self.plans or data_dir("fixtures") / "plans.yaml"


_INT_RANGES = {"port": (1, 65535), "workers": (1, 64), "max_body_bytes": (1024, 1 << 31), "max_bulk_body_bytes": (1024, 1 << 31), "max_in_flight": (1, 100_000),
               "max_queue_ms": (1, 60_000)}


def _parse(name: str, raw: str, attribute: str):
    if attribute in ("port", "workers", "max_body_bytes", "max_bulk_body_bytes", "max_in_flight", "max_queue_ms"):
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(f"{name} has value {raw!r}. Not a valid int.") from None
        low, high = _INT_RANGES[attribute]
        if not low <= value <= high:
            raise SettingsError(f"{name} has value {raw!r}. Must be from {low} to {high}.")
        return value
    if attribute in ("validate_responses", "open_access", "request_log", "abuse_rules", "strict", "tls"):
        if raw.lower() not in ("1", "0", "true", "false", "yes", "no"):
            raise SettingsError(f"{name} has value {raw!r}. Not a valid boolean (true/false).")
        return raw.lower() in ("1", "true", "yes")
    if attribute == "failed_auth_limit":
        from limits import parse  # only here: the library costs every command ~50 ms to import

        try:
            parse(raw)
        except ValueError:
            raise SettingsError(f"{name} has value {raw!r}. Not a rate such as '10/minute'.") from None
        return raw
    if attribute == "clock":
        try:
            datetime.fromisoformat(raw)
        except ValueError:
            raise SettingsError(f"{name} has value {raw!r}. Not a valid ISO 8601 date-time.") from None
        return raw
    if attribute == "database_url":
        return database_url(raw, name)
    if attribute in ("data_dir", "plans", "tls_cert", "tls_key"):
        return Path(raw)
    if attribute == "specs":
        return tuple(Path(p) for p in raw.split(os.pathsep) if p)
    return raw


def admin_token(settings: Settings) -> tuple[str, bool]:
    """The admin token: from the settings, else the one stored in the data directory, else a new one.

    Returns (token, created_now). A generated token is stored (mode 600) so every worker and every
    restart agrees on it. A token shorter than MIN_ADMIN_TOKEN characters stops the start of a server
    that listens beyond the loopback interface; on 127.0.0.1 alone (one person's own machine) it is
    allowed, and `serve` warns (`weak_admin_token`).
    """
    if settings.admin_token:
        return _long_enough(settings.admin_token, "SANDBOX_ADMIN_TOKEN", settings.host), False
    if settings.database_url:  # every replica reads the one the first of them stored
        token, created = _database_secret(settings, "admin-token", lambda: secrets.token_urlsafe(24))
        return _long_enough(token, "the admin token stored in the database", settings.host), created
    path = Path(settings.data_dir) / "admin-token"
    if path.exists():
        return _long_enough(_stored(path), str(path), settings.host), False
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker is storing its token; theirs stands
        return _stored(path), False
    with os.fdopen(fd, "w") as handle:
        handle.write(token + "\n")
    return token, True


def weak_admin_token(token: str) -> bool:
    return len(token) < MIN_ADMIN_TOKEN


def loopback(host: str) -> bool:
    """True for a host only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _long_enough(token: str, source: str, host: str) -> str:
    if weak_admin_token(token) and not loopback(host):
        raise SettingsError(
            f"{source} is {len(token)} characters long; a server listening on {host} needs an admin token of at least "
            f"{MIN_ADMIN_TOKEN} characters (a shorter one is allowed on 127.0.0.1 only). "
            "Make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'")
    return token


def _stored(path: Path) -> str:
    """The stored token, waiting a moment for a worker that has just created the file to write it."""
    deadline = time.monotonic() + TOKEN_WAIT_S
    while not (token := path.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.01)
    if not token:
        raise SettingsError(f"{path} is empty; delete it to generate a new admin token, or set SANDBOX_ADMIN_TOKEN.")
    return token


def signing_secret(settings: Settings) -> str:
    """The secret that signs the bank sign-in pages' tickets: random, stored in the data directory once.

    Every worker process reads the same file, so a page served by one worker is accepted by another.
    """
    if settings.database_url:
        return _database_secret(settings, "signing-secret", lambda: secrets.token_urlsafe(32))[0]
    path = Path(settings.data_dir) / "signing-secret"
    if path.exists():
        return _stored(path)
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _stored(path)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret + "\n")
    return secret


def database_url(raw: str, source: str = "--database-url") -> str:
    """A PostgreSQL URL as given, or a SettingsError naming `source`."""
    if not raw.startswith(("postgresql://", "postgres://")):
        raise SettingsError(f"{source} has value {_hidden(raw)!r}. Not a PostgreSQL URL (postgresql://user@host:5432/db).")
    return raw


def _hidden(url: str) -> str:
    """The URL without its password, fit for an error message."""
    return re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", url)


def _database_secret(settings: Settings, name: str, make) -> tuple[str, bool]:
    from .store.postgres import Postgres  # psycopg is imported only by those who use it

    return Postgres.at(settings.database_url).secret(name, make)
