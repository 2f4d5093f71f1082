"""Per-thread caches of rows that other processes change: connectors (the kill switch, plans) and tokens.

Every bank call looks its token and connector up, so both are kept in memory, but no answer may rest
on them once another process or replica has changed them. An entry is trusted only while

- the store's `data_version()` has not moved: a number that changes whenever any other connection
  has committed (SQLite's `PRAGMA data_version`; read once per lookup, it costs less than the
  query it saves), and
- it is younger than MAX_AGE_S, whatever the engine says: an engine that cannot tell cheaply what
  changed still sees a suspension, a revocation or a new plan within that bound.

A write made through this process's own connection does not move its data_version, so whoever
writes calls `clear()`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# The longest a cached row may answer for another process's change (issue: "in force on every replica
# at its next request, within 1 s").
MAX_AGE_S = 0.5
# Entries kept per thread before they are dropped at once (tokens of many connectors).
LIMIT = 10_000

_UNSET = object()


class Recent:
    """A dict per thread, emptied when the store's data version moves or the entries grow too old."""

    def __init__(self, version: Callable[[], object], max_age: float = MAX_AGE_S, limit: int = LIMIT):
        self._version = version
        self.max_age, self.limit = max_age, limit
        self._local = threading.local()

    def entries(self) -> dict:
        """This thread's entries, still fresh."""
        local, now, version = self._local, time.monotonic(), self._version()
        if (getattr(local, "version", _UNSET) != version or now - local.since > self.max_age
                or len(local.entries) > self.limit):
            local.entries, local.version, local.since = {}, version, now
        return local.entries

    def clear(self) -> None:
        """Forget this thread's entries (after a write on this thread's own connection)."""
        self._local.entries, self._local.version = {}, _UNSET
