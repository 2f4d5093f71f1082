"""A kept list filtered by bounds, as data connectors sync what is new since their last run
(tests/published_specs/range-filters/): a deepObject's `created[gte]`, `created_after`/`created_before`,
`min_amount`/`amount_lte`, `value_date_from`/`value_date_to`, bare `since`/`until`. Every bound was ignored:
each incremental run was answered with every payment ever made."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from sandbox.bindings.filters import passes

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "range-filters",)}
EPOCH = 1767225600  # 2026-01-01T00:00:00Z


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "range-filters")


@pytest.fixture(scope="module")
def made(client):
    """Three payments a day apart, amounts 100, 200, 300 (made in this module's own terms: `created` as sent)."""
    payments = []
    for day in range(3):
        answer = client.post("/payments", json={"amount": 100 * (day + 1), "value_date": f"2026-01-0{day + 1}",
                                               "created": EPOCH + day * 86400})
        assert answer.status_code == 201, answer.text
        payments.append(answer.json())
    return payments


def _ids(client, **query) -> list[str]:
    answer = client.get("/payments", params={"limit": 100, **query})
    assert answer.status_code == 200, answer.text
    return sorted(payment["id"] for payment in answer.json()["data"])


def _of(made, *indexes) -> list[str]:
    return sorted(made[index]["id"] for index in indexes)


def test_a_deep_object_bounds_an_epoch_field(client, made):
    assert _ids(client, **{"created[gte]": EPOCH + 86400}) == _of(made, 1, 2)
    assert _ids(client, **{"created[gt]": EPOCH + 86400}) == _of(made, 2)
    assert _ids(client, **{"created[gte]": EPOCH, "created[lt]": EPOCH + 2 * 86400}) == _of(made, 0, 1)


def test_named_bounds_on_a_quantity_and_a_day(client, made):
    assert _ids(client, min_amount=150) == _of(made, 1, 2)
    assert _ids(client, min_amount=150, amount_lte=200) == _of(made, 1)
    assert _ids(client, value_date_from="2026-01-02", value_date_to="2026-01-02") == _of(made, 1)


def test_moments_as_text_bound_an_epoch_field_by_its_words(client, made):
    """`created_after` names `created` (epoch seconds) by its words; an RFC 3339 bound compares with it."""
    second = datetime.fromtimestamp(EPOCH + 86400, timezone.utc).isoformat().replace("+00:00", "Z")
    assert _ids(client, created_after=second) == _of(made, 2)
    assert _ids(client, created_before=second) == _of(made, 0)


def test_bare_since_and_until_bound_when_each_was_made(client, made):
    assert _ids(client, since="2026-01-02T00:00:00Z") == _of(made, 1, 2)
    assert _ids(client, since="2026-01-01T00:00:00Z", until="2026-01-01T23:59:59Z") == _of(made, 0)
    assert _ids(client, since="2030-01-01T00:00:00Z") == []


def test_a_bounded_list_pages_through_what_passes(client, made):
    first = client.get("/payments", params={"min_amount": 150, "limit": 1}).json()
    assert len(first["data"]) == 1 and first["has_more"] is True
    second = client.get("/payments", params={"min_amount": 150, "limit": 1,
                                             "starting_after": first["data"][0]["id"]}).json()
    assert len(second["data"]) == 1 and second["has_more"] is False
    assert sorted([first["data"][0]["id"], second["data"][0]["id"]]) == _of(made, 1, 2)


@pytest.mark.parametrize("query, kept", [
    ({"from_account": "1234567"}, True),  # an account number is no quantity nor moment: no bound
    ({"to": "2026-01-05"}, True), ({"to": "2026-01-04"}, False),  # days, the bound day kept
    ({"until": "2026-01-05T18:00:00+09:00"}, True), ({"until": "2026-01-05T17:59:59+09:00"}, False),
    ({"created_at_lower_bound": "2026-01-05"}, True), ({"createdAt.gt": "2026-01-05T09:00:00Z"}, False),
    ({"amount[gte]": "1000.50"}, False), ({"max_total": 5000}, True), ({"currency_to": "USD"}, True),
])
def test_a_bound_filters_only_what_it_names_and_compares_with(query, kept):
    fields = {"id": "pay_1", "accountnumber": 7654321, "amount": "1000.00", "total": 1200, "currency": "JPY",
              "createdat": "2026-01-05T09:00:00Z"}
    assert passes(fields, query) is kept


def _sandbox_now(answer) -> datetime:
    return datetime.fromisoformat(answer.headers["X-Sandbox-Time"])


def _advance(admin, seconds: int = 3600) -> None:
    moved = admin.post("/sandbox/v1/workspaces/default/clock", json={"mode": "advance", "seconds": seconds})
    assert moved.status_code == 200, moved.text


def test_a_payment_carries_the_moments_it_was_made_and_changed_at(client, admin):
    """Drawn, `created_at` was a random moment of the sandbox's day: payments made in turn were dated out of order."""
    made = client.post("/payments", json={"amount": 5, "value_date": "2026-02-01"})
    payment, now = made.json(), _sandbox_now(made)
    assert datetime.fromisoformat(payment["created_at"].replace("Z", "+00:00")) == now
    assert payment["created"] == int(now.timestamp()) and payment["created_at"].endswith("Z")  # the drawn forms
    assert datetime.fromisoformat(payment["updated_at"].replace("Z", "+00:00")) == now  # as the spec's examples write
    assert client.get(f"/payments/{payment['id']}").json()["created_at"] == payment["created_at"]
    _advance(admin)
    changed = client.patch(f"/payments/{payment['id']}", json={"memo": "paid"})
    read = client.get(f"/payments/{payment['id']}").json()
    assert read["memo"] == "paid" and read["created_at"] == payment["created_at"]
    assert datetime.fromisoformat(read["updated_at"]) == _sandbox_now(changed) != now


def test_payments_made_in_turn_are_synced_by_when_they_were_made(client, admin):
    first = client.post("/payments", json={"amount": 7, "value_date": "2026-02-03"})
    _advance(admin)
    second = client.post("/payments", json={"amount": 8, "value_date": "2026-02-03"})
    since = _sandbox_now(second).isoformat()
    synced = _ids(client, created_after=since)  # `created_at` by its words... and `created` of these two
    assert second.json()["id"] in _ids(client, since=since) and first.json()["id"] not in _ids(client, since=since)
    assert first.json()["id"] not in synced


def test_a_replayed_creation_answers_the_moments_of_the_first(client, admin):
    key = {"Idempotency-Key": "range-filters-replay-1"}
    first = client.post("/payments", json={"amount": 6, "value_date": "2026-02-02"}, headers=key).json()
    _advance(admin)
    again = client.post("/payments", json={"amount": 6, "value_date": "2026-02-02"}, headers=key).json()
    assert (again["id"], again["created_at"], again["created"]) == (first["id"], first["created_at"], first["created"])
