"""Lines sent with their amounts alone (tests/published_specs/stated-lines/): the document's amount is their sum
and what is due of it that sum less what its client said was paid, as made, read back and changed (freee's deal
of one line of 110000 yen was answered and kept `amount` 5250 and `due_amount` 0, its example's, and changed to
220000 still said 5250)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "stated-lines",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "stated-lines")


def test_a_slips_amount_is_its_lines_sum_and_all_of_it_is_due(client):
    lines = [{"account_code": 101, "amount": 110000, "memo": "コンサルティング料"}, {"account_code": 102, "amount": -5000}]
    made = client.post("/api/1/slips", json={"issue_date": "2026-12-01", "lines": lines})
    assert made.status_code == 201, made.text
    slip = made.json()["slip"]
    assert (slip["amount"], slip["due_amount"]) == (105000, 105000), slip
    read = client.get(f"/api/1/slips/{slip['id']}").json()["slip"]
    assert (read["amount"], read["due_amount"]) == (105000, 105000), read
    changed = client.put(f"/api/1/slips/{slip['id']}", json={"issue_date": "2026-12-01", "lines": [
        {"account_code": 101, "amount": 220000}]}).json()["slip"]
    again = client.get(f"/api/1/slips/{slip['id']}").json()["slip"]
    assert (changed["amount"], changed["due_amount"]) == (again["amount"], again["due_amount"]) == (220000, 220000)


def test_what_its_client_said_was_paid_is_not_due(client):
    slip = client.post("/api/1/slips", json={"issue_date": "2026-12-01", "lines": [{"amount": 30000}],
                                             "settlements": [{"date": "2026-12-01", "amount": 10000}]}).json()["slip"]
    assert (slip["amount"], slip["due_amount"]) == (30000, 20000), slip
    changed = client.put(f"/api/1/slips/{slip['id']}", json={"issue_date": "2026-12-01", "lines": [
        {"amount": 50000}]}).json()["slip"]
    assert (changed["amount"], changed["due_amount"]) == (50000, 40000), changed
