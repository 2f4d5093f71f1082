"""A schema `example` written as a reference into the document (tests/published_specs/referred-schema-examples/).

Cashfree's published spec writes `OrderEntity: {example: {$ref: '#/components/examples/order_entity_list_example/value/0'}}`:
read as literal data, every order answered `{"$ref": "...", <what was sent>}`, with no `order_status`, no
`cf_order_id`, no `payment_session_id`, and its SDK's models held None for each.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from oauth_flows import self_use_token

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "referred-schema-examples",)}


@pytest.fixture(scope="module")
def client(live, admin):
    yield from bank_client(live, "referred-schema-examples", self_use_token(live.url, admin))


def test_an_answer_drawn_from_a_referred_list_item_example_has_its_fields(client):
    made = client.post("/tickets", json={"subject": "coffee machine"})
    assert made.status_code == 200, made.text
    body = made.json()
    assert "$ref" not in body, body
    assert body["subject"] == "coffee machine" and body["state"] in ("OPEN", "CLOSED") and body.get("ticket_ref"), body


def test_an_answer_drawn_from_a_referred_example_object_is_its_value(client):
    read = client.get("/stamps/S-9")
    assert read.status_code == 200, read.text
    assert "$ref" not in read.json() and read.json().get("colour"), read.text


def test_check_says_so():
    from sandbox.bindings.check import check_folders

    report = check_folders([Path(__file__).parent / "published_specs" / "referred-schema-examples"])
    text = repr(report)
    assert "a reference to '#/components/examples/tickets/value/0'; read as what it points to" in text, text
