"""Business days, cut-off times and core time, in Japan Standard Time.

A business day is a weekday that is neither a national holiday (jpholiday) nor one of the bank
holidays from 31 December to 3 January. Zengin core time runs 08:30–15:30 on business days.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

import jpholiday

from .errors import SandboxError

JST = timezone(timedelta(hours=9), "JST")
CORE_START = time(8, 30)
CORE_END = time(15, 30)
HOLIDAY_RULES = ("next", "previous", "refuse")
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@lru_cache(maxsize=8192)
def is_business_day(day: date) -> bool:
    if day.weekday() >= 5:
        return False
    if (day.month == 12 and day.day == 31) or (day.month == 1 and day.day <= 3):
        return False
    return not jpholiday.is_holiday(day)


def next_business_day(day: date) -> date:
    """The first business day strictly after `day`."""
    day += timedelta(days=1)
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def previous_business_day(day: date) -> date:
    """The last business day strictly before `day`."""
    day -= timedelta(days=1)
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


def adjust_for_holiday(day: date, rule: str) -> date:
    """Move a non-business `day` by the request's holiday rule: next, previous, or refuse."""
    if rule not in HOLIDAY_RULES:
        raise SandboxError("invalid_request", f"holiday rule must be one of {', '.join(HOLIDAY_RULES)}, got {rule!r}")
    if is_business_day(day):
        return day
    if rule == "next":
        return next_business_day(day)
    if rule == "previous":
        return previous_business_day(day)
    raise SandboxError("non_business_day", f"{day.isoformat()} is not a business day", execution_date=day.isoformat())


def in_core_time(moment: datetime) -> bool:
    """Whether `moment` falls in Zengin core time (business days, 08:30–15:30 JST)."""
    local = moment.astimezone(JST)
    return is_business_day(local.date()) and CORE_START <= local.time() < CORE_END


def parse_date(value, field: str = "date") -> date:
    """A calendar day written exactly YYYY-MM-DD; anything else ("", "20261204", "2026-W49-5") is refused.

    Python's `date.fromisoformat` also takes ISO's basic and week forms: a connector that sent one by
    mistake would have its money moved on a day it never meant, so only the extended form passes.
    """
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        if not isinstance(value, str) or not ISO_DAY.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise SandboxError("invalid_date", f"{field} must be a date as YYYY-MM-DD, got {value!r}", field=field) from None


def parse_date_range(date_from, date_to) -> tuple[date | None, date | None]:
    """An optional inclusive range of days (either end may be absent); refuse one that ends before it starts."""
    start = parse_date(date_from, "date_from") if date_from else None
    end = parse_date(date_to, "date_to") if date_to else None
    if start and end and start > end:
        raise SandboxError("invalid_date", "date_from is after date_to", field="date_from")
    return start, end


def parse_clock_time(value: str) -> time:
    """Parse a bank's configured 'HH:MM' (cut-off times live in the profile data)."""
    return time.fromisoformat(value)


def is_peak_day(day: date) -> bool:
    """五十日 (gotōbi): the 5th, 10th, 15th, 20th, 25th and the last day of the month.

    Japanese companies settle on these days, so banks see their heaviest payment traffic then.
    """
    return day.day in (5, 10, 15, 20, 25) or (day + timedelta(days=1)).month != day.month
