"""Capacity: how many calls a connector may make per second and per day, counted across workers.

Fixed windows kept in the governance database, so every server process counts against the same
figures: the second is wall-clock time, the day is the workspace's sandbox day (so moving the sandbox
clock to a peak day or to tomorrow behaves as it would at a bank). A refused call does not use up
capacity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..store.governance import CounterStore
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
    def __init__(self, store: CounterStore):
        self.store = store

    def take(self, connector_id: str, capacity: Capacity, *, epoch: float, today: date,
             seconds_to_midnight: int) -> Decision:
        """Use one call of the connector's capacity, or refuse it without using any.

        One statement, so one implicit transaction: it starts the windows afresh when the second or
        the day has moved on, and its WHERE leaves the row alone (and returns nothing) when either
        window is full.
        """
        second, day = int(epoch), today.toordinal()
        policy = f"{capacity.per_second};w=1, {capacity.per_day};w=86400"
        row = self.store.conn.execute(_TAKE, (connector_id, second, day, capacity.per_second, capacity.per_day)).fetchone()
        if row is None:
            used = self.store.conn.execute("SELECT second, second_used, day, day_used FROM capacity WHERE connector_id = ?",
                                           (connector_id,)).fetchone()
            if used is not None and used[2] == day and used[3] >= capacity.per_day:
                return Decision(False, capacity.per_day, 0, seconds_to_midnight, "day", policy)
            return Decision(False, capacity.per_second, 0, 1, "second", policy)
        left_second, left_day = capacity.per_second - row[0], capacity.per_day - row[1]
        if left_day < left_second:
            return Decision(True, capacity.per_day, left_day, seconds_to_midnight, "day", policy)
        return Decision(True, capacity.per_second, left_second, 1, "second", policy)

    def used_today(self, connector_id: str, today: date) -> int:
        row = self.store.conn.execute("SELECT day, day_used FROM capacity WHERE connector_id = ?", (connector_id,)).fetchone()
        return row[1] if row and row[0] == today.toordinal() else 0


_TAKE = """
INSERT INTO capacity (connector_id, second, second_used, day, day_used) VALUES (?1, ?2, 1, ?3, 1)
ON CONFLICT (connector_id) DO UPDATE SET
    second_used = CASE WHEN second = excluded.second THEN second_used + 1 ELSE 1 END,
    second = excluded.second,
    day_used = CASE WHEN day = excluded.day THEN day_used + 1 ELSE 1 END,
    day = excluded.day
WHERE NOT ((second = excluded.second AND second_used >= ?4) OR (day = excluded.day AND day_used >= ?5))
RETURNING second_used, day_used
"""
