"""A simulation that answers only a reference to what it made (tests/published_specs/simulations-answering-a-reference/:
a simulated purchase answers `{token, support_id}`, the token described as the purchase, read at
`/purchases/{purchase_token}`): the purchase is made of what was sent, its amount, its merchant's descriptor and the
card its `pan` names (and that card's account), in its first state; a clearing and a void naming it by a bare `token`
described as the purchase's move it on (`clearing` -> SETTLED, `void` -> VOIDED), each read back so; the card's
balances follow what was loaded onto it and spent with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "simulations-answering-a-reference",)}


@pytest.fixture(scope="module")
def issuer(live):
    yield from bank_client(live, "simulations-answering-a-reference")


@pytest.fixture(scope="module")
def card(issuer):
    return issuer.post("/cards", json={"kind": "VIRTUAL"}).json()


def _purchase(issuer, card, amount, descriptor):
    made = issuer.post("/simulate/purchase", json={"amount": amount, "descriptor": descriptor, "pan": card["pan"]})
    assert made.status_code == 201, made.text
    return made.json()["token"]


def test_a_purchase_answered_by_its_token_is_read_as_it_was_simulated(issuer, card):
    token = _purchase(issuer, card, 3831, "COFFEE SHOP")
    read = issuer.get(f"/purchases/{token}")
    assert read.status_code == 200, read.text
    purchase = read.json()
    assert (purchase["token"], purchase["amount"], purchase["merchant"]["descriptor"]) == (token, 3831, "COFFEE SHOP")
    assert (purchase["card_token"], purchase["account_token"]) == (card["token"], card["account_token"]), purchase
    assert purchase["status"] == "PENDING"


def test_a_clearing_and_a_void_naming_it_by_its_bare_token_move_it_on(issuer, card):
    cleared, voided = _purchase(issuer, card, 1200, "BOOKS"), _purchase(issuer, card, 500, "TEA")
    assert issuer.post("/simulate/clearing", json={"token": cleared}).status_code == 201
    assert issuer.post("/simulate/void", json={"token": voided}).status_code == 201
    assert issuer.get(f"/purchases/{cleared}").json()["status"] == "SETTLED"
    assert issuer.get(f"/purchases/{voided}").json()["status"] == "VOIDED"
    assert issuer.get(f"/purchases/{cleared}").json()["amount"] == 1200


def test_two_purchases_simulated_alike_are_two(issuer, card):
    first, second = _purchase(issuer, card, 700, "BAKERY"), _purchase(issuer, card, 700, "BAKERY")
    assert first != second
    assert issuer.post("/simulate/void", json={"token": first}).status_code == 201
    assert issuer.get(f"/purchases/{second}").json()["status"] == "PENDING"


def test_a_cards_balances_follow_what_was_loaded_spent_and_settled(issuer):
    card = issuer.post("/cards", json={"kind": "PHYSICAL"}).json()
    balances = lambda: issuer.get(f"/cards/{card['token']}/balances").json()["data"][0]
    figures = lambda: {key: balances()[key] for key in ("available_amount", "pending_amount", "total_amount")}
    loaded = issuer.post("/loads", json={"card_token": card["token"], "amount": 10000, "funding_source_token": "fs_1"})
    assert loaded.status_code == 201, loaded.text
    assert figures() == {"available_amount": 10000, "pending_amount": 0, "total_amount": 10000}
    spent, voided = _purchase(issuer, card, 3831, "GROCER"), _purchase(issuer, card, 900, "CINEMA")
    assert figures() == {"available_amount": 5269, "pending_amount": 4731, "total_amount": 10000}
    issuer.post("/simulate/clearing", json={"token": spent})
    issuer.post("/simulate/void", json={"token": voided})
    assert figures() == {"available_amount": 6169, "pending_amount": 0, "total_amount": 6169}
