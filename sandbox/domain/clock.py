"""The injected clock: the core asks a clock for the time, never the operating system directly."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from .calendar import JST


class Clock(Protocol):
    def now(self) -> datetime: ...


def in_jst(moment: datetime) -> datetime:
    """The same instant in JST (a naive moment is taken as JST), so `.date()` is always the Japanese day."""
    return moment.astimezone(JST) if moment.tzinfo else moment.replace(tzinfo=JST)


class SystemClock:
    """Real time, in JST."""

    def now(self) -> datetime:
        return datetime.now(JST)


class FixedClock:
    """A clock that stands still until it is set or advanced (tests, and a frozen sandbox clock)."""

    def __init__(self, moment: datetime):
        self.moment = in_jst(moment)

    def now(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = in_jst(moment)

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


def clock_at(moment: str | None) -> SystemClock | FixedClock:
    """The server's clock from its `--clock` setting: the system's when unset, else frozen at that ISO
    8601 moment (a naive one is JST). The server and the CLI commands beside it build it the same way."""
    return FixedClock(datetime.fromisoformat(moment)) if moment else SystemClock()


class WorkspaceClock:
    """A workspace's own sandbox time: the server's clock as it is, shifted by an offset, or frozen.

    Organisers move a workspace's time (to a Friday evening before a holiday, say) without touching
    the server's clock or any other workspace.
    """

    def __init__(self, base: Clock, frozen_at: datetime | None = None, offset: timedelta = timedelta(0)):
        self.base, self.frozen_at, self.offset = base, frozen_at, offset

    @property
    def mode(self) -> str:
        if self.frozen_at is not None:
            return "frozen"
        return "offset" if self.offset else "real"

    def now(self) -> datetime:
        if self.frozen_at is not None:
            return self.frozen_at.astimezone(JST)
        return in_jst(self.base.now() + self.offset)
