"""Capacity: how many calls a connector may make per second and per day, counted across workers.

Fixed windows kept in the governance database, so every server process counts against the same
figures: the second is wall-clock time, the day is the workspace's sandbox day (so moving the sandbox
clock to a peak day or to tomorrow behaves as it would at a bank). A refused call does not use up
capacity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..store.governance import GovernanceStore
from .plans import Capacity


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int  # of the window that decides (the tighter one when refused)
    remaining: int
    reset: int  # seconds until that window starts again
    window: str  # "second" or "day"
    policy: str  # the RateLimit-Policy header value

    @property
    def retry_after(self) -> int:
        return max(1, self.reset)


class CapacityMeter:
    def __init__(self, store: GovernanceStore):
        self.store = store

    def take(self, connector_id: str, capacity: Capacity, *, epoch: float, today: date,
             seconds_to_midnight: int) -> Decision:
        """Use one call of the connector's capacity, or refuse it without using any."""
        second, day = int(epoch), today.toordinal()
        keys = (f"{connector_id}/s", f"{connector_id}/d")
        policy = f"{capacity.per_second};w=1, {capacity.per_day};w=86400"
        with self.store.write() as conn:
            used = dict.fromkeys(keys, 0)
            for key, window, count in conn.execute("SELECT key, window, used FROM counters WHERE key IN (?, ?)", keys):
                if window == (second if key.endswith("/s") else day):
                    used[key] = count
            per_second, per_day = used[keys[0]], used[keys[1]]
            if per_day >= capacity.per_day:
                return Decision(False, capacity.per_day, 0, seconds_to_midnight, "day", policy)
            if per_second >= capacity.per_second:
                return Decision(False, capacity.per_second, 0, 1, "second", policy)
            conn.executemany(
                "INSERT INTO counters (key, window, used) VALUES (?, ?, 1) ON CONFLICT (key) DO UPDATE SET "
                "used = CASE WHEN window = excluded.window THEN used + 1 ELSE 1 END, window = excluded.window",
                ((keys[0], second), (keys[1], day)))
        left_second = capacity.per_second - per_second - 1
        left_day = capacity.per_day - per_day - 1
        if left_day < left_second:
            return Decision(True, capacity.per_day, left_day, seconds_to_midnight, "day", policy)
        return Decision(True, capacity.per_second, left_second, 1, "second", policy)

    def used_today(self, connector_id: str, today: date) -> int:
        row = self.store.conn.execute("SELECT window, used FROM counters WHERE key = ?", (f"{connector_id}/d",)).fetchone()
        return row[1] if row and row[0] == today.toordinal() else 0
