"""The console's sign-in sessions, kept on the server: the browser holds only a random session id.

Flask's own session is a signed cookie: readable by whoever holds it, and valid until it expires
whatever the server thinks. Here the cookie carries a 32-byte random id and nothing else; the
session's content is a row of the store (`store/server.py`: a file every worker process shares on
SQLite, a table every replica shares on PostgreSQL), so a session opened through one server is open
on all, signing out deletes it for good, and a session records only a fingerprint of the admin token
it was opened with, so changing the token ends every session opened with the old one.
"""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

from cachelib.base import BaseCache
from flask import Flask, request
from flask.json.tag import TaggedJSONSerializer
from flask_session.cachelib import CacheLibSessionInterface

from ..store.server import ServerStore

# A console session ends after this long, signed out or not.
LIFETIME = timedelta(hours=12)


class StoredSessions(BaseCache):
    """A cachelib cache over the store's session table, for flask-session's cachelib interface.

    Content is written as Flask writes its own cookie sessions (tagged JSON: tuples, bytes and
    dates come back as they went in), never pickled.
    """

    def __init__(self, store: ServerStore, default_timeout: int = int(LIFETIME.total_seconds())):
        super().__init__(default_timeout)
        self.store = store
        self.serializer = TaggedJSONSerializer()

    def get(self, key: str):
        data = self.store.session(key, time.time())
        return None if data is None else self.serializer.loads(data)

    def set(self, key: str, value, timeout=None) -> bool:
        return self._keep(key, value, timeout, replace=True)

    def add(self, key: str, value, timeout=None) -> bool:
        return self._keep(key, value, timeout, replace=False)

    def delete(self, key: str) -> bool:
        return self.store.end_session(key)

    def has(self, key: str) -> bool:
        return self.store.session(key, time.time()) is not None

    def clear(self) -> bool:
        self.store.end_sessions()
        return True

    def _keep(self, key: str, value, timeout, *, replace: bool) -> bool:
        now = time.time()
        # cachelib's 0 means "never expires"; a console session always does, after LIFETIME at most.
        seconds = self._normalize_timeout(timeout) or self.default_timeout
        return self.store.keep_session(key, self.serializer.dumps(value), now + seconds, now, replace=replace)


class _ServerSessions(CacheLibSessionInterface):
    """Server-side sessions whose cookie is Secure whenever the console is served over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.scheme == "https"


def keep_sessions_on_server(app: Flask, store: ServerStore) -> None:
    """Keep `app`'s sessions in `store`; the cookie is HttpOnly and SameSite=Strict."""
    app.config.update(SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True,
                      PERMANENT_SESSION_LIFETIME=LIFETIME)
    app.session_interface = _ServerSessions(client=StoredSessions(store), key_prefix="console:")


def renew(app: Flask, session) -> None:
    """Give the session a fresh id (on sign-in, so an id planted before it is worth nothing)."""
    app.session_interface.regenerate(session)


def fingerprint(token: str) -> str:
    """What a session remembers of the admin token: enough to notice it changed, useless to an intruder."""
    return hashlib.sha256(token.encode()).hexdigest()
