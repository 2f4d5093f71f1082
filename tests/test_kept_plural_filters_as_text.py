"""A list's filter named as the plural of a field and declared as text filters on that field, by one value or by
a JSON array of values written in the text (tests/published_specs/plural-filters-as-text): `statuses=EXPIRED`
and `statuses=["PENDING","EXPIRED"]` of a bill's `status`, as Xendit's invoices list them. Read as no field's
filter, both listed every bill."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "plural-filters-as-text",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "plural-filters-as-text")


@pytest.fixture(scope="module")
def bills(client):
    made = [client.post("/bills", json={"amount": 1000 * n}).json()["id"] for n in (1, 2, 3)]
    assert client.post(f"/bills/{made[0]}/expire").json()["status"] == "EXPIRED"
    return made


def _listed(client, statuses: str) -> set:
    answer = client.get("/bills", params={"statuses": statuses})
    assert answer.status_code == 200, answer.text
    return {(bill["id"], bill["status"]) for bill in answer.json()}


def test_a_plural_filter_of_one_value_filters_its_field(client, bills):
    assert _listed(client, "EXPIRED") == {(bills[0], "EXPIRED")}
    assert _listed(client, "PAID") == set()


def test_a_plural_filter_takes_a_json_array_in_its_text(client, bills):
    assert _listed(client, '["EXPIRED"]') == {(bills[0], "EXPIRED")}
    assert _listed(client, '["PENDING","EXPIRED"]') == {(bills[0], "EXPIRED"), (bills[1], "PENDING"), (bills[2], "PENDING")}
