"""Lists nothing here makes, asked between two moments (tests/published_specs/drawn-moment-windows/): their
drawn items are dated inside the window by the moment, not only the day, and never after now. Moved by whole
days, `created[lte]=<now>` was answered two hours on, and `created[gte]=now-3600&created[lte]=now-60` five
hours before; a connector's state ran ahead of the sandbox's clock. Between two days, by the day as before."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "drawn-moment-windows",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "drawn-moment-windows")


def _now(client) -> int:
    return int(datetime.fromisoformat(client.get("/entries").headers["X-Sandbox-Time"]).timestamp())


def _created(client, **query) -> list[int]:
    answer = client.get("/entries", params=query)
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]
    return [entry["created"] for entry in answer.json()["data"]]


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def test_epoch_bounds_keep_drawn_items_within_by_the_moment(client):
    now = _now(client)
    assert all(now - 3600 <= created <= now - 60
               for created in _created(client, **{"created[gte]": now - 3600, "created[lte]": now - 60}))
    assert all(now - 3600 < created < now - 60
               for created in _created(client, **{"created[gt]": now - 3600, "created[lt]": now - 60}))
    assert all(now - 30 * 86400 <= created <= now for created in _created(client, **{"created[lte]": now}))


def test_a_window_asked_without_its_end_ends_now(client):
    now = _now(client)
    assert all(now - 3600 <= created <= now + 5 for created in _created(client, **{"created[gte]": now - 3600}))


def test_date_time_bounds_keep_each_form(client):
    now = _now(client)
    low = datetime.fromtimestamp(now - 7200, timezone.utc)
    high = datetime.fromtimestamp(now - 600, timezone.utc)
    answer = client.get("/movements", params={"from": low.isoformat().replace("+00:00", "Z"),
                                              "to": high.isoformat()})
    movements = answer.json()["movements"]
    assert all(low <= _moment(m["booked_at"]) <= high for m in movements), movements
    assert movements[0]["booked_at"].endswith("Z") and movements[1]["booked_at"].endswith("+02:00")
    assert "." in movements[1]["booked_at"] and movements[2]["booked_at"].endswith("+00:00")
    assert all(m["value_date"] in (low.date().isoformat(), high.date().isoformat()) for m in movements)


def test_day_bounds_still_move_by_the_day(client):
    movements = client.get("/movements", params={"from": "2026-01-01", "to": "2026-01-03"}).json()["movements"]
    assert all(date(2026, 1, 1) <= date.fromisoformat(m["booked_at"][:10]) <= date(2026, 1, 3) for m in movements)
    assert all("2026-01-01" <= m["value_date"] <= "2026-01-03" for m in movements)
    assert {m["booked_at"][10:] for m in movements} == {"T00:00:00Z", "T06:00:00.000+02:00", "T12:00:00+00:00",
                                                       "T18:00:00Z"}
