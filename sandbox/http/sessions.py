"""The console's sign-in sessions, kept on the server: the browser holds only a random session id.

Flask's own session is a signed cookie: readable by whoever holds it, and valid until it expires
whatever the server thinks. Here the cookie carries a 32-byte random id and nothing else; the
session's content lives in a directory of the data dir (shared by every worker process), so signing
out deletes it for good, and a session records only a fingerprint of the admin token it was opened
with, so changing the token ends every session opened with the old one.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

from cachelib.file import FileSystemCache
from flask import Flask, request
from flask_session.cachelib import CacheLibSessionInterface

# A console session ends after this long, signed out or not.
LIFETIME = timedelta(hours=12)


class _ServerSessions(CacheLibSessionInterface):
    """Server-side sessions whose cookie is Secure whenever the console is served over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.scheme == "https"


def keep_sessions_on_server(app: Flask, directory: Path) -> None:
    """Store `app`'s sessions under `directory`; the cookie is HttpOnly and SameSite=Strict."""
    directory.mkdir(parents=True, exist_ok=True)
    app.config.update(SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True,
                      PERMANENT_SESSION_LIFETIME=LIFETIME)
    # threshold=0: never evict a live session to make room; expired ones are dropped when read.
    store = FileSystemCache(str(directory), threshold=0, mode=0o600)
    app.session_interface = _ServerSessions(client=store, key_prefix="console:")


def renew(app: Flask, session) -> None:
    """Give the session a fresh id (on sign-in, so an id planted before it is worth nothing)."""
    app.session_interface.regenerate(session)


def fingerprint(token: str) -> str:
    """What a session remembers of the admin token: enough to notice it changed, useless to an intruder."""
    return hashlib.sha256(token.encode()).hexdigest()
