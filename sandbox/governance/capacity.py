"""Capacity: how many calls a connector may make per second and per day, counted across workers.

Fixed windows kept in the governance database, so every server process counts against the same
figures: the second is wall-clock time, the day is the workspace's sandbox day (so moving the sandbox
clock to a peak day or to tomorrow behaves as it would at a bank). A refused call does not use up
capacity.

Taking calls one by one cost a write to that database per governed call: on PostgreSQL a round trip
and a commit, about a quarter of a balance inquiry; on SQLite a write lock the workers queue on.
So a busy process takes a lease: several calls of the current second in one statement, handed out
one by one until the second ends. The database still counts every leased call, so no window is ever
exceeded across processes or replicas. Leases grow while a connector keeps using them up (at most
`MAX_LEASE`) and are never more than a sixteenth of what was left in either window, so near a limit
every call is taken alone and the counts are exact; what the windows can lose is a refusal slightly
early, when another process holds calls it has not used yet (a sixteenth of the room at most). Calls
leased and not used go back to the day's count at the process's next take, or when it stops.
"""

from __future__ import annotations

import threading
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


MAX_LEASE = 16
ROOM_SHARE = 16  # a lease takes at most this fraction of what is left in either window


@dataclass
class _Lease:
    """Calls of one second granted to this process for one connector, and the windows as they then stood."""

    second: int
    day: int
    left: int
    second_used: int
    day_used: int
    size: int  # calls the next lease asks for


class CapacityMeter:
    def __init__(self, store: CounterStore):
        self.store = store
        self._leases: dict[str, _Lease] = {}
        self._lock = threading.Lock()

    def take(self, connector_id: str, capacity: Capacity, *, epoch: float, today: date,
             seconds_to_midnight: int) -> Decision:
        """Use one call of the connector's capacity, or refuse it without using any.

        From this process's lease while it lasts; else one statement, so one implicit transaction:
        it starts the windows afresh when the second or the day has moved on, gives back what an
        earlier lease left unused today, and its WHERE leaves the row alone (and returns nothing)
        when either window has no room for the calls asked for.
        """
        second, day = int(epoch), today.toordinal()
        policy = f"{capacity.per_second};w=1, {capacity.per_day};w=86400"
        with self._lock:
            lease = self._leases.get(connector_id)
            if lease is not None and lease.left and (lease.second, lease.day) == (second, day):
                lease.left -= 1
                return self._allowed(capacity, lease, seconds_to_midnight, policy)
            unused = lease.left if lease is not None and lease.day == day else 0
            wanted = self._wanted(lease, capacity, second, day)
            row = self._grant(connector_id, second, day, capacity, wanted, unused)
            if row is None and wanted > 1:
                wanted = 1
                row = self._grant(connector_id, second, day, capacity, wanted, unused)
            if row is None:  # what an earlier lease left stays to be given back at the next grant
                if lease is not None:
                    lease.size = 1
                return self._refused(connector_id, capacity, day, seconds_to_midnight, policy)
            self._leases[connector_id] = lease = _Lease(second, day, wanted - 1, row[0], row[1], wanted)
            return self._allowed(capacity, lease, seconds_to_midnight, policy)

    @staticmethod
    def _wanted(lease: _Lease | None, capacity: Capacity, second: int, day: int) -> int:
        """How many calls to ask for: twice the last lease if it was used up within its second, half if
        calls were left over, and never more than a share of the room the database last reported."""
        if lease is None:
            return 1
        if lease.second == second:
            size = min(2 * lease.size, MAX_LEASE)
        else:
            size = max(1, lease.size // 2) if lease.left else lease.size
        room_second = capacity.per_second - (lease.second_used if lease.second == second else 0)
        room_day = capacity.per_day - (lease.day_used if lease.day == day else 0)
        return max(1, min(size, room_second // ROOM_SHARE, room_day // ROOM_SHARE))

    def _grant(self, connector_id: str, second: int, day: int, capacity: Capacity, calls: int, unused: int):
        return self.store.conn.execute(_TAKE, (connector_id, second, day, capacity.per_second, capacity.per_day,
                                               calls, unused)).fetchone()

    def _refused(self, connector_id: str, capacity: Capacity, day: int, seconds_to_midnight: int, policy: str) -> Decision:
        used = self.store.conn.execute("SELECT second, second_used, day, day_used FROM capacity WHERE connector_id = ?",
                                       (connector_id,)).fetchone()
        if used is not None and used[2] == day and used[3] >= capacity.per_day:
            return Decision(False, capacity.per_day, 0, seconds_to_midnight, "day", policy)
        return Decision(False, capacity.per_second, 0, 1, "second", policy)

    @staticmethod
    def _allowed(capacity: Capacity, lease: _Lease, seconds_to_midnight: int, policy: str) -> Decision:
        left_second = capacity.per_second - lease.second_used + lease.left
        left_day = capacity.per_day - lease.day_used + lease.left
        if left_day < left_second:
            return Decision(True, capacity.per_day, left_day, seconds_to_midnight, "day", policy)
        return Decision(True, capacity.per_second, left_second, 1, "second", policy)

    def release(self) -> None:
        """Give back every call leased and not used (a process stopping): the day's counts are then exact."""
        with self._lock:
            for connector_id, lease in self._leases.items():
                if lease.left:
                    self.store.conn.execute("UPDATE capacity SET day_used = day_used - ? WHERE connector_id = ? AND day = ?",
                                            (lease.left, connector_id, lease.day))
            self._leases.clear()

    def used_today(self, connector_id: str, today: date) -> int:
        """Calls used today: the day's count, less what this process leased and has not used."""
        row = self.store.conn.execute("SELECT day, day_used FROM capacity WHERE connector_id = ?", (connector_id,)).fetchone()
        if not row or row[0] != today.toordinal():
            return 0
        lease = self._leases.get(connector_id)
        return row[1] - (lease.left if lease is not None and lease.day == row[0] else 0)


# ?6 calls asked for, ?7 calls of an earlier lease today given back unused.
_TAKE = """
INSERT INTO capacity (connector_id, second, second_used, day, day_used) VALUES (?1, ?2, ?6, ?3, ?6)
ON CONFLICT (connector_id) DO UPDATE SET
    second_used = CASE WHEN second = excluded.second THEN second_used + ?6 ELSE ?6 END,
    second = excluded.second,
    day_used = CASE WHEN day = excluded.day THEN day_used - ?7 + ?6 ELSE ?6 END,
    day = excluded.day
WHERE NOT ((second = excluded.second AND second_used + ?6 > ?4) OR (day = excluded.day AND day_used - ?7 + ?6 > ?5))
RETURNING second_used, day_used
"""
