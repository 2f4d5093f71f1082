"""A kept list bounded by when each resource was made, where the resource says it in no field of that name
(tests/published_specs/made-in-other-words/): a slip carries `date`, not `created`, as a card processor's
invoice items do. `created[gte]` named no field of it and filtered nothing: a sync's yearly window of 2020
listed the slips written today, and each of its seven yearly windows listed them again. Such a bound
compares the moment the sandbox kept the slip; a bound on the field it does carry (`date`) compares that."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from sandbox.bindings.filters import passes

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "made-in-other-words",)}
YEAR_2020 = (1577836800, 1609459200)  # 2020-01-01T00:00:00Z, 2021-01-01T00:00:00Z


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "made-in-other-words")


def _now(answer) -> int:
    return int(datetime.fromisoformat(answer.headers["X-Sandbox-Time"]).timestamp())


def _ids(client, **query) -> set[str]:
    answer = client.get("/slips", params={"limit": 100, **query})
    assert answer.status_code == 200, answer.text
    return {slip["id"] for slip in answer.json()["data"]}


def test_a_bound_on_its_making_compares_when_it_was_kept(client):
    made = client.post("/slips", json={"amount": 120})
    assert made.status_code == 200, made.text
    slip, now = made.json()["id"], _now(made)
    assert slip in _ids(client, **{"created[gte]": now - 3600})
    assert slip not in _ids(client, **{"created[gte]": now + 86400})
    assert slip not in _ids(client, **{"created[gte]": YEAR_2020[0], "created[lt]": YEAR_2020[1]})
    assert slip in _ids(client, **{"created[gt]": now - 1, "created[lte]": now})
    assert slip not in _ids(client, **{"created[lt]": now})


def test_a_bound_on_a_field_it_carries_compares_that_field(client):
    """A slip dated by its writer in 2020 (an import) is of 2020 by its `date`, and was made now by `created`."""
    made = client.post("/slips", json={"amount": 80, "date": YEAR_2020[0] + 10 * 86400})
    slip, now = made.json()["id"], _now(made)
    assert made.json()["date"] == YEAR_2020[0] + 10 * 86400
    assert slip in _ids(client, **{"date[gte]": YEAR_2020[0], "date[lt]": YEAR_2020[1]})
    assert slip not in _ids(client, **{"date[gte]": now - 3600})
    assert slip in _ids(client, **{"created[gte]": now - 3600})
    assert slip not in _ids(client, **{"created[gte]": YEAR_2020[0], "created[lt]": YEAR_2020[1]})


def test_the_kept_moment_stands_only_for_words_of_making():
    made = "2026-03-01T10:00:00+00:00"
    moment = int(datetime.fromisoformat(made).timestamp())
    fields = {"date": 1577836800, "amount": 5}
    assert passes(fields, {"created": {"gte": str(moment + 1)}}, made=made) is False
    assert passes(fields, {"created_at[lte]": "2026-03-01T10:00:00Z"}, made=made) is True
    assert passes(fields, {"until": "2020-06-01T00:00:00Z"}, made=made) is True  # `until` names its `date` (2020)
    assert passes({"amount": 5}, {"since": "2026-03-02T00:00:00Z"}, made=made) is False
    assert passes(fields, {"shipped": {"gte": str(moment + 1)}}, made=made) is True  # no word of its making
    assert passes(fields, {"created": {"gte": str(moment + 1)}}) is True  # no kept moment: filters nothing
    assert datetime.fromtimestamp(moment, timezone.utc).isoformat() == made
