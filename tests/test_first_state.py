"""A resource just made starts in the state that reads most as a beginning, whatever order its enum lists
(Stripe's payment intent lists `canceled, processing, requires_action, ...` alphabetically: a new one was
answered `processing`, and no action after moved it)."""

from __future__ import annotations

from sandbox.bindings.beginnings import just_created


def _first(values: list[str]) -> str:
    schema = {"type": "object", "properties": {"status": {"type": "string", "enum": values}}}
    return just_created({}, schema, {"status": values[-1]}, lambda candidate: True)["status"]


def test_of_several_beginnings_the_likeliest_is_the_first_state():
    assert _first(["canceled", "processing", "requires_action", "requires_capture", "succeeded"]) == "requires_action"
    assert _first(["processing", "pending", "completed"]) == "pending"


def test_an_enum_in_its_own_order_still_starts_where_it_did():
    assert _first(["pending", "completed", "cancelled"]) == "pending"
    assert _first(["AUTHORISED", "AWAITING_AUTHORISATION", "CONSUMED", "REJECTED"]) == "AWAITING_AUTHORISATION"
    assert _first(["CANCELED", "FAILED", "SUCCEEDED", "UNKNOWN"]) == "CANCELED"
