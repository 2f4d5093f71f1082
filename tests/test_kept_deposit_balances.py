"""A deposit account's balances follow the money its kept payments and transfers moved (tests/published_specs/
deposit-balances-follow-transfers/): a book payment naming the paying account and the one paid in its JSON:API
relationships takes it from the one (its `available` at once, its `balance` once sent) and gives it to the other,
in the account's own read (`data.attributes`); a transfer naming the account by `account_id` takes a positive amount
out and brings a negative one, or one sent `direction: Debit`, in, at `/accounts/{id}/balance`; one returned moves
nothing. Both balances stayed as drawn (and the transfers' `funding: checking` was taken for money paid in)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "deposit-balances-follow-transfers",)}
JSON_API = {"Content-Type": "application/vnd.api+json"}


@pytest.fixture(scope="module")
def bank(live):
    yield from bank_client(live, "deposit-balances-follow-transfers")


def _open(bank, name: str) -> str:
    made = bank.post("/accounts", headers=JSON_API, json={"data": {"type": "depositAccount", "attributes": {"name": name}}})
    assert made.status_code == 201, made.text
    return made.json()["data"]["id"]


def _held(bank, account: str) -> dict:
    read = bank.get(f"/accounts/{account}")
    assert read.status_code == 200, read.text
    return {key: read.json()["data"]["attributes"][key] for key in ("balance", "available", "hold")}


def _pay(bank, payer: str, payee: str, amount: int) -> dict:
    made = bank.post("/payments", headers=JSON_API, json={"data": {
        "type": "bookPayment", "attributes": {"amount": amount, "description": "rent"},
        "relationships": {"account": {"data": {"type": "depositAccount", "id": payer}},
                          "counterpartyAccount": {"data": {"type": "depositAccount", "id": payee}}}}})
    assert made.status_code == 201, made.text
    return made.json()["data"]


def test_a_book_payment_moves_money_from_one_account_to_the_other(bank):
    treasury, ops = _open(bank, "treasury"), _open(bank, "ops")
    assert _pay(bank, treasury, ops, 1500)["attributes"]["status"] == "Pending"
    assert _held(bank, ops) == {"balance": 1500, "available": 1500, "hold": 0}
    _pay(bank, ops, treasury, 400)
    assert _held(bank, ops) == {"balance": 1500, "available": 1100, "hold": 400}


def test_transfers_push_out_positive_amounts_and_pull_in_negative_ones(bank):
    account = _open(bank, "ops")
    balance = lambda: {key: bank.get(f"/accounts/{account}/balance").json()[key]
                       for key in ("current_balance", "available_balance")}
    assert bank.post("/transfers", json={"account_id": account, "amount": -2000}).status_code == 200
    assert balance() == {"current_balance": 2000, "available_balance": 2000}
    bank.post("/transfers", json={"account_id": account, "amount": 300, "direction": "Debit"})
    assert balance() == {"current_balance": 2300, "available_balance": 2300}
    assert bank.post("/transfers", json={"account_id": account, "amount": 500}).json()["status"] == "pending_submission"
    assert balance() == {"current_balance": 2300, "available_balance": 1800}
