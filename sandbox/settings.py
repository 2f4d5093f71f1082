"""Settings: every default in one place, read from the environment only when asked."""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path

from .resources import data_dir


# How long to wait for another worker to finish writing the admin token it has just created.
TOKEN_WAIT_S = 5.0


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the variable and the value."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path(".sandbox")
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    admin_token: str | None = None
    specs: tuple[Path, ...] = field(default_factory=tuple)
    default_workspace: str = "default"
    default_profile: str = "default"
    # Off by default: bank APIs take only OAuth tokens. On, a request without a token is let through as
    # the development caller, naming its workspace in `workspace_header` (quick experiments, fuzzing).
    open_access: bool = False
    # The request log records every bank API call; off only to measure what it costs (bench/).
    request_log: bool = True
    # Connector plans (API categories, capacity, prices); the shipped fixtures/plans.yaml when unset.
    plans: Path | None = None
    workspace_header: str = "X-Sandbox-Workspace"
    validate_responses: bool = True
    # A frozen sandbox time (ISO 8601) for the whole server, e.g. for CI; real time when unset.
    clock: str | None = None

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
        return f"http://{host}:{self.port}"

    @property
    def plans_file(self) -> Path:
        """The connector plans in force: `plans` when set, else the shipped fixtures/plans.yaml."""
        return self.plans or data_dir("fixtures") / "plans.yaml"


def _parse(name: str, raw: str, attribute: str):
    if attribute in ("port", "workers"):
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(f"{name} has value {raw!r}. Not a valid int.") from None
        low, high = (1, 65535) if attribute == "port" else (1, 64)
        if not low <= value <= high:
            raise SettingsError(f"{name} has value {raw!r}. Must be from {low} to {high}.")
        return value
    if attribute in ("validate_responses", "open_access", "request_log"):
        if raw.lower() not in ("1", "0", "true", "false", "yes", "no"):
            raise SettingsError(f"{name} has value {raw!r}. Not a valid boolean (true/false).")
        return raw.lower() in ("1", "true", "yes")
    if attribute == "clock":
        try:
            datetime.fromisoformat(raw)
        except ValueError:
            raise SettingsError(f"{name} has value {raw!r}. Not a valid ISO 8601 date-time.") from None
        return raw
    if attribute in ("data_dir", "plans"):
        return Path(raw)
    if attribute == "specs":
        return tuple(Path(p) for p in raw.split(os.pathsep) if p)
    return raw


def admin_token(settings: Settings) -> tuple[str, bool]:
    """The admin token: from the settings, else the one stored in the data directory, else a new one.

    Returns (token, created_now). A generated token is stored (mode 600) so every worker and every
    restart agrees on it.
    """
    if settings.admin_token:
        return settings.admin_token, False
    path = Path(settings.data_dir) / "admin-token"
    if path.exists():
        return _stored(path), False
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker is storing its token; theirs stands
        return _stored(path), False
    with os.fdopen(fd, "w") as handle:
        handle.write(token + "\n")
    return token, True


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
