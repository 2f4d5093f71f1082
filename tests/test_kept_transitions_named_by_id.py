"""A transition made of another resource moves it (tests/published_specs/transitions-named-by-id/): a creation
whose body must name a resource of another kind by its id (`locker_token`) and must say a state, one of that
kind's own, leaves the kept resource in that state (a card issuer's `POST /cardtransitions` with
`{"card_token", "state": "SUSPENDED"}` answered the transition, and the card was read back ACTIVE); the state
read back is the last one made. A creation, or a simulation, whose body must name a resource that is closed is
refused (422, in the API's own error form) and changes nothing; one naming a resource never made is refused as the
bad input it is (a card made for the user `nobody` was answered 201; a simulated authorization of a TERMINATED card
was approved)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "transitions-named-by-id",)}


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


def test_a_creation_naming_a_closed_resource_is_refused_and_makes_nothing(lockers):
    locker = _locker(lockers)
    assert lockers.post("/v2/rentals", json={"locker_token": locker["token"], "amount": 5}).status_code == 201
    assert _moved(lockers, locker, "CLOSED").status_code == 201
    refused = lockers.post("/v2/rentals", json={"locker_token": locker["token"], "amount": 5})
    knocked = lockers.post("/v2/simulate/knock", json={"locker_token": locker["token"], "loudness": 3})
    assert knocked.status_code == 422 and "error_message" in knocked.json(), knocked.text
    assert refused.status_code == 422 and {"error_code", "error_message"} <= set(refused.json()), refused.text
    again = _moved(lockers, locker, "OPEN")
    assert again.status_code == 422, again.text
    assert lockers.get(f"/v2/lockers/{locker['token']}").json()["state"] == "CLOSED"


def test_a_creation_naming_a_resource_never_made_is_refused(lockers):
    _locker(lockers)
    refused = lockers.post("/v2/rentals", json={"locker_token": "no-such-locker", "amount": 5})
    assert refused.status_code in (400, 404, 422) and "error_message" in refused.json(), refused.text


def test_what_a_simulation_answers_is_kept_and_names_what_its_resource_names(lockers):
    locker = lockers.post("/v2/lockers", json={"label": "hall", "owner_token": "own-7"}).json()
    knocked = lockers.post("/v2/simulate/knock", json={"locker_token": locker["token"], "loudness": 3})
    assert knocked.status_code == 201, knocked.text
    knock = knocked.json()["knock"]
    assert knock["locker_token"] == locker["token"] and knock["owner_token"] == "own-7", knock
    assert lockers.get(f"/v2/knocks/{knock['token']}").json() == knock


def test_what_a_simulation_answers_is_of_the_type_its_path_ends_in(lockers):
    locker = _locker(lockers)
    for loudness in range(1, 4):
        knock = lockers.post("/v2/simulate/knock", json={"locker_token": locker["token"], "loudness": loudness})
        assert knock.json()["knock"]["type"] == "knock", knock.text
