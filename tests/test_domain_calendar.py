"""Business days, holidays and the holiday rules of a requested date (sandbox.domain.calendar)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from sandbox.domain.calendar import (
    JST,
    adjust_for_holiday,
    in_core_time,
    is_business_day,
    next_business_day,
    parse_clock_time,
    parse_date,
    previous_business_day,
)
from sandbox.domain.clock import FixedClock, WorkspaceClock
from sandbox.domain.errors import SandboxError


@pytest.mark.parametrize("day", [
    date(2026, 11, 5),   # Thursday
    date(2026, 11, 2),   # Monday between a weekend and 文化の日
    date(2027, 1, 4),    # first business day of 2027
    date(2026, 12, 30),  # last business day of 2026
    date(2026, 9, 24),   # Thursday after the 2026 silver week
])
def test_calendar_is_business_day_accepts_ordinary_weekdays(day):
    assert is_business_day(day)


@pytest.mark.parametrize("day, why", [
    (date(2026, 11, 7), "Saturday"),
    (date(2026, 11, 8), "Sunday"),
    (date(2026, 11, 3), "文化の日"),
    (date(2026, 11, 23), "勤労感謝の日 (a Monday)"),
    (date(2027, 1, 11), "成人の日"),
    (date(2026, 9, 21), "敬老の日"),
    (date(2026, 9, 22), "国民の休日 between two holidays"),
    (date(2026, 9, 23), "秋分の日"),
    (date(2026, 5, 6), "振替休日"),
    (date(2027, 3, 22), "振替休日 for 春分の日 on a Sunday"),
    (date(2026, 12, 31), "bank holiday 31 December (a Thursday)"),
    (date(2027, 1, 1), "元日"),
    (date(2027, 1, 2), "bank holiday 2 January"),
    (date(2026, 1, 2), "bank holiday 2 January (a Friday)"),
    (date(2027, 12, 31), "bank holiday 31 December (a Friday)"),
    (date(2030, 1, 3), "bank holiday 3 January (a Thursday)"),
])
def test_calendar_is_business_day_refuses_weekends_holidays_and_the_new_year_break(day, why):
    assert not is_business_day(day), why


@pytest.mark.parametrize("day, expected", [
    (date(2026, 11, 5), date(2026, 11, 6)),     # Thursday -> Friday
    (date(2026, 11, 6), date(2026, 11, 9)),     # Friday -> Monday
    (date(2026, 10, 30), date(2026, 11, 2)),    # Friday -> Monday before 文化の日
    (date(2026, 11, 2), date(2026, 11, 4)),     # Monday -> Wednesday (文化の日 on Tuesday)
    (date(2027, 1, 8), date(2027, 1, 12)),      # Friday before 成人の日 -> Tuesday
    (date(2026, 9, 18), date(2026, 9, 24)),     # silver week: five days off
    (date(2026, 5, 1), date(2026, 5, 7)),       # golden week
    (date(2026, 12, 30), date(2027, 1, 4)),     # the new-year break
    (date(2026, 11, 7), date(2026, 11, 9)),     # from a Saturday
])
def test_calendar_next_business_day_skips_to_the_first_open_day(day, expected):
    assert next_business_day(day) == expected


@pytest.mark.parametrize("day, expected", [
    (date(2026, 11, 6), date(2026, 11, 5)),
    (date(2026, 11, 9), date(2026, 11, 6)),     # Monday -> Friday
    (date(2026, 11, 4), date(2026, 11, 2)),     # over 文化の日
    (date(2027, 1, 4), date(2026, 12, 30)),     # over the new-year break
    (date(2026, 9, 24), date(2026, 9, 18)),     # over silver week
    (date(2026, 11, 3), date(2026, 11, 2)),     # from a holiday
])
def test_calendar_previous_business_day_goes_back_to_the_last_open_day(day, expected):
    assert previous_business_day(day) == expected


def test_calendar_next_and_previous_business_day_are_strict():
    thursday = date(2026, 11, 5)
    assert next_business_day(thursday) != thursday
    assert previous_business_day(thursday) != thursday


@pytest.mark.parametrize("rule", ["next", "previous", "refuse"])
def test_calendar_adjust_for_holiday_keeps_a_business_day_whatever_the_rule(rule):
    assert adjust_for_holiday(date(2026, 11, 5), rule) == date(2026, 11, 5)


@pytest.mark.parametrize("day, rule, expected", [
    (date(2027, 1, 11), "next", date(2027, 1, 12)),
    (date(2027, 1, 11), "previous", date(2027, 1, 8)),
    (date(2026, 12, 31), "next", date(2027, 1, 4)),
    (date(2026, 12, 31), "previous", date(2026, 12, 30)),
    (date(2026, 9, 22), "next", date(2026, 9, 24)),
    (date(2026, 9, 22), "previous", date(2026, 9, 18)),
    (date(2026, 11, 7), "next", date(2026, 11, 9)),
    (date(2026, 11, 7), "previous", date(2026, 11, 6)),
])
def test_calendar_adjust_for_holiday_moves_a_closed_day_by_the_rule(day, rule, expected):
    assert adjust_for_holiday(day, rule) == expected


@pytest.mark.parametrize("day", [date(2027, 1, 11), date(2027, 1, 2), date(2026, 11, 8)])
def test_calendar_adjust_for_holiday_refuse_raises_non_business_day(day):
    with pytest.raises(SandboxError) as refused:
        adjust_for_holiday(day, "refuse")
    assert refused.value.code == "non_business_day"
    assert refused.value.details["execution_date"] == day.isoformat()


@pytest.mark.parametrize("rule", ["following", "", None, "NEXT"])
def test_calendar_adjust_for_holiday_refuses_an_unknown_rule(rule):
    with pytest.raises(SandboxError) as refused:
        adjust_for_holiday(date(2026, 11, 5), rule)
    assert refused.value.code == "invalid_request"


@pytest.mark.parametrize("moment, inside", [
    (datetime(2026, 11, 5, 8, 29, 59, tzinfo=JST), False),
    (datetime(2026, 11, 5, 8, 30, tzinfo=JST), True),
    (datetime(2026, 11, 5, 15, 29, 59, tzinfo=JST), True),
    (datetime(2026, 11, 5, 15, 30, tzinfo=JST), False),
    (datetime(2026, 11, 7, 10, 0, tzinfo=JST), False),               # Saturday
    (datetime(2026, 11, 3, 10, 0, tzinfo=JST), False),               # holiday
    (datetime.fromisoformat("2026-11-05T01:00:00+00:00"), True),     # 10:00 JST given in UTC
    (datetime.fromisoformat("2026-11-04T23:00:00+00:00"), False),    # 08:00 JST given in UTC
])
def test_calendar_in_core_time_is_0830_to_1530_jst_on_business_days(moment, inside):
    assert in_core_time(moment) is inside


def test_calendar_parse_date_accepts_iso_dates_and_date_objects():
    assert parse_date("2026-11-05") == date(2026, 11, 5)
    assert parse_date(date(2026, 11, 5)) == date(2026, 11, 5)


@pytest.mark.parametrize("value", ["2026-13-01", "2026-02-30", "2026/11/05", "tomorrow", "", None, 20261105,
                                   datetime(2026, 11, 5, 10, 0)])
def test_calendar_parse_date_refuses_anything_but_a_date(value):
    with pytest.raises(SandboxError) as refused:
        parse_date(value, "execution_date")
    assert refused.value.code == "invalid_date"
    assert refused.value.details["field"] == "execution_date"


def test_calendar_parse_clock_time_reads_a_profile_cutoff():
    assert parse_clock_time("14:30").strftime("%H:%M") == "14:30"


# -- the injected clocks keep Japanese days --------------------------------------------------------------

def test_calendar_fixed_clock_reads_any_instant_in_jst():
    utc = datetime(2026, 11, 4, 23, 45, tzinfo=timezone.utc)  # 08:45 on Thursday in Japan
    clock = FixedClock(utc)
    assert clock.now() == utc
    assert clock.now().utcoffset() == timedelta(hours=9)
    assert clock.now().date() == date(2026, 11, 5)
    clock.set(datetime(2026, 11, 5, 15, 30, tzinfo=timezone.utc))
    assert clock.now().date() == date(2026, 11, 6) and clock.now().hour == 0
    clock.advance(timedelta(hours=1))
    assert clock.now().utcoffset() == timedelta(hours=9) and clock.now().hour == 1


def test_calendar_fixed_clock_takes_a_naive_moment_as_jst():
    assert FixedClock(datetime(2026, 11, 5, 10, 0)).now() == datetime(2026, 11, 5, 10, 0, tzinfo=JST)


def test_calendar_workspace_clock_over_a_utc_base_reads_jst():
    base = FixedClock(datetime(2026, 11, 5, 10, 0, tzinfo=JST))
    base.moment = datetime(2026, 11, 4, 23, 45, tzinfo=timezone.utc)  # a base clock that answers in UTC
    shifted = WorkspaceClock(base, offset=timedelta(minutes=30))
    assert shifted.now() == datetime(2026, 11, 5, 9, 15, tzinfo=JST)
    assert shifted.now().date() == date(2026, 11, 5)
    frozen = WorkspaceClock(base, frozen_at=datetime(2026, 11, 5, 16, 0, tzinfo=timezone.utc))
    assert frozen.now().date() == date(2026, 11, 6)
