"""Capacity leases: a busy process takes several calls of a second in one statement, and no window is ever
exceeded, whichever process holds which calls; near a limit every call is counted alone.

Each meter stands for one server process (its own lease table) on the one counter store they share, on
both engines. The wall clock is passed in (`epoch`), so "one second" is exact and the tests do not race it.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest

from engines import database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines
from sandbox.governance.capacity import MAX_LEASE, ROOM_SHARE, CapacityMeter
from sandbox.governance.plans import Capacity
from sandbox.store.governance import CounterStore

TODAY = date(2026, 11, 6)
SECOND = 1_790_000_000


def _meters(tmp_path, database_url, count: int) -> list[CapacityMeter]:
    return [CapacityMeter(CounterStore(tmp_path, database_url)) for _ in range(count)]


def _take(meter: CapacityMeter, capacity: Capacity, second: int = SECOND, today: date = TODAY, connector: str = "con_a"):
    return meter.take(connector, capacity, epoch=second + 0.5, today=today, seconds_to_midnight=3600)


def _counted(meter: CapacityMeter, connector: str = "con_a") -> tuple[int, int]:
    return tuple(meter.store.conn.execute("SELECT second_used, day_used FROM capacity WHERE connector_id = ?",
                                          (connector,)).fetchone())


def test_a_busy_connector_is_counted_in_leases_and_every_call_is_accounted_for(tmp_path, database_url):
    meter, = _meters(tmp_path, database_url, 1)
    roomy = Capacity(per_second=100_000, per_day=10_000_000)
    grants = []
    if database_url is None:  # count the statements that reach SQLite
        meter.store.conn.set_trace_callback(lambda sql: grants.append(sql) if "INSERT INTO capacity" in sql else None)
    decisions = [_take(meter, roomy) for _ in range(200)]
    assert all(decision.allowed for decision in decisions)
    second_used, day_used = _counted(meter)
    assert 200 <= second_used < 200 + MAX_LEASE and day_used == second_used  # leased calls are counted
    assert meter.used_today("con_a", TODAY) == 200  # less what this process holds unused
    assert [d.remaining for d in decisions[-3:]] == [roomy.per_second - n for n in (198, 199, 200)]
    if database_url is None:
        assert len(grants) < 200 / 8, len(grants)
    # The next second: what the last lease left unused goes back to the day in the same statement.
    assert _take(meter, roomy, second=SECOND + 1).allowed
    second_used, day_used = _counted(meter)
    assert day_used - (second_used - 1) == 201  # the day holds the 201 calls and the new lease's rest
    meter.release()
    assert _counted(meter)[1] == 201 and meter.used_today("con_a", TODAY) == 201


def test_near_a_limit_every_call_is_counted_alone_across_processes(tmp_path, database_url):
    first, second = _meters(tmp_path, database_url, 2)
    tight = Capacity(per_second=20, per_day=1000)
    allowed = [_take(meter, tight).allowed for _ in range(15) for meter in (first, second)]
    assert allowed == [True] * 20 + [False] * 10  # exact: no call is held back in a lease
    refused = _take(first, tight)
    assert (refused.allowed, refused.window, refused.remaining, refused.retry_after) == (False, "second", 0, 1)
    assert _counted(first) == (20, 20)


def test_leases_never_exceed_a_window_and_refuse_early_by_a_share_of_the_room_at_most(tmp_path, database_url):
    meters = _meters(tmp_path, database_url, 3)
    capacity = Capacity(per_second=400, per_day=100_000)
    allowed = sum(_take(meters[n % 3], capacity).allowed for n in range(600))
    assert capacity.per_second - capacity.per_second // ROOM_SHARE <= allowed <= capacity.per_second
    assert _counted(meters[0])[0] <= capacity.per_second


def test_the_day_window_holds_across_processes_and_a_new_day_starts_afresh(tmp_path, database_url):
    first, second = _meters(tmp_path, database_url, 2)
    capacity = Capacity(per_second=1_000, per_day=300)
    allowed = 0
    for tick in range(40):  # forty seconds of one day, both processes calling
        for meter in (first, second):
            allowed += sum(_take(meter, capacity, second=SECOND + tick).allowed for _ in range(10))
    assert capacity.per_day - capacity.per_day // ROOM_SHARE <= allowed <= capacity.per_day
    refused = _take(first, capacity, second=SECOND + 41)
    if not refused.allowed:
        assert refused.window == "day" and refused.retry_after == 3600
    tomorrow = _take(first, capacity, second=SECOND + 86_400, today=date(2026, 11, 7))
    assert tomorrow.allowed and _counted(first) == (1, 1)


def test_threads_of_one_process_share_its_lease_without_losing_a_call(tmp_path, database_url):
    meter, = _meters(tmp_path, database_url, 1)
    capacity = Capacity(per_second=100_000, per_day=10_000_000)
    results = []

    def calls():
        results.extend(_take(meter, capacity).allowed for _ in range(100))

    threads = [threading.Thread(target=calls) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 400
    assert meter.used_today("con_a", TODAY) == 400
    meter.release()
    assert _counted(meter)[1] == 400


@pytest.mark.parametrize("calls", [1, 7])
def test_release_gives_back_only_what_was_not_used(tmp_path, database_url, calls):
    meter, = _meters(tmp_path, database_url, 1)
    capacity = Capacity(per_second=100_000, per_day=10_000_000)
    for _ in range(calls):
        assert _take(meter, capacity).allowed
    meter.release()
    meter.release()  # twice gives back nothing more
    assert _counted(meter)[1] == calls
