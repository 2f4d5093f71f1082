"""The states of what actions make and act on (tests/published_specs/parts-of-one-api-*/): a hold made inside a
cart is in the state a new one is in (`CREATED`, listed before `PENDING`, not `PENDING` with the draw's details of
it); settling or refunding part of an amount leaves the resource in the enum's partial state
(`PARTIALLY_SETTLED`, `PARTIALLY_REFUNDED`) until what was made under it adds up to its amount, or the action
says it is the final one."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

# The folders this module calls, alone: serving all of published_specs/ took a second a module.
LIVE_SERVER = {"specs": tuple(Path(__file__).parent / "published_specs" / name for name in (
    "parts-of-one-api-carts", "parts-of-one-api-holds",
))}


@pytest.fixture(scope="module")
def carts(live):
    yield from bank_client(live, "parts-of-one-api-carts")


@pytest.fixture(scope="module")
def holds(live):
    yield from bank_client(live, "parts-of-one-api-holds")


def _held(carts, value: str = "120") -> dict:
    cart = carts.post("/v1/carts", json={"amount": {"currency": "EUR", "value": value}}).json()
    return carts.post(f"/v1/carts/{cart['id']}/hold").json()["holds"][-1]


def _money(value: str) -> dict:
    return {"amount": {"currency": "EUR", "value": value}}


def test_a_hold_made_inside_its_cart_is_in_its_first_state(carts):
    hold = _held(carts)
    assert hold["status"] == "CREATED" and "status_details" not in hold


def test_part_of_an_amount_acted_on_leaves_the_partial_state_until_it_adds_up(carts, holds):
    hold = _held(carts)
    holds.post(f"/v1/holds/{hold['id']}/settle", json=_money("50"))
    assert holds.get(f"/v1/holds/{hold['id']}").json()["status"] == "PARTIALLY_SETTLED"
    settlement = holds.post(f"/v1/holds/{hold['id']}/settle", json=_money("70")).json()
    assert holds.get(f"/v1/holds/{hold['id']}").json()["status"] == "SETTLED"
    holds.post(f"/v1/settlements/{settlement['id']}/refund", json=_money("20"))
    assert holds.get(f"/v1/settlements/{settlement['id']}").json()["status"] == "PARTIALLY_REFUNDED"
    holds.post(f"/v1/settlements/{settlement['id']}/refund", json=_money("50"))
    assert holds.get(f"/v1/settlements/{settlement['id']}").json()["status"] == "REFUNDED"


def test_a_part_said_final_leaves_the_whole_state(carts, holds):
    hold = _held(carts)
    holds.post(f"/v1/holds/{hold['id']}/settle", json={**_money("50"), "final_settlement": True})
    assert holds.get(f"/v1/holds/{hold['id']}").json()["status"] == "SETTLED"
