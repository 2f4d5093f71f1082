"""A test helper's action is taken only from the states its description says it must first be in
(tests/published_specs/actions-taken-from-stated-states/: "This transfer must first have a `status` of
`submitted`."): a transfer still pending submission is refused its return, 409 in the API's error shape, and stays
as it was; submitted, it is returned, and a returned one is not submitted again. A simulation otherwise drives the
state as asked: the transfer pending submission was returned, 200."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "actions-taken-from-stated-states",)}


@pytest.fixture(scope="module")
def bank(live):
    yield from bank_client(live, "actions-taken-from-stated-states")


def test_a_return_waits_for_the_submission_the_description_asks_for(bank):
    made = bank.post("/transfers", json={"amount": 1500})
    assert made.status_code == 200, made.text
    transfer = made.json()["id"]
    assert made.json()["status"] == "pending_submission"
    early = bank.post(f"/simulations/transfers/{transfer}/return")
    assert early.status_code == 409, early.text
    assert early.json()["type"] == "invalid_operation_error" and early.json()["status"] == 409
    assert bank.get(f"/transfers/{transfer}").json()["status"] == "pending_submission"
    assert bank.post(f"/simulations/transfers/{transfer}/submit").json()["status"] == "submitted"
    returned = bank.post(f"/simulations/transfers/{transfer}/return")
    assert returned.status_code == 200 and returned.json()["status"] == "returned", returned.text
    again = bank.post(f"/simulations/transfers/{transfer}/submit")
    assert again.status_code == 409 and again.json()["type"] == "invalid_operation_error", again.text
    assert bank.get(f"/transfers/{transfer}").json()["status"] == "returned"
