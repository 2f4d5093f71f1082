"""A request body made of a resource's schema and a member of its own saying what it requires
(tests/published_specs/resource-schema-requests/: `allOf: [Refund, {required: [amount]}]`) asks only for that:
the resource's `required` lists what its answers hold. Mollie's refunds, made by its SDK with an amount and a
description, were refused 422 "'metadata' is a required property"."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "resource-schema-requests",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "resource-schema-requests")


def test_a_request_sends_only_what_its_own_member_requires(client):
    made = client.post("/refunds", json={"amount": 10})
    assert made.status_code == 201, made.text
    assert made.json()["amount"] == 10
    refused = client.post("/refunds", json={"description": "no amount"})
    assert refused.status_code in (400, 422), refused.text
