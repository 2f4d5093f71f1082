"""The workspace's sandbox clock: read it, freeze it, set it, advance it, or give it back real time.

Moving the clock forward runs what falls due by the new time (scheduled transfers, in date order, and
bulk transfers whose bank's cut-off has passed on their date), as the days would have.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..domain.calendar import JST
from ..domain.clock import Clock, WorkspaceClock
from ..domain.errors import SandboxError
from ..store.database import write
from . import bulk_transfers, transfers
from .context import Context

MODES = ("real", "freeze", "set", "advance")
# How far a workspace's time may stray from the server's: ten years either way is room for any
# rehearsal, and keeps every date the rules compute far from the ends of the calendar.
WINDOW = timedelta(days=3653)


def workspace_clock(db, base: Clock) -> WorkspaceClock:
    """The clock stored with a workspace, over the server's `base` clock."""
    row = db.conn.execute("SELECT frozen_at, offset_seconds FROM clock WHERE id = 1").fetchone()
    if row is None:
        return WorkspaceClock(base)
    frozen = datetime.fromisoformat(row[0]) if row[0] else None
    return WorkspaceClock(base, frozen, timedelta(seconds=row[1]))


def get_clock(ctx: Context) -> dict:
    return _describe(ctx.clock)


def set_clock(ctx: Context, mode=None, to=None, seconds=None) -> dict:
    """Change the workspace's time; moving it forward executes what falls due by then."""
    if mode not in MODES:
        raise SandboxError("invalid_request", f"mode must be one of {', '.join(MODES)}", field="mode")
    clock = ctx.clock if isinstance(ctx.clock, WorkspaceClock) else WorkspaceClock(ctx.clock)
    before = clock.now()
    if mode == "real":
        frozen, offset = None, timedelta(0)
    elif mode == "freeze":
        frozen, offset = before, timedelta(0)
    elif mode == "set":
        frozen, offset = _moment(to), timedelta(0)
    else:
        if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 < seconds <= 400 * 86400:
            raise SandboxError("invalid_request", "seconds must be a whole number from 1 to 400 days' worth", field="seconds")
        if clock.frozen_at is not None:
            frozen, offset = clock.frozen_at + timedelta(seconds=seconds), timedelta(0)
        else:
            frozen, offset = None, clock.offset + timedelta(seconds=seconds)
    _check_window(frozen or clock.base.now() + offset, clock.base.now(), "to" if mode == "set" else "seconds")
    with write(ctx.db):
        ctx.db.conn.execute(
            "INSERT INTO clock (id, frozen_at, offset_seconds) VALUES (1, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET frozen_at = excluded.frozen_at, offset_seconds = excluded.offset_seconds",
            (frozen.isoformat() if frozen else None, int(offset.total_seconds())),
        )
    ctx.clock = WorkspaceClock(clock.base, frozen, offset)
    ran = transfers.run_due(ctx) if ctx.clock.now() > before else {"executed": [], "failed": [], "held": [], "returned": []}
    bulk = bulk_transfers.run_due(ctx) if ctx.clock.now() > before else {"executed": [], "failed": [], "held": []}
    return {**_describe(ctx.clock), "previous": before.isoformat(timespec="seconds"), **ran,
            "bulk_transfers": bulk}


def _moment(value) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise SandboxError("invalid_date", f"to must be an ISO 8601 date-time, got {value!r}", field="to") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=JST)


def _check_window(moment: datetime, real: datetime, field: str) -> None:
    """Refuse a workspace time more than WINDOW away from the server's, before anything is stored."""
    earliest, latest = real - WINDOW, real + WINDOW
    try:
        inside = earliest <= moment <= latest
    except OverflowError:  # 0001-01-01T00:00+09:00 cannot even be compared: it lies before year 1 in UTC
        inside = False
    if not inside:
        raise SandboxError("invalid_date", f"the workspace clock must stay between {earliest.date().isoformat()} and "
                           f"{latest.date().isoformat()} (ten years either side of the server's time)", field=field)


def _describe(clock) -> dict:
    mode = clock.mode if isinstance(clock, WorkspaceClock) else "real"
    return {"now": clock.now().isoformat(timespec="seconds"), "mode": mode}
