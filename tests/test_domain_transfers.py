"""When a transfer executes and what it costs: routing, cut-off, モアタイム, dates and fees (sandbox.domain)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from sandbox.domain.banks import BankRules, FeeSchedule, Limits
from sandbox.domain.calendar import JST
from sandbox.domain.errors import SandboxError
from sandbox.domain.transfers import ExecutionPlan, due, plan_execution, route

# A bank that closes at 15:00 and one, like 星空信用金庫, that closes at 14:30 and takes no モアタイム.
MORETIME = BankRules("0990", cutoff=time(15, 0), moretime=True)
NO_MORETIME = BankRules("0992", cutoff=time(14, 30), moretime=False)

THURSDAY = date(2026, 11, 5)
FRIDAY = date(2026, 11, 6)
MONDAY = date(2026, 11, 9)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=JST)


# -- routes --------------------------------------------------------------------------------------

@pytest.mark.parametrize("payer, payee, expected", [
    (("0990", "001"), ("0990", "001"), "same_branch"),
    (("0990", "001"), ("0990", "101"), "same_bank"),
    (("0990", "001"), ("0991", "001"), "other_bank"),
    (("0990", "001"), ("0001", "001"), "other_bank"),
])
def test_transfers_route_is_same_branch_same_bank_or_other_bank(payer, payee, expected):
    assert route(*payer, *payee) == expected


# -- same-day requests ---------------------------------------------------------------------------

@pytest.mark.parametrize("rules", [MORETIME, NO_MORETIME])
def test_transfers_plan_execution_runs_now_before_the_cutoff_on_a_business_day(rules):
    assert plan_execution(at(THURSDAY, 10), rules, payee_moretime=False) == ExecutionPlan(THURSDAY, True)


def test_transfers_plan_execution_runs_now_one_minute_before_the_cutoff():
    assert plan_execution(at(THURSDAY, 14, 29), NO_MORETIME, False) == ExecutionPlan(THURSDAY, True)


def test_transfers_plan_execution_moves_to_the_next_business_day_at_the_cutoff():
    assert plan_execution(at(THURSDAY, 14, 30), NO_MORETIME, False) == ExecutionPlan(FRIDAY, False)


def test_transfers_plan_execution_after_cutoff_without_moretime_waits_for_the_next_business_day():
    assert plan_execution(at(THURSDAY, 16), NO_MORETIME, True) == ExecutionPlan(FRIDAY, False)


def test_transfers_plan_execution_after_cutoff_to_a_bank_without_moretime_waits_too():
    # The payer's bank takes モアタイム, the payee's does not (a bank outside the sandbox, say).
    assert plan_execution(at(THURSDAY, 16), MORETIME, payee_moretime=False) == ExecutionPlan(FRIDAY, False)


def test_transfers_plan_execution_after_cutoff_with_moretime_on_both_sides_runs_now():
    assert plan_execution(at(THURSDAY, 22), MORETIME, payee_moretime=True) == ExecutionPlan(THURSDAY, True)


def test_transfers_plan_execution_friday_evening_before_a_monday_holiday_waits_until_tuesday():
    friday_4pm = datetime(2027, 1, 8, 16, 0, tzinfo=JST)  # Monday 2027-01-11 is 成人の日
    assert plan_execution(friday_4pm, NO_MORETIME, False) == ExecutionPlan(date(2027, 1, 12), False)


@pytest.mark.parametrize("moment, expected", [
    (at(date(2026, 11, 7), 10), MONDAY),            # Saturday morning
    (at(date(2026, 11, 8), 23), MONDAY),            # Sunday night
    (at(date(2026, 11, 3), 10), date(2026, 11, 4)),  # 文化の日, a Tuesday
    (at(date(2026, 12, 31), 10), date(2027, 1, 4)),  # the new-year break
])
def test_transfers_plan_execution_on_a_weekend_or_holiday_without_moretime_waits(moment, expected):
    assert plan_execution(moment, NO_MORETIME, False) == ExecutionPlan(expected, False)


@pytest.mark.parametrize("moment", [at(date(2026, 11, 7), 10), at(date(2026, 11, 3), 3), at(date(2027, 1, 1), 0)])
def test_transfers_plan_execution_on_a_weekend_or_holiday_with_moretime_runs_now(moment):
    assert plan_execution(moment, MORETIME, True) == ExecutionPlan(moment.date(), True)


def test_transfers_plan_execution_before_core_time_without_moretime_waits_for_0830_today():
    assert plan_execution(at(THURSDAY, 7), NO_MORETIME, False) == ExecutionPlan(THURSDAY, False)


def test_transfers_plan_execution_follows_the_paying_banks_own_core_hours():
    late_start = BankRules.from_dict("0993", {"cutoff": "14:00", "moretime": False,
                                              "core_hours": {"start": "09:00", "end": "15:00"}})
    assert (late_start.core_start, late_start.core_end) == (time(9, 0), time(15, 0))
    assert late_start.to_dict()["core_hours"] == {"start": "09:00", "end": "15:00"}
    assert plan_execution(at(THURSDAY, 8, 45), late_start, False) == ExecutionPlan(THURSDAY, False)
    assert plan_execution(at(THURSDAY, 8, 45), NO_MORETIME, False) == ExecutionPlan(THURSDAY, True)  # Zengin's 08:30
    assert not due(THURSDAY, at(THURSDAY, 8, 59), late_start.core_start)
    assert due(THURSDAY, at(THURSDAY, 9, 0), late_start.core_start)
    assert due(THURSDAY, at(THURSDAY, 8, 30)) and BankRules("0990").core_start == time(8, 30)


def test_transfers_plan_execution_before_core_time_with_moretime_runs_now():
    assert plan_execution(at(THURSDAY, 7), MORETIME, True) == ExecutionPlan(THURSDAY, True)


def test_transfers_plan_execution_reads_the_clock_in_jst():
    # 06:00 UTC is 15:00 JST: past a 14:30 cut-off although the UTC hour looks early.
    moment = datetime.fromisoformat("2026-11-05T06:00:00+00:00")
    assert plan_execution(moment, NO_MORETIME, False) == ExecutionPlan(FRIDAY, False)
    # 16:00 UTC on Wednesday is 01:00 JST on Thursday: before core time on Thursday.
    moment = datetime.fromisoformat("2026-11-04T16:00:00+00:00")
    assert plan_execution(moment, NO_MORETIME, False) == ExecutionPlan(THURSDAY, False)


# -- requested dates -----------------------------------------------------------------------------

def test_transfers_plan_execution_future_business_day_is_scheduled_for_that_day():
    assert plan_execution(at(THURSDAY, 10), MORETIME, True, requested=MONDAY) == ExecutionPlan(MONDAY, False)


def test_transfers_plan_execution_requested_today_before_cutoff_runs_now():
    assert plan_execution(at(THURSDAY, 10), NO_MORETIME, False, requested=THURSDAY) == ExecutionPlan(THURSDAY, True)


def test_transfers_plan_execution_requested_today_after_cutoff_moves_by_the_next_rule():
    assert plan_execution(at(THURSDAY, 16), NO_MORETIME, False, requested=THURSDAY) == ExecutionPlan(FRIDAY, False)


def test_transfers_plan_execution_requested_today_after_cutoff_with_refuse_is_cutoff_passed():
    with pytest.raises(SandboxError) as refused:
        plan_execution(at(THURSDAY, 16), NO_MORETIME, False, requested=THURSDAY, holiday_rule="refuse")
    assert refused.value.code == "cutoff_passed"


@pytest.mark.parametrize("rule, expected", [("next", date(2026, 11, 24)), ("previous", date(2026, 11, 20))])
def test_transfers_plan_execution_future_holiday_moves_by_the_rule(rule, expected):
    # Monday 2026-11-23 is 勤労感謝の日.
    plan = plan_execution(at(THURSDAY, 10), MORETIME, True, requested=date(2026, 11, 23), holiday_rule=rule)
    assert plan == ExecutionPlan(expected, False)


def test_transfers_plan_execution_future_holiday_with_refuse_is_non_business_day():
    with pytest.raises(SandboxError) as refused:
        plan_execution(at(THURSDAY, 10), MORETIME, True, requested=date(2026, 11, 23), holiday_rule="refuse")
    assert refused.value.code == "non_business_day"


def test_transfers_plan_execution_previous_rule_that_lands_on_today_runs_today():
    # Saturday requested on Friday morning with 'previous': Friday is today, so it runs now.
    plan = plan_execution(at(FRIDAY, 10), NO_MORETIME, False, requested=date(2026, 11, 7), holiday_rule="previous")
    assert plan == ExecutionPlan(FRIDAY, True)


def test_transfers_plan_execution_previous_rule_that_lands_before_today_runs_as_soon_as_it_may():
    # Requested Sunday on Saturday with 'previous': Friday has gone, so it runs on the next business day.
    plan = plan_execution(at(date(2026, 11, 7), 10), NO_MORETIME, False, requested=date(2026, 11, 8), holiday_rule="previous")
    assert plan == ExecutionPlan(MONDAY, False)


def test_transfers_plan_execution_refuses_a_past_date():
    with pytest.raises(SandboxError) as refused:
        plan_execution(at(THURSDAY, 10), MORETIME, True, requested=date(2026, 11, 4))
    assert refused.value.code == "past_execution_date"


def test_transfers_plan_execution_refuses_yesterday_even_just_after_midnight_jst():
    # 15:30 UTC on the 4th is 00:30 JST on the 5th: the 4th is already yesterday in Japan.
    moment = datetime.fromisoformat("2026-11-04T15:30:00+00:00")
    with pytest.raises(SandboxError) as refused:
        plan_execution(moment, MORETIME, True, requested=date(2026, 11, 4))
    assert refused.value.code == "past_execution_date"


def test_transfers_plan_execution_accepts_the_last_day_allowed_ahead():
    rules = BankRules("0990", max_days_ahead=60)
    last = date(2027, 1, 4)  # 60 days after 2026-11-05, a business day
    assert plan_execution(at(THURSDAY, 10), rules, True, requested=last) == ExecutionPlan(last, False)


def test_transfers_plan_execution_refuses_a_date_too_far_ahead():
    rules = BankRules("0990", max_days_ahead=60)
    with pytest.raises(SandboxError) as refused:
        plan_execution(at(THURSDAY, 10), rules, True, requested=date(2027, 1, 5))
    assert refused.value.code == "execution_date_too_far"


def test_transfers_plan_execution_refuses_an_unknown_holiday_rule():
    with pytest.raises(SandboxError) as refused:
        plan_execution(at(THURSDAY, 10), MORETIME, True, requested=MONDAY, holiday_rule="later")
    assert refused.value.code == "invalid_request"


# -- falling due ---------------------------------------------------------------------------------

@pytest.mark.parametrize("moment, expected", [
    (at(date(2027, 1, 11), 23, 59), False),   # the holiday before
    (at(date(2027, 1, 12), 8, 29), False),    # before core time on the day
    (at(date(2027, 1, 12), 8, 30), True),
    (at(date(2027, 1, 12), 9, 0), True),
    (at(date(2027, 1, 13), 0, 5), True),      # missed: runs the next day at any hour
])
def test_transfers_due_from_the_start_of_core_time_on_the_execution_date(moment, expected):
    assert due(date(2027, 1, 12), moment) is expected


# -- fees ----------------------------------------------------------------------------------------

HOSHIZORA_FEES = FeeSchedule.from_dict({
    "threshold": 30000,
    "same_branch": {"under": 110, "over": 330},
    "same_bank": {"under": 220, "over": 440},
    "other_bank": {"under": 550, "over": 770},
})


@pytest.mark.parametrize("route_, amount, fee", [
    ("same_branch", 1, 110),
    ("same_branch", 29_999, 110),
    ("same_branch", 30_000, 330),
    ("same_bank", 29_999, 220),
    ("same_bank", 30_000, 440),
    ("other_bank", 29_999, 550),
    ("other_bank", 30_000, 770),
    ("other_bank", 1_000_000, 770),
])
def test_fees_tier_changes_at_30000_yen(route_, amount, fee):
    assert HOSHIZORA_FEES.fee(route_, amount) == fee


def test_fees_default_schedule_is_the_customary_one():
    fees = FeeSchedule()
    assert [fees.fee(r, a) for r in ("same_branch", "same_bank", "other_bank") for a in (29_999, 30_000)] == [
        0, 0, 110, 220, 330, 440]


def test_fees_threshold_comes_from_the_profile():
    fees = FeeSchedule.from_dict({**HOSHIZORA_FEES.to_dict(), "threshold": 50_000})
    assert fees.fee("other_bank", 49_999) == 550
    assert fees.fee("other_bank", 50_000) == 770


def test_fees_schedule_survives_a_round_trip_through_its_stored_form():
    assert FeeSchedule.from_dict(HOSHIZORA_FEES.to_dict()) == HOSHIZORA_FEES


def test_bank_rules_round_trip_through_their_stored_form():
    rules = BankRules("0992", cutoff=time(14, 30), moretime=False, fees=HOSHIZORA_FEES,
                      limits={"individual": Limits(1_000_000, 1_000_000)}, max_days_ahead=30)
    assert BankRules.from_dict("0992", rules.to_dict()) == rules
