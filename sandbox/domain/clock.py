"""The injected clock: the core asks a clock for the time, never the operating system directly."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from .calendar import JST


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """Real time, in JST."""

    def now(self) -> datetime:
        return datetime.now(JST)


class FixedClock:
    """A clock that stands still until it is set or advanced (tests, and a frozen sandbox clock)."""

    def __init__(self, moment: datetime):
        self.moment = moment if moment.tzinfo else moment.replace(tzinfo=JST)

    def now(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment if moment.tzinfo else moment.replace(tzinfo=JST)

    def advance(self, delta: timedelta) -> None:
        self.moment += delta
