"""A state that waits for what a creation asks for by a flag (tests/published_specs/flag-required-states/: a payout's
`pending_approval`, asked for by `require_approval`) is where a resource is made only when its client asked for
it: Increase's ACH transfers made without `require_approval` were made `pending_approval`, an approval no one
would give; made without it, a payout waits for the next step it holds a field of (`pending_submission`), not
for a step only some payouts take (`pending_batch_confirmation`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "flag-required-states",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "flag-required-states")


def test_a_payout_made_without_asking_for_an_approval_waits_for_its_submission(client):
    for sent in ({"amount": 10}, {"amount": 11, "require_approval": False}):
        made = client.post("/payouts", json=sent)
        assert made.status_code == 200, made.text
        assert made.json()["status"] == "pending_submission", (sent, made.json())
        assert client.get(f"/payouts/{made.json()['id']}").json()["status"] == "pending_submission"


def test_a_payout_made_asking_for_an_approval_waits_for_it(client):
    made = client.post("/payouts", json={"amount": 12, "require_approval": True})
    assert made.status_code == 200, made.text
    assert made.json()["status"] == "pending_approval"


def test_an_approval_moves_a_payout_waiting_for_it_to_its_next_step(client):
    """`approve` names no state of the enum (no `approved`): the payout stayed `pending_approval` for good."""
    made = client.post("/payouts", json={"amount": 13, "require_approval": True}).json()
    approved = client.post(f"/payouts/{made['id']}/approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["id"] == made["id"] and approved.json()["status"] == "pending_submission"
    assert client.get(f"/payouts/{made['id']}").json()["status"] == "pending_submission"


def test_a_payout_is_made_without_the_steps_it_has_not_taken_and_an_action_takes_its_own(client):
    """Its `approval` and `submission` were the example's, of 2020, on a payout waiting for both."""
    made = client.post("/payouts", json={"amount": 14, "require_approval": True}).json()
    assert made["approval"] is None and made["submission"] is None, made
    approved = client.post(f"/payouts/{made['id']}/approve").json()
    assert approved["approval"]["approved_at"][:4] != "2020" and approved["submission"] is None, approved
    submitted = client.post(f"/simulations/payouts/{made['id']}/submit").json()
    assert submitted["status"] == "submitted" and submitted["submission"]["submitted_at"][:4] != "2020", submitted
    read = client.get(f"/payouts/{made['id']}").json()
    assert read["approval"] == approved["approval"] and read["submission"] == submitted["submission"], read


def test_a_return_tells_the_reason_it_was_sent(client):
    """The return's `return_reason_code` was drawn, whatever reason was asked for."""
    for index, reason in enumerate(("no_account", "account_closed", "insufficient_fund") * 2):
        made = client.post("/payouts", json={"amount": 20 + index}).json()
        client.post(f"/simulations/payouts/{made['id']}/submit")
        returned = client.post(f"/simulations/payouts/{made['id']}/return", json={"reason": reason})
        assert returned.status_code == 200, returned.text
        assert returned.json()["status"] == "returned" and returned.json()["return"]["return_reason_code"] == reason
        assert client.get(f"/payouts/{made['id']}").json()["return"]["return_reason_code"] == reason


def test_a_payout_not_waiting_for_an_approval_is_refused_in_its_shapes_status(client):
    """Approved out of `pending_approval` (made without asking for one, or returned), a payout answered 200 and
    moved on; refused, its error's shape says 409, and so does its status (it was a 422 saying 409)."""
    made = client.post("/payouts", json={"amount": 30}).json()
    refused = client.post(f"/payouts/{made['id']}/approve")
    assert refused.status_code == 409, refused.text
    assert refused.json()["type"] == "invalid_operation_error" and refused.json()["status"] == 409, refused.json()
    assert client.get(f"/payouts/{made['id']}").json()["status"] == "pending_submission"
