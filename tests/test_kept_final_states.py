"""What actions make and what they may act on (tests/published_specs/actions-on-final-states/): a settlement
made by a verb that completes (`POST /holds/{id}/settle`) starts in its enum's success state, `COMPLETED`, not
its first, `PENDING`; an action on a voided hold, or making a settlement under it, is refused (422, in the API's
own error form) and changes nothing; a settlement sent without an amount is of what the hold has left; the drawn `status_details` of a state go
where the state is set (made, voided) and stay gone when the hold is read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "actions-on-final-states",)}


@pytest.fixture(scope="module")
def holds(live):
    yield from bank_client(live, "actions-on-final-states")


def _money(value: str) -> dict:
    return {"amount": {"currency": "EUR", "value": value}}


def _hold(holds, value: str = "100") -> dict:
    return holds.post("/v1/holds", json=_money(value)).json()


def test_what_a_completing_verb_makes_starts_succeeded(holds):
    settled = holds.post(f"/v1/holds/{_hold(holds)['id']}/settle", json=_money("40"))
    assert settled.status_code == 201 and settled.json()["status"] == "COMPLETED"
    assert holds.get(f"/v1/settlements/{settled.json()['id']}").json()["status"] == "COMPLETED"


def test_an_action_on_a_withdrawn_resource_is_refused_and_changes_nothing(holds):
    hold = _hold(holds)
    assert holds.post(f"/v1/holds/{hold['id']}/void").json()["status"] == "VOIDED"
    refused = holds.post(f"/v1/holds/{hold['id']}/settle", json=_money("40"))
    assert refused.status_code == 422 and {"name", "message"} <= set(refused.json())
    assert holds.post(f"/v1/holds/{hold['id']}/void").status_code == 422
    assert holds.get(f"/v1/holds/{hold['id']}").json()["status"] == "VOIDED"


def test_a_settlement_sent_without_an_amount_is_of_what_is_left(holds):
    hold = _hold(holds, "100")
    holds.post(f"/v1/holds/{hold['id']}/settle", json=_money("30"))
    rest = holds.post(f"/v1/holds/{hold['id']}/settle", json={}).json()
    assert rest["amount"] == {"currency": "EUR", "value": "70"}
    assert holds.get(f"/v1/holds/{hold['id']}").json()["status"] == "SETTLED"


def test_the_details_of_a_state_go_with_it(holds):
    made = holds.post("/v1/holds", json=_money("100"))
    hold = made.json()
    assert hold["status"] == "CREATED" and "status_details" not in hold
    assert "status_details" not in holds.get(f"/v1/holds/{hold['id']}").json()
    voided = holds.post(f"/v1/holds/{hold['id']}/void").json()
    assert voided["status"] == "VOIDED" and "status_details" not in voided
    assert "status_details" not in holds.get(f"/v1/holds/{hold['id']}").json()
