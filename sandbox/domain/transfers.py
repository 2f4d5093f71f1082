"""When a transfer executes: routing, cut-off, business days and モアタイム, as pure functions.

A same-day transfer executes at once when the paying bank takes it before its cut-off on a business
day, or when every bank it touches processes around the clock (モアタイム). Otherwise it waits for the
next business day and runs there at the start of core time. A future-dated transfer runs on its date,
moved by the request's holiday rule when that date is not a business day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .banks import BankRules
from .calendar import CORE_START, JST, adjust_for_holiday, is_business_day, next_business_day
from .errors import SandboxError


def route(payer_bank: str, payer_branch: str, payee_bank: str, payee_branch: str) -> str:
    """The fee route: same_branch, same_bank or other_bank."""
    if payer_bank != payee_bank:
        return "other_bank"
    return "same_branch" if payer_branch == payee_branch else "same_bank"


@dataclass(frozen=True)
class ExecutionPlan:
    execution_date: date
    immediate: bool


def plan_execution(
    now: datetime,
    payer: BankRules,
    payee_moretime: bool,
    requested: date | None = None,
    holiday_rule: str = "next",
) -> ExecutionPlan:
    """Decide the execution date and whether the transfer runs now.

    `payee_moretime` says whether the receiving side takes transfers outside core time (for a transfer
    inside one bank, that bank's own flag; for a bank outside the sandbox, False).
    """
    local = now.astimezone(JST)
    today = local.date()
    if requested is not None:
        if requested < today:
            raise SandboxError("past_execution_date", f"execution date {requested.isoformat()} is before today ({today.isoformat()})")
        if requested > today + timedelta(days=payer.max_days_ahead):
            raise SandboxError(
                "execution_date_too_far",
                f"execution date {requested.isoformat()} is more than {payer.max_days_ahead} days ahead",
            )
        adjusted = adjust_for_holiday(requested, holiday_rule)
        if adjusted < today:
            # 'previous' moved it before today: nothing to run on, so it runs now if it may.
            adjusted = today
        if adjusted > today:
            return ExecutionPlan(adjusted, False)
    # Same-day request.
    around_the_clock = payer.moretime and payee_moretime
    if around_the_clock:
        return ExecutionPlan(today, True)
    if is_business_day(today) and local.time() < payer.cutoff:
        if local.time() >= payer.core_start:
            return ExecutionPlan(today, True)
        return ExecutionPlan(today, False)  # before core time: runs when the bank's core time begins today
    if requested is not None and holiday_rule == "refuse":
        raise SandboxError("cutoff_passed", f"the cut-off time {payer.cutoff.strftime('%H:%M')} for today has passed")
    return ExecutionPlan(next_business_day(today), False)


def due(execution_date: date, now: datetime, core_start=CORE_START) -> bool:
    """Whether a transfer scheduled for `execution_date` falls due at `now` (the paying bank's core time has begun)."""
    local = now.astimezone(JST)
    return execution_date < local.date() or (execution_date == local.date() and local.time() >= core_start)
