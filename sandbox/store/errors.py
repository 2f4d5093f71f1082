"""What the store raises when the database cannot be reached, and how to tell it from a bug.

Everything above the store treats an outage the same way whatever the engine: the request is
answered 503 with Retry-After (the HTTP layer renders it), nothing is half-written (the transaction
rolled back), and the next request tries again. An engine's connection layer raises
`StoreUnavailable` for what it knows to be an outage; SQLite has no separate exception for it, so
`unavailable` also recognises its "database is locked" (a lock held past the busy timeout) and
"unable to open database file" (the data directory is gone or unreadable).
"""

from __future__ import annotations

import sqlite3


class StoreUnavailable(Exception):
    """The database cannot be reached or locked now; retrying later may succeed."""


# The exception classes an outage may arrive as; `unavailable` says which instances are one.
OUTAGE_TYPES: tuple[type[BaseException], ...] = (StoreUnavailable, sqlite3.OperationalError)

_SQLITE_OUTAGES = ("database is locked", "unable to open database file", "database table is locked")


def unavailable(error: BaseException) -> bool:
    """True when `error` means the database is out of reach for now, not that the query is wrong."""
    if isinstance(error, StoreUnavailable):
        return True
    return isinstance(error, sqlite3.OperationalError) and any(text in str(error) for text in _SQLITE_OUTAGES)
