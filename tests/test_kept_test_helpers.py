"""Kept resources acted on by a versioned API's test helpers (tests/published_specs/versioned-test-helpers/): an
action under a prefix that comes after the version, and one naming the path parameter otherwise than the read."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "versioned-test-helpers",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "versioned-test-helpers")


def _made(client, amount: int) -> dict:
    answer = client.post("/v1/vouchers", json={"amount": amount})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_test_helper_under_a_prefix_after_the_version_acts_on_the_voucher_made(client):
    """Stripe's `/v1/test_helpers/treasury/inbound_transfers/{id}/succeed` answered another, drawn transfer, and the
    one made stayed `processing`."""
    made = _made(client, 1200)
    redeemed = client.post(f"/v1/test_helpers/vouchers/{made['id']}/redeem")
    assert redeemed.status_code == 200, redeemed.text
    assert (redeemed.json()["id"], redeemed.json()["amount"], redeemed.json()["status"]) == (made["id"], 1200, "redeemed")
    assert client.get(f"/v1/vouchers/{made['id']}").json()["status"] == "redeemed"


def test_an_action_naming_its_parameter_otherwise_than_the_read_acts_on_the_voucher_made(client):
    """Stripe cancels `/v1/treasury/inbound_transfers/{inbound_transfer}/cancel`, read at `.../{id}`: the cancel
    answered a drawn transfer and the one made stayed `processing`."""
    made = _made(client, 700)
    cancelled = client.post(f"/v1/vouchers/{made['id']}/cancel").json()
    assert (cancelled["id"], cancelled["amount"], cancelled["status"]) == (made["id"], 700, "canceled")
    assert client.get(f"/v1/vouchers/{made['id']}").json()["status"] == "canceled"
    listed = {item["id"]: item["status"] for item in client.get("/v1/vouchers").json()["data"]}
    assert listed[made["id"]] == "canceled", listed
