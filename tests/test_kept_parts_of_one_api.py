"""An API split over spec files served under one host (tests/published_specs/parts-of-one-api-*/): what one part
makes, another part reads and acts on. Holding a cart (the carts part) makes a hold that the holds part reads,
settles and refunds; a spec describing one of those paths again (the rival) is no part of it and reads none."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from live_server import bank_client

# The folders this module calls, alone: serving all of published_specs/ took a second a module.
LIVE_SERVER = {"specs": tuple(Path(__file__).parent / "published_specs" / name for name in (
    "parts-of-one-api-carts", "parts-of-one-api-holds", "parts-of-one-api-rival",
))}


@pytest.fixture(scope="module")
def carts(live):
    yield from bank_client(live, "parts-of-one-api-carts")


@pytest.fixture(scope="module")
def holds(live):
    yield from bank_client(live, "parts-of-one-api-holds")


def _held(carts) -> dict:
    cart = carts.post("/v1/carts", json={"amount": {"currency": "EUR", "value": "120"}}).json()
    held = carts.post(f"/v1/carts/{cart['id']}/hold")
    assert held.status_code == 201
    return held.json()["holds"][-1]


def test_what_one_part_makes_another_reads(carts, holds):
    hold = _held(carts)
    read = holds.get(f"/v1/holds/{hold['id']}")
    assert read.status_code == 200
    assert read.json()["id"] == hold["id"] and read.json()["amount"] == {"currency": "EUR", "value": "120"}
    assert read.json()["status"] == hold["status"]


def test_an_action_of_another_part_leaves_it_in_its_state(carts, holds):
    hold = _held(carts)
    settled = holds.post(f"/v1/holds/{hold['id']}/settle", json={"amount": {"currency": "EUR", "value": "120"}})
    assert settled.status_code == 201
    assert holds.get(f"/v1/holds/{hold['id']}").json()["status"] == "SETTLED"
    assert holds.get(f"/v1/settlements/{settled.json()['id']}").json()["amount"] == {"currency": "EUR", "value": "120"}


def test_a_spec_holding_the_same_path_is_no_part(live, carts):
    hold = _held(carts)
    with httpx.Client(base_url=f"{live.url}/banks/parts-of-one-api-rival", timeout=30) as rival:
        read = rival.get(f"/v1/holds/{hold['id']}").json()
    assert read["amount"] != {"currency": "EUR", "value": "120"}
