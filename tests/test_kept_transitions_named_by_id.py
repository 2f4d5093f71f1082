"""A transition made of another resource moves it (tests/published_specs/transitions-named-by-id/): a creation
whose body must name a resource of another kind by its id (`locker_token`) and must say a state, one of that
kind's own, leaves the kept resource in that state (a card issuer's `POST /cardtransitions` with
`{"card_token", "state": "SUSPENDED"}` answered the transition, and the card was read back ACTIVE); the state
read back is the last one made."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs",)}


@pytest.fixture(scope="module")
def lockers(live):
    yield from bank_client(live, "transitions-named-by-id")


def _locker(lockers) -> dict:
    made = lockers.post("/v2/lockers", json={"label": "by the door"})
    assert made.status_code == 201, made.text
    return made.json()


def _moved(lockers, locker: dict, state: str):
    return lockers.post("/v2/lockertransitions", json={"locker_token": locker["token"], "state": state,
                                                       "channel": "API"})


def test_a_transition_leaves_the_resource_it_names_in_its_state(lockers):
    locker = _locker(lockers)
    moved = _moved(lockers, locker, "SUSPENDED")
    assert moved.status_code == 201 and moved.json()["state"] == "SUSPENDED", moved.text
    read = lockers.get(f"/v2/lockers/{locker['token']}").json()
    assert read["state"] == "SUSPENDED" and read["label"] == "by the door", read
    assert _moved(lockers, locker, "OPEN").status_code == 201
    assert lockers.get(f"/v2/lockers/{locker['token']}").json()["state"] == "OPEN"


def test_a_transition_of_another_resource_leaves_this_one_alone(lockers):
    mine, other = _locker(lockers), _locker(lockers)
    state = lockers.get(f"/v2/lockers/{mine['token']}").json()["state"]
    _moved(lockers, other, "SUSPENDED")
    assert lockers.get(f"/v2/lockers/{mine['token']}").json()["state"] == state
