"""An approval of a resource whose states name no approval moves it on from where it was made, and is refused past
there (tests/published_specs/approvals-without-approved/): a payout made `pending`, approved, answered 200 and
stayed `pending` for good, approved again alike; it goes on `in_transit`, and an approval of it there is refused in
the API's own error."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "approvals-without-approved",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "approvals-without-approved")


def test_an_approval_moves_a_payout_on_from_where_it_was_made(client):
    payout = client.post("/v1/payouts", json={"amount": 500}).json()
    assert payout["status"] == "pending", payout
    approved = client.post(f"/v1/payouts/{payout['id']}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "in_transit", approved.text
    assert client.get(f"/v1/payouts/{payout['id']}").json()["status"] == "in_transit"


def test_an_approval_past_where_it_was_made_is_refused(client):
    payout = client.post("/v1/payouts", json={"amount": 700}).json()
    client.post(f"/v1/payouts/{payout['id']}/approve")
    again = client.post(f"/v1/payouts/{payout['id']}/approve")
    assert 400 <= again.status_code < 500 and again.json()["code"] == "invalid_state", again.text
    assert client.get(f"/v1/payouts/{payout['id']}").json()["status"] == "in_transit"
