"""An account a client opens starts with nothing; one already there (drawn from the spec's examples, listed before
any is opened) starts with the money its draw says it holds (its books, what it may spend of them, what waits), the
same at every read, and the transfers kept since move it from there (tests/published_specs/drawn-accounts-hold-money/). A new account read its drawn balances,
`available` above `balance` (Unit's 248 and 558), until a transfer named it; a drawn one then held only what its
transfers moved, as if opened empty."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "drawn-accounts-hold-money",)}
JSON_API = {"Content-Type": "application/vnd.api+json"}
SEEDED = "acct_seed_checking"


@pytest.fixture(scope="module")
def bank(live):
    yield from bank_client(live, "drawn-accounts-hold-money")


def _balances(bank, account: str) -> tuple:
    read, attributes = bank.get(f"/accounts/{account}/balance"), bank.get(f"/accounts/{account}").json()["data"]["attributes"]
    assert read.status_code == 200, read.text
    return (read.json()["current_balance"], read.json()["available_balance"],
            (attributes["balance"], attributes["available"], attributes["hold"]))


def test_accounts_start_where_they_should_and_move_from_there(bank):
    listed = bank.get("/accounts").json()["data"]
    assert SEEDED in [account["id"] for account in listed]
    seeded = _balances(bank, SEEDED)
    assert seeded == _balances(bank, SEEDED) and seeded[0] > 0  # (stable: its draw, read again)
    made = bank.post("/accounts", headers=JSON_API, json={"data": {"type": "depositAccount", "attributes": {"name": "ops"}}})
    assert made.status_code == 201, made.text
    opened = made.json()["data"]["id"]
    assert {key: made.json()["data"]["attributes"][key] for key in ("balance", "available", "hold")} == {
        "balance": 0, "available": 0, "hold": 0}
    assert _balances(bank, opened) == (0, 0, (0, 0, 0))
    for account in (opened, SEEDED):
        assert bank.post("/transfers", json={"account_id": account, "amount": -2000}).status_code == 200
        assert bank.post("/transfers", json={"account_id": account, "amount": 500}).json()["status"] == "pending_submission"
    assert _balances(bank, opened) == (2000, 1500, (2000, 1500, 500))
    current, available, (balance, spendable, hold) = _balances(bank, SEEDED)
    assert (current, available) == (seeded[0] + 2000, seeded[1] + 1500)
    assert (balance, spendable, hold) == (seeded[2][0] + 2000, seeded[2][1] + 1500, seeded[2][2] + 500)
