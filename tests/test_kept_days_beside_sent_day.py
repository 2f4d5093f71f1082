"""Days a creation's client did not send keep their places beside the ones it did (tests/published_specs/
days-beside-sent-day/): a bill issued on the day sent, saying nothing of its making, is due as long after that day
as its example's was after the example's (freee's deal issued in 2026 was due on its example's 2019-12-17); a
notice made now is due as long after now as the example's after its making (a due day written as a day stayed
the example's). A line sent with its amount alone holds the share of tax the example's line did, never more than
itself (a line of 100 yen answered a tax of 250). A bill made naming no attachments by their ids holds none (a
deal made without receipts answered its example's receipt of 2019)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "days-beside-sent-day",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "days-beside-sent-day")


def test_a_bills_due_day_follows_its_issue_day(client):
    made = client.post("/api/1/bills", json={"issue_date": "2026-11-20", "lines": [{"amount": 11000}]})
    assert made.status_code == 201, made.text
    bill = made.json()["bill"]
    assert (bill["issue_date"], bill["due_date"]) == ("2026-11-20", "2026-12-04"), bill


def test_a_bill_made_naming_no_attachments_holds_none(client):
    bill = client.post("/api/1/bills", json={"issue_date": "2026-11-20", "lines": [{"amount": 100}]}).json()["bill"]
    assert bill["attachments"] == [], bill


def test_a_lines_tax_is_its_examples_share_of_its_amount(client):
    bill = client.post("/api/1/bills", json={"issue_date": "2026-11-20", "lines": [
        {"amount": 10500}, {"amount": 100}, {"amount": 2000, "vat": 0}]}).json()["bill"]
    assert [(line["amount"], line["vat"]) for line in bill["lines"]] == [(10500, 500), (100, 5), (2000, 0)], bill


def test_a_notices_due_day_follows_its_making(client):
    notice = client.post("/api/1/notices", json={"title": "Rent"}).json()
    made = datetime.fromisoformat(notice["created_at"].replace("Z", "+00:00"))
    assert made.year > 2019 and date.fromisoformat(notice["due_on"]) == (made + timedelta(days=7)).date(), notice
    assert client.get(f"/api/1/notices/{notice['id']}").json()["due_on"] == notice["due_on"]
