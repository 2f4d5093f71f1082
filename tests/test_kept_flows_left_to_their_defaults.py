"""A payment flow answers what its client left out as leaving it out means, its refunds are added up where it
holds no amount saying what was refunded, and its moments share one zone (tests/published_specs/
flows-left-to-their-defaults/, as PAY.JP's v2 payment flows): made without a `capture_method` it was drawn
`manual`, so its confirmation held it for a capture never asked for; refunds of all of it were made again and
again; cancelled, it said `canceled_at` in UTC beside a `created_at` at +09:00. A customer made without a payment
method named one never made as its default (`default_payment_method_id`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "flows-left-to-their-defaults",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "flows-left-to-their-defaults")


def test_a_flow_made_without_its_capture_method_is_captured_when_confirmed(client):
    for amount in (1000, 1100, 1200, 1300):
        made = client.post("/flows", json={"amount": amount}).json()
        assert made["capture_method"] == "automatic", made
        assert made["billing"] == "instalments", made  # (the request's default)
        confirmed = client.post(f"/flows/{made['id']}/confirm", json={}).json()
        assert confirmed["status"] == "succeeded" and confirmed["amount_received"] == amount, confirmed
        assert client.get(f"/flows/{made['id']}").json()["capture_method"] == "automatic"
    held = client.post("/flows", json={"amount": 500, "capture_method": "manual", "billing": "one_time"}).json()
    assert (held["capture_method"], held["billing"]) == ("manual", "one_time"), held
    assert client.post(f"/flows/{held['id']}/confirm", json={}).json()["status"] == "requires_capture"


def test_refunds_of_a_flow_holding_no_refunded_amount_are_added_up(client):
    flow = client.post("/flows", json={"amount": 1000, "capture_method": "automatic"}).json()
    assert client.post(f"/flows/{flow['id']}/confirm", json={}).json()["status"] == "succeeded"
    first = client.post("/flow_refunds", json={"flow_id": flow["id"], "amount": 300})
    assert first.status_code == 200 and first.json()["amount"] == 300, first.text
    refused = client.post("/flow_refunds", json={"flow_id": flow["id"], "amount": 800})
    assert refused.status_code == 400 and refused.json()["code"], refused.text
    rest = client.post("/flow_refunds", json={"flow_id": flow["id"]})
    assert rest.status_code == 200 and rest.json()["amount"] == 700, rest.text
    for asked in ({"amount": 1}, {}):  # (nothing is left, with an amount or without)
        again = client.post("/flow_refunds", json={"flow_id": flow["id"], **asked})
        assert again.status_code == 400 and again.json()["code"], again.text


def _zone(moment: str) -> str:
    return re.search(r"(Z|[+-]\d\d:\d\d)$", moment).group(1)


def test_a_cancelled_flow_says_when_in_the_zone_of_its_other_moments(client):
    flow = client.post("/flows", json={"amount": 900}).json()
    cancelled = client.post(f"/flows/{flow['id']}/cancel").json()
    assert cancelled["status"] == "canceled" and cancelled["canceled_at"], cancelled
    assert _zone(cancelled["canceled_at"]) == _zone(cancelled["created_at"]), cancelled
    assert ("." in cancelled["canceled_at"]) == ("." in cancelled["created_at"]), cancelled
    read = client.get(f"/flows/{flow['id']}").json()
    assert _zone(read["canceled_at"]) == _zone(read["created_at"]), read


def test_a_customer_made_without_a_payment_method_has_no_default_one(client):
    made = client.post("/customers", json={"email": "mika@example.test"}).json()
    assert made["default_payment_method_id"] is None, made
    assert client.get(f"/customers/{made['id']}").json()["default_payment_method_id"] is None
    given = client.post("/customers", json={"email": "ren@example.test", "payment_method_id": "pm_given"}).json()
    assert given["default_payment_method_id"] == "pm_given", given
