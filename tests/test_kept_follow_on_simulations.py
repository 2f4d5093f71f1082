"""A call that follows on from a kept resource (tests/published_specs/follow-on-simulations/): a simulated clearing
naming the authorization it clears by `original_transaction_token` answers a transaction that names it in
`preceding_related_transaction_token` and names the card and user it names, leaves it in the state its path's
word names (`clearing` -> CLEARED), each read back so."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "follow-on-simulations",)}


@pytest.fixture(scope="module")
def issuer(live):
    yield from bank_client(live, "follow-on-simulations")


def test_a_clearing_names_the_authorization_it_clears_and_moves_it(issuer):
    card = issuer.post("/cards", json={"user_token": "u_ada"}).json()
    authorized = issuer.post("/simulate/authorization", json={"card_token": card["token"], "amount": 12.5}).json()
    auth = authorized["transaction"]
    assert auth["card_token"] == card["token"] and auth["state"] == "PENDING"
    cleared = issuer.post("/simulate/clearing", json={"original_transaction_token": auth["token"], "amount": 12.5})
    assert cleared.status_code == 201
    clearing = cleared.json()["transaction"]
    assert clearing["token"] != auth["token"] and clearing["preceding_related_transaction_token"] == auth["token"]
    assert (clearing["card_token"], clearing["user_token"]) == (card["token"], auth["user_token"])
    assert issuer.get(f"/transactions/{auth['token']}").json()["state"] == "CLEARED"
    read = issuer.get(f"/transactions/{clearing['token']}").json()
    assert read["preceding_related_transaction_token"] == auth["token"]



def test_a_users_balances_count_a_cleared_authorization_once(issuer):
    card = issuer.post("/cards", json={"user_token": "u_bo"}).json()
    assert issuer.post("/fundings", json={"user_token": "u_bo", "amount": 100, "funding_source_token": "fs"}).status_code == 201
    gpa = lambda: {key: issuer.get("/balances/u_bo").json()["gpa"][key] for key in ("available_balance", "ledger_balance")}
    auth = issuer.post("/simulate/authorization", json={"card_token": card["token"], "amount": 12.5}).json()["transaction"]
    assert gpa() == {"available_balance": 87.5, "ledger_balance": 100}
    issuer.post("/simulate/clearing", json={"original_transaction_token": auth["token"], "amount": 12.5})
    assert gpa() == {"available_balance": 87.5, "ledger_balance": 87.5}
